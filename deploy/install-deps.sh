#!/usr/bin/env bash
# Installs every Debian 12 package tollgate needs to build, run, test and benchmark.
# Idempotent and non-interactive; run as root (or with sudo available).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  # libraries (ARCHITECTURE.md §3)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libabsl-dev libhiredis-dev libsqlite3-dev librnp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # package metadata read from inside package files, and the gzip of generated indexes
  # (the package-manager views)
  libarchive-dev zlib1g-dev
  # servers and clients used by the integration, e2e tests and benchmarks
  redis-server redis-tools nginx-light curl openssl wrk python3 python3-pip python3-venv
  # nginx's Lua module: bench/compare.sh builds the nginx-and-Redis gateway it compares the
  # counted downloads on Redis with
  libnginx-mod-http-lua
  # gpg and gpgv check repository signatures as apt does; apt and dpkg (dpkg-deb) drive the
  # apt view's end-to-end test
  gpg gpgv apt dpkg
  # promtool checks the /metrics exposition; lintian the Debian package; haproxy balances
  # the fleet test's instances
  prometheus lintian haproxy
  # the web console's browser test: Debian's Chromium, its WebDriver and Selenium for Python
  chromium chromium-driver python3-selenium
)
# npm for the web console's build and the npm e2e test: Debian's package only when no npm is
# on the PATH, since a Node.js installed from elsewhere (NodeSource, nvm) brings its own npm
# and conflicts with Debian's.
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The console's bundler and libraries, exactly as locked; again only when the lockfile changed.
console_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/console"
console_stamp="$console_dir/node_modules/.installed-package-lock.json"
if ! cmp -s "$console_dir/package-lock.json" "$console_stamp"; then
  echo "install-deps: npm ci in console/"
  # --ignore-scripts: no package's install script runs (as root). esbuild needs none: its
  # JavaScript API finds the binary in the installed @esbuild/<platform> package.
  (cd "$console_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$console_dir/package-lock.json" "$console_stamp"
fi

# Debian starts the packaged services on install; tollgate's tests start their own
# instances on free loopback ports, so the system-wide ones are not needed.
for svc in redis-server nginx prometheus haproxy; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    "${sudo_cmd[@]}" systemctl stop "$svc" || true
  fi
done
echo "install-deps: all packages present"
