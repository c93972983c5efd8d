#!/usr/bin/env bash
# nginx next to tollgate on this machine: one command, one run, one table (bench/compare.py
# says how). Usage: bench/compare.sh [BUILD_DIR] [SECONDS_PER_CELL]
set -euo pipefail
exec python3 "$(dirname "$0")/compare.py" "$@"
