#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a short, bounded time (CI's
# smoke fuzz run). Exits 77 (ctest: skipped) when clang's libFuzzer is not available.
# Usage: run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS]}
seconds=${2:-20}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: skipped, clang++ is not installed"; exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
  > "$probe/probe.cc"
if ! clang++ -fsanitize=fuzzer "$probe/probe.cc" -o "$probe/probe" 2>/dev/null; then
  echo "fuzz: skipped, clang++ has no libFuzzer runtime (libclang-rt-14-dev)"; exit 77
fi

cmake -S "$here/standalone" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

for target in scope_query package_identity route authorization_header http_range client_address \
    package_metadata; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  cp "$here/seeds/$target"/* "$corpus/" 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  log="$build/$target.log"
  # -timeout: any single input slower than 2 s is a failure (a super-linear regression).
  # Package files need room for an archive's headers; every other input is a short text.
  max_len=512
  [ "$target" = package_metadata ] && max_len=8192
  if ! "$build/${target}_fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout=2 \
      -print_final_stats=1 -artifact_prefix="$build/$target-" "$corpus" > "$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $target found a crash; the input is in $build/$target-*"
    exit 1
  fi
  grep -E '^stat::number_of_executed_units' "$log" || true
done
echo "fuzz: no crashes"
