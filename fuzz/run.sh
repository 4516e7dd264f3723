#!/usr/bin/env bash
# Runs every fuzz target built in BUILD_DIR/fuzz for a bounded time each; fails when one finds
# a crash, a hang, a leak or an out-of-memory.
#
#   fuzz/run.sh BUILD_DIR [SECONDS]      (SECONDS per target, default $FUZZ_SECONDS or 30)
#
# Corpora start from fuzz/make_seeds.py and grow in BUILD_DIR/fuzz-work/corpus/<target>
# (kept between runs); a finding is saved as BUILD_DIR/fuzz-work/<target>-crash-<hash> etc.
# To reproduce one: BUILD_DIR/fuzz/<target> FILE
set -uo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS]}
seconds=${2:-${FUZZ_SECONDS:-30}}
here=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz-work
mkdir -p "$work/corpus"
python3 "$here/make_seeds.py" "$work/corpus"

# A finding must stop the run, not be papered over: leaks and undefined behaviour count too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_NUM_THREADS=1

failed=()
printf '%-18s %12s %10s  %s\n' target executions corpus result
for bin in "$build"/fuzz/*_fuzz; do
  name=$(basename "$bin")
  log=$work/$name.log
  # -rss_limit_mb also bounds single allocations: a file claiming more than it holds must be
  # refused before it is allocated.
  "$bin" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/$name-" "$work/corpus/$name" >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  corpus=$(find "$work/corpus/$name" -type f | wc -l)
  if [ $status -eq 0 ]; then result=clean; else result="FAILED (exit $status, see $log)"; failed+=("$name"); fi
  printf '%-18s %12s %10s  %s\n' "$name" "${runs:-?}" "$corpus" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  for name in "${failed[@]}"; do grep -m1 -A12 'ERROR:\|runtime error\|deadly signal\|out-of-memory\|timeout' "$work/$name.log" >&2; done
  exit 1
fi
