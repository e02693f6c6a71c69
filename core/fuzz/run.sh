#!/usr/bin/env bash
# Runs fuzz targets for a bounded time each, one after another (one core).
#
#   core/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to 60; TARGETs default to every target (the [[bin]]s of Cargo.toml).
# Builds once (nightly, AddressSanitizer, debug assertions): with cargo-fuzz when it is
# installed, else with cargo alone and the flags cargo-fuzz 0.13 passes (crates.io may be
# out of reach, so cargo-fuzz cannot always be installed). Then runs each target's
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
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -vx gatekeeper-fuzz)
fi
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
if cargo +nightly fuzz --version >/dev/null 2>&1; then
  for t in "${targets[@]}"; do
    cargo +nightly fuzz build "$t" 2>&1 | tail -n 2
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: $t does not build"; exit 1; }
  done
else
  # What `cargo fuzz build` runs: coverage instrumentation for libFuzzer, `cfg(fuzzing)`,
  # AddressSanitizer, debug assertions and overflow checks in a release build.
  echo "fuzz: cargo-fuzz is not installed; building as it would, with cargo +nightly"
  flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
  for o in inline-8bit-counters pc-table trace-compares stack-depth; do
    flags+=" -Cllvm-args=-sanitizer-coverage-$o"
  done
  flags+=" --cfg fuzzing -Zsanitizer=address -Cdebug-assertions -Coverflow_checks"
  bins=()
  for t in "${targets[@]}"; do bins+=(--bin "$t"); done
  RUSTFLAGS="$flags" cargo +nightly build --release --target "$triple" "${bins[@]}" 2>&1 | tail -n 2
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: the targets do not build"; exit 1; }
fi
# As `cargo fuzz run` does: SQLite is linked into every target, which trips ASan's
# one-definition-rule check at start-up.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
bin=target/$triple/release
mkdir -p target artifacts
status=0
for t in "${targets[@]}"; do
  mkdir -p "target/corpus/$t" "artifacts/$t"
  extra=()
  if [ -f "$t.dict" ]; then
    extra+=("-dict=$t.dict")
  elif [[ $t == manifest* ]]; then
    extra+=("-dict=manifest.dict")
  fi
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
