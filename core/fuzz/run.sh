#!/usr/bin/env bash
# Runs fuzz targets for a bounded time each, one after another (one core).
#
#   core/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to 60; TARGETs default to every target (`cargo fuzz list`). Builds
# once (nightly, cargo-fuzz, AddressSanitizer, debug assertions), then runs each target's
# binary on a scratch corpus (core/fuzz/target/corpus/<target>, ignored by git) seeded
# from the committed corpus/<target>/, so the seeds stay clean. Each run ends with
# libFuzzer's final stats; a crash stops that run, saves the input under
# artifacts/<target>/ and makes the script exit non-zero. A summary line per target
# goes to target/fuzz-summary.txt.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
for t in "${targets[@]}"; do
  cargo +nightly fuzz build "$t" 2>&1 | tail -n 2
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: $t does not build"; exit 1; }
done
# As `cargo fuzz run` does: SQLite is linked into every target, which trips ASan's
# one-definition-rule check at start-up.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin=target/$triple/release
mkdir -p target artifacts
status=0
for t in "${targets[@]}"; do
  mkdir -p "target/corpus/$t" "artifacts/$t"
  extra=()
  [ -f "$t.dict" ] && extra+=("-dict=$t.dict")
  echo "== fuzz $t for ${secs}s"
  start=$(date +%s)
  "$bin/$t" "target/corpus/$t" "corpus/$t" -max_total_time="$secs" -print_final_stats=1 \
      -artifact_prefix="artifacts/$t/" "${extra[@]}" 2>"target/fuzz-$t.log"
  rc=$?
  tail -n 12 "target/fuzz-$t.log"
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "target/fuzz-$t.log")
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "target/fuzz-$t.log" | tail -n 1)
  line="$t: ${secs}s, $(( $(date +%s) - start ))s wall, ${execs:-?} execs, ${cov:-no coverage line}, exit $rc"
  echo "$line" | tee -a target/fuzz-summary.txt
  [ "$rc" -ne 0 ] && status=1
done
exit $status
