#!/usr/bin/env bash
# .tsr benchmark: write/read rows/s and file size on 10M rows x 8 columns, beside the zstd
# command-line tool on the raw column bytes (the compression ceiling). Usage:
#   benchmarks/format/run.sh [build-dir]   (configured with -DTESSERA_BUILD_BENCHMARKS=ON)
set -euo pipefail
build=${1:-build/bench}
raw=$(mktemp /tmp/tsr_raw.XXXXXX)
trap 'rm -f "$raw" "$raw".zst' EXIT
TESSERA_TSR_RAW="$raw" "$build"/benchmarks/format/tessera_bench_format --benchmark_min_time=1 \
  --benchmark_counters_tabular=true
echo "raw column bytes: $(stat -c %s "$raw")"
for level in 1 3 19; do
  start=$(date +%s.%N)
  zstd -q -f -T1 -"$level" "$raw" -o "$raw".zst
  end=$(date +%s.%N)
  echo "zstd -$level -T1: $(stat -c %s "$raw".zst) bytes, $(echo "$end - $start" | bc) s"
done
