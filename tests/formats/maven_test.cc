// Tests of Maven artifacts: maven-metadata.xml and repository-layout identity.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "maven/maven_format.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// maven-metadata.xml and its checksum and signature siblings are index files.
TEST(IsIndexFileTest, MavenMetadata) {
  ExpectIndex({
      "com/example/tools/agent/maven-metadata.xml",
      "com/example/tools/agent/maven-metadata.xml.md5",
      "com/example/tools/agent/maven-metadata.xml.sha1",
      "com/example/tools/agent/maven-metadata.xml.sha256",
      "com/example/tools/agent/maven-metadata.xml.sha512",
      "com/example/tools/agent/maven-metadata.xml.asc",
      "com/example/tools/agent/1.0-SNAPSHOT/maven-metadata.xml",
      "com/example/tools/maven-metadata.xml",
      "maven-metadata.xml",
  });
}

// Maven artifacts give artifact, version and dotted group.
TEST(IdentifyPackageTest, MavenArtifacts) {
  ExpectIdentities({
      {"com/example/agent/1.0/agent-1.0.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0.pom", kMaven, "agent", "1.0", "", "com.example"},
      {"org/apache/commons/commons-lang3/3.13.0/commons-lang3-3.13.0.jar", kMaven, "commons-lang3",
       "3.13.0", "", "org.apache.commons"},
      {"com/google/guava/guava/32.1.2-jre/guava-32.1.2-jre.jar", kMaven, "guava", "32.1.2-jre", "",
       "com.google.guava"},
      {"junit/junit/4.13.2/junit-4.13.2.jar", kMaven, "junit", "4.13.2", "", "junit"},
      {"org/springframework/boot/spring-boot-starter-web/3.1.4/"
       "spring-boot-starter-web-3.1.4.pom",
       kMaven, "spring-boot-starter-web", "3.1.4", "", "org.springframework.boot"},
      {"com/example/webapp/2.0.0/webapp-2.0.0.war", kMaven, "webapp", "2.0.0", "", "com.example"},
      {"androidx/core/core-ktx/1.12.0/core-ktx-1.12.0.aar", kMaven, "core-ktx", "1.12.0", "",
       "androidx.core"},
      {"com/example/dist/1.0/dist-1.0.zip", kMaven, "dist", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0.module", kMaven, "agent", "1.0", "", "com.example"},
      {"org/jetbrains/kotlin/kotlin-stdlib/1.9.10/kotlin-stdlib-1.9.10.jar", kMaven,
       "kotlin-stdlib", "1.9.10", "", "org.jetbrains.kotlin"},
      {"io/netty/netty-all/4.1.100.Final/netty-all-4.1.100.Final.jar", kMaven, "netty-all",
       "4.1.100.Final", "", "io.netty"},
      {"com/example/agent/1.0.0-RC1/agent-1.0.0-RC1.jar", kMaven, "agent", "1.0.0-RC1", "",
       "com.example"},
      {"com/google/guava/guava/r09/guava-r09.jar", kMaven, "guava", "r09", "", "com.google.guava"},
  });
}

// Classifiers (-sources, -javadoc, platform classifiers …) are not part of the version.
TEST(IdentifyPackageTest, MavenClassifiers) {
  ExpectIdentities({
      {"com/example/agent/1.0/agent-1.0-sources.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0-javadoc.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0-tests.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"io/netty/netty-transport-native-epoll/4.1.100.Final/"
       "netty-transport-native-epoll-4.1.100.Final-linux-x86_64.jar",
       kMaven, "netty-transport-native-epoll", "4.1.100.Final", "", "io.netty"},
      {"com/example/tool/1.0/tool-1.0-bin.zip", kMaven, "tool", "1.0", "", "com.example"},
      {"com/example/tool/1.0/tool-1.0-bin.tar.gz", kMaven, "tool", "1.0", "", "com.example"},
      {"com/example/tool/1.0/tool-1.0-linux-amd64.tgz", kMaven, "tool", "1.0", "", "com.example"},
      {"com/example/tool/1.0/tool-1.0.tar.gz", kMaven, "tool", "1.0", "", "com.example"},
      {"org/openjfx/javafx-graphics/21/javafx-graphics-21-win.jar", kMaven, "javafx-graphics", "21",
       "", "org.openjfx"},
      {"com/example/agent/1.0/agent-1.0-cyclonedx.json", kMaven, "agent", "1.0", "", "com.example"},
  });
}

// Deep groups are joined with dots.
TEST(IdentifyPackageTest, MavenDeepGroups) {
  ExpectIdentities({
      {"com/example/platform/tools/cli/agent/1.0/agent-1.0.jar", kMaven, "agent", "1.0", "",
       "com.example.platform.tools.cli"},
      {"org/apache/maven/plugins/maven-compiler-plugin/3.11.0/maven-compiler-plugin-3.11.0.jar",
       kMaven, "maven-compiler-plugin", "3.11.0", "", "org.apache.maven.plugins"},
      {"a/b/c/d/e/f/g/x/1/x-1.jar", kMaven, "x", "1", "", "a.b.c.d.e.f.g"},
      {"io/github/some-user/my-lib/0.1.0/my-lib-0.1.0.jar", kMaven, "my-lib", "0.1.0", "",
       "io.github.some-user"},
  });
}

// Snapshots, plain and timestamped, keep the version folder's "-SNAPSHOT" version.
TEST(IdentifyPackageTest, MavenSnapshots) {
  ExpectIdentities({
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-SNAPSHOT.jar", kMaven, "agent", "1.1-SNAPSHOT", "",
       "com.example"},
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502-3.jar", kMaven, "agent",
       "1.1-SNAPSHOT", "", "com.example"},
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502-3.pom", kMaven, "agent",
       "1.1-SNAPSHOT", "", "com.example"},
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502-12-sources.jar", kMaven, "agent",
       "1.1-SNAPSHOT", "", "com.example"},
  });
}

// A Maven-looking path whose file does not start with "{artifact}-{version}", whose version
// folder has no digit or that has no group folder is not Maven.
TEST(IdentifyPackageTest, MalformedMavenIsRaw) {
  ExpectRaw({
      "agent/1.0/agent-1.0.jar",
      "com/example/agent/1.0/agent-2.0.jar",
      "com/example/agent/1.0/other-1.0.jar",
      "com/example/agent/1.0/agent.jar",
      "com/example/agent/1.0/agent-1.0",
      "com/example/agent/1.0/agent-1.0.",
      "com/example/agent/1.0/agent-1.0-.jar",
      "com/example/agent/1.0/agent-1.0-sources",
      "com/example/agent/1.0/agent-1.0x.jar",
      "com/example/agent/1.1-SNAPSHOT/agent-1.1-2023091.101502-3.jar",
      "com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915-101502-3.jar",
      "com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502.jar",
      "downloads/tool/linux/tool-linux-x64.tar.gz",
      "downloads/tool/latest/tool-latest.jar",
      "com/example/agent/1.0/sub/agent-1.0.jar",
  });
}

}  // namespace
}  // namespace tollgate::formats
