#!/usr/bin/env bash
# End-to-end check of the Maven view: jars and poms of com.acme.tools:agent 1.0.0, 2.0.0,
# 2.1.0-SNAPSHOT and 3.0.0 built here (python's zipfile, so no JDK is needed) and uploaded
# through the admin API at their Maven paths, beside the unfiltered maven-metadata.xml a deploy
# would leave; a token scoped to version:<3.0 reads the generated maven-metadata.xml on both
# credential forms Maven has (/basic/ with Basic token:TOKEN, as settings.xml's <server> sends
# it, and the token in the path): 3.0.0 is absent, latest is the snapshot, release 2.0.0, and
# the .md5/.sha1/.sha256/.sha512 files are the digests of the XML served. The 2.0.0 jar and pom
# download through the view with their own bytes and count; metadata and checksum files never
# do; the 3.0.0 jar is still 403 package_not_allowed.
# Maven's ordinary goals (even `mvn dependency:get`) first fetch their plugins from Maven
# Central, which the machines running these tests cannot reach, so curl asks what Maven asks,
# in the same credential forms. Where mvn is installed (it is not in every CI image), a goal
# that needs no plugin runs too: `mvn --strict-checksums validate` resolves a parent POM's
# version range, then a SNAPSHOT parent's newest build, through the view with settings.xml's
# credentials.
# Usage: maven_e2e.sh PATH/TO/tollgate      Exit status: 0 passed, 1 failed, 77 skipped.
set -euo pipefail

TOLLGATE=${1:?usage: maven_e2e.sh PATH/TO/tollgate}
for tool in curl md5sum sha1sum sha256sum sha512sum; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

source "$(dirname "$0")/lib.sh"
start_tollgate --dedupe-window 0  # every download counts, so the test can count them

GROUP_PATH=com/acme/tools/agent

# make_artifact VERSION OUT_DIR: agent-VERSION.jar (a manifest and one class-path resource
# naming the version) and agent-VERSION.pom.
make_artifact() {
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
version, out = sys.argv[1:3]
with zipfile.ZipFile(f"{out}/agent-{version}.jar", "w", zipfile.ZIP_DEFLATED) as jar:
    jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n"
                 f"Implementation-Version: {version}\r\n\r\n")
    jar.writestr("com/acme/tools/agent/version.txt", f"{version}\n")
with open(f"{out}/agent-{version}.pom", "w") as pom:
    pom.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
              "  <modelVersion>4.0.0</modelVersion>\n"
              "  <groupId>com.acme.tools</groupId>\n"
              "  <artifactId>agent</artifactId>\n"
              f"  <version>{version}</version>\n"
              "</project>\n")
PY
}

create_repo agents
VERSIONS=(1.0.0 2.0.0 2.1.0-SNAPSHOT 3.0.0)
for version in "${VERSIONS[@]}"; do
  mkdir -p "$WORK/m2/$version"
  make_artifact "$version" "$WORK/m2/$version"
  for ext in jar pom; do
    upload agents "$GROUP_PATH/$version/agent-$version.$ext" "$WORK/m2/$version/agent-$version.$ext"
  done
done
# The checksum file a deploy leaves beside the jar: served through the view as it is.
sha1sum "$WORK/m2/2.0.0/agent-2.0.0.jar" | cut -d' ' -f1 | tr -d '\n' >"$WORK/jar.sha1"
upload agents "$GROUP_PATH/2.0.0/agent-2.0.0.jar.sha1" "$WORK/jar.sha1"
# The repository's own metadata, as `mvn deploy` leaves it: every version, 3.0.0 included.
cat >"$WORK/deployed-metadata.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<metadata><groupId>com.acme.tools</groupId><artifactId>agent</artifactId><versioning>
<latest>3.0.0</latest><release>3.0.0</release><versions><version>1.0.0</version>
<version>2.0.0</version><version>2.1.0-SNAPSHOT</version><version>3.0.0</version></versions>
<lastUpdated>20240101000000</lastUpdated></versioning></metadata>
XML
upload agents "$GROUP_PATH/maven-metadata.xml" "$WORK/deployed-metadata.xml"
create_token agents '{"name":"customer-42","limit_package_query":"version:<3.0"}'
ok "uploaded agent ${VERSIONS[*]} and a deployed maven-metadata.xml; token scoped to version:<3.0"

BASIC_REPO="$DL/basic/default/agents/-/maven"
PATH_REPO="$DL/$TOKEN/default/agents/-/maven"
# Maven sends Basic credentials once challenged; --anyauth asks first without them as well.
BASIC_AUTH=(--anyauth -u "token:$TOKEN")

# check_metadata FILE: the XML lists 1.0.0, 2.0.0 and 2.1.0-SNAPSHOT, latest the snapshot,
# release 2.0.0.
check_metadata() {
  python3 - "$1" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "metadata", root.tag
assert root.findtext("groupId") == "com.acme.tools", root.findtext("groupId")
assert root.findtext("artifactId") == "agent", root.findtext("artifactId")
versioning = root.find("versioning")
versions = [v.text for v in versioning.find("versions")]
assert versions == ["1.0.0", "2.0.0", "2.1.0-SNAPSHOT"], versions
assert versioning.findtext("latest") == "2.1.0-SNAPSHOT", versioning.findtext("latest")
assert versioning.findtext("release") == "2.0.0", versioning.findtext("release")
assert re.fullmatch(r"\d{14}", versioning.findtext("lastUpdated")), versioning.findtext("lastUpdated")
PY
}

# check_checksums REPO_URL XML_FILE [CURL ARGS…]: each checksum file is the digest of the XML.
check_checksums() {
  local repo=$1 xml=$2 algorithm served
  shift 2
  for algorithm in md5 sha1 sha256 sha512; do
    served=$("${CURL[@]}" -f "$@" "$repo/$GROUP_PATH/maven-metadata.xml.$algorithm") ||
      fail "maven-metadata.xml.$algorithm"
    [[ $served == $("${algorithm}sum" "$xml" | cut -d' ' -f1) ]] ||
      fail "maven-metadata.xml.$algorithm is not the ${algorithm}sum of the XML: $served"
  done
}

"${CURL[@]}" -f -D "$WORK/basic.headers" -o "$WORK/basic.xml" "${BASIC_AUTH[@]}" \
  "$BASIC_REPO/$GROUP_PATH/maven-metadata.xml" || fail "metadata on /basic/"
check_metadata "$WORK/basic.xml" || { cat "$WORK/basic.xml"; fail "metadata on /basic/"; }
grep -q '3\.0\.0' "$WORK/basic.xml" && fail "3.0.0 is in the metadata of a token scoped to <3.0"
grep -qi '^content-type: application/xml' "$WORK/basic.headers" || fail "not application/xml"
grep -qi '^cache-control: private, max-age=60' "$WORK/basic.headers" || fail "no private cache"
check_checksums "$BASIC_REPO" "$WORK/basic.xml" "${BASIC_AUTH[@]}"
ok "/basic/ with token:TOKEN: metadata lists 1.0.0, 2.0.0, 2.1.0-SNAPSHOT (latest), release 2.0.0; checksums match"

"${CURL[@]}" -f -o "$WORK/path.xml" "$PATH_REPO/$GROUP_PATH/maven-metadata.xml" ||
  fail "metadata with the token in the path"
check_metadata "$WORK/path.xml" || { cat "$WORK/path.xml"; fail "metadata, token in the path"; }
cmp -s "$WORK/basic.xml" "$WORK/path.xml" || fail "the two credential forms got other XML"
check_checksums "$PATH_REPO" "$WORK/path.xml"
ok "token in the path: the same metadata and checksums"

result=$(status_and_reason "$BASIC_REPO/$GROUP_PATH/maven-metadata.xml")
[[ $result == "401 missing_credentials" ]] || fail "metadata without credentials: $result"
ok "the metadata without credentials is 401"

[[ $(downloads_of agents) == 0 ]] || fail "metadata and checksums counted a download"

for ext in jar pom; do
  "${CURL[@]}" -f -o "$WORK/got.$ext" "${BASIC_AUTH[@]}" \
    "$BASIC_REPO/$GROUP_PATH/2.0.0/agent-2.0.0.$ext" || fail "2.0.0 $ext through the view"
  cmp -s "$WORK/got.$ext" "$WORK/m2/2.0.0/agent-2.0.0.$ext" || fail "2.0.0 $ext bytes differ"
done
served=$("${CURL[@]}" -f "${BASIC_AUTH[@]}" "$BASIC_REPO/$GROUP_PATH/2.0.0/agent-2.0.0.jar.sha1") ||
  fail "the jar's .sha1 through the view"
[[ $served == $(sha1sum "$WORK/got.jar" | cut -d' ' -f1) ]] || fail "the jar's .sha1: $served"
ok "the 2.0.0 jar and pom download through the view with their own bytes; the jar's .sha1 too"

for url in "$PATH_REPO/$GROUP_PATH/3.0.0/agent-3.0.0.jar" \
  "$DL/$TOKEN/default/agents/$GROUP_PATH/3.0.0/agent-3.0.0.jar"; do
  result=$(status_and_reason "$url")
  [[ $result == "403 package_not_allowed" ]] || fail "3.0.0 jar at $url: $result"
done
ok "the 3.0.0 jar is 403 package_not_allowed, through the view and directly"

[[ $(downloads_of agents) == 2 ]] || fail "jar and pom should count 2: $(downloads_of agents)"
ok "the jar and the pom counted exactly 2; metadata, checksums and denials none"

# Another token's view is its own: without a scope it sees 3.0.0, and the scoped token still
# does not (documents are cached per scope).
SCOPED_TOKEN=$TOKEN
SCOPED_IDENTIFIER=$IDENTIFIER
create_token agents '{"name":"customer-43"}'
"${CURL[@]}" -f -o "$WORK/all.xml" "$DL/$TOKEN/default/agents/-/maven/$GROUP_PATH/maven-metadata.xml" ||
  fail "metadata of an unscoped token"
grep -q '<release>3.0.0</release>' "$WORK/all.xml" || fail "an unscoped token's release is not 3.0.0"
TOKEN=$SCOPED_TOKEN
IDENTIFIER=$SCOPED_IDENTIFIER
"${CURL[@]}" -f -o "$WORK/again.xml" "$PATH_REPO/$GROUP_PATH/maven-metadata.xml" ||
  fail "metadata of the scoped token, again"
cmp -s "$WORK/again.xml" "$WORK/path.xml" || fail "the scoped token's metadata changed"
ok "an unscoped token's metadata has release 3.0.0; the scoped token's still does not"

# The real Maven, where it is installed: model building needs no plugin, and resolves a parent
# version range from maven-metadata.xml, checking every checksum strictly.
if mvn --version >/dev/null 2>&1; then
  before=$(downloads_of agents)
  mkdir -p "$WORK/parent" "$WORK/consumer"
  for version in 1.0.0 2.0.0 3.0.0; do
    pom="$WORK/parent/agent-parent-$version.pom"
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
      "<groupId>com.acme.tools</groupId><artifactId>agent-parent</artifactId><version>$version</version>" \
      '<packaging>pom</packaging></project>' >"$pom"
    sha1sum "$pom" | cut -d' ' -f1 | tr -d '\n' >"$pom.sha1"
    upload agents "com/acme/tools/agent-parent/$version/agent-parent-$version.pom" "$pom"
    upload agents "com/acme/tools/agent-parent/$version/agent-parent-$version.pom.sha1" "$pom.sha1"
  done
  # One settings file as user and global settings, so no local Maven configuration applies;
  # the mirror of every repository keeps Maven from asking any other host.
  cat >"$WORK/consumer/settings.xml" <<XML
<settings>
  <servers><server><id>tollgate</id><username>token</username><password>$TOKEN</password></server></servers>
  <mirrors><mirror><id>tollgate</id><mirrorOf>*</mirrorOf><url>$BASIC_REPO/</url></mirror></mirrors>
</settings>
XML
  cat >"$WORK/consumer/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.acme.tools</groupId><artifactId>agent-parent</artifactId>
    <version>[1.0,9.0)</version><relativePath/>
  </parent>
  <artifactId>consumer</artifactId><version>1</version><packaging>pom</packaging>
</project>
XML
  (cd "$WORK/consumer" && timeout 120 mvn -B --strict-checksums -s settings.xml -gs settings.xml \
    -Dmaven.repo.local="$WORK/m2-local" validate) >"$WORK/mvn.log" 2>&1 ||
    { cat "$WORK/mvn.log"; fail "mvn validate through the view"; }
  local_parent="$WORK/m2-local/com/acme/tools/agent-parent"
  cmp -s "$local_parent/2.0.0/agent-parent-2.0.0.pom" "$WORK/parent/agent-parent-2.0.0.pom" ||
    { cat "$WORK/mvn.log"; fail "mvn did not resolve the parent range to 2.0.0"; }
  [[ ! -e "$local_parent/3.0.0" ]] || fail "mvn saw agent-parent 3.0.0"
  [[ $(downloads_of agents) == $((before + 1)) ]] || fail "mvn's one pom should count 1"
  ok "mvn resolved the parent range [1.0,9.0) to 2.0.0 through the view (strict checksums)"

  # A SNAPSHOT parent deployed twice: Maven reads the version's own maven-metadata.xml, which
  # the view generates, and fetches the newer timestamped build.
  snapshot_dir=com/acme/tools/agent-parent/2.1.0-SNAPSHOT
  for build in 1 2; do
    pom="$WORK/parent/agent-parent-2.1.0-20240305.06070$build-$build.pom"
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
      "<groupId>com.acme.tools</groupId><artifactId>agent-parent</artifactId>" \
      "<version>2.1.0-SNAPSHOT</version><packaging>pom</packaging>" \
      "<properties><build>$build</build></properties></project>" >"$pom"
    sha1sum "$pom" | cut -d' ' -f1 | tr -d '\n' >"$pom.sha1"
    upload agents "$snapshot_dir/${pom##*/}" "$pom"
    upload agents "$snapshot_dir/${pom##*/}.sha1" "$pom.sha1"
  done
  # Maven asks for snapshots only from a repository that allows them.
  sed -i 's|</settings>|<profiles><profile><id>snapshots</id><repositories><repository><id>acme</id><url>https://unused.invalid/</url><snapshots><enabled>true</enabled></snapshots></repository></repositories></profile></profiles><activeProfiles><activeProfile>snapshots</activeProfile></activeProfiles></settings>|' \
    "$WORK/consumer/settings.xml"
  sed -i 's|<version>\[1.0,9.0)</version>|<version>2.1.0-SNAPSHOT</version>|' "$WORK/consumer/pom.xml"
  before=$(downloads_of agents)
  (cd "$WORK/consumer" && timeout 120 mvn -B --strict-checksums -s settings.xml -gs settings.xml \
    -Dmaven.repo.local="$WORK/m2-local" validate) >"$WORK/mvn.log" 2>&1 ||
    { cat "$WORK/mvn.log"; fail "mvn validate with a SNAPSHOT parent through the view"; }
  resolved=$(find "$WORK/m2-local/$snapshot_dir" -name 'agent-parent-2.1.0-*.pom' -print -quit)
  grep -q '<build>2</build>' "$resolved" ||
    { cat "$WORK/mvn.log"; fail "mvn did not resolve the SNAPSHOT parent to build 2"; }
  [[ $(downloads_of agents) == $((before + 1)) ]] || fail "mvn's SNAPSHOT pom should count 1"
  ok "mvn resolved the 2.1.0-SNAPSHOT parent to its newest build from the generated metadata"
else
  echo "note: mvn is not installed; the real-Maven check is left out"
fi

stop_server
echo "all e2e maven checks passed"
