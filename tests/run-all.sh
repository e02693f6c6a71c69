#!/usr/bin/env bash
# Runs every test of the project and ends with one summary line:
#   "N passed, N failed, N skipped"
# 1. Rust: unit and integration tests of the core and the CLI (cargo nextest, or cargo test),
#    then the crash, concurrency, corruption and tampering figures of the reliability tests.
#    Then clippy on every crate and target, warnings as errors (one test: passed or failed).
# 2. Bindings: bindings/build.sh builds the host library (the same debug profile the Rust
#    tests built, so nothing is compiled twice) and generates the Kotlin and Swift.
# 3. Kotlin: tests/kotlin/run.sh, JUnit 5 on a desktop JVM against that library (it
#    installs kotlinc, JNA and JUnit 5 when the machine lacks them).
# 4. Swift: `swift test` in bindings/swift where a swift toolchain exists; otherwise one
#    line saying it was skipped and why.
# It installs what a fresh machine lacks. Exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOGDIR="$ROOT/target/test-logs"
mkdir -p "$LOGDIR"

# Where crates.io does not answer, cargo gets the offline bundle's vendored crates.
# shellcheck source=tests/cargo-source.sh
. "$ROOT/tests/cargo-source.sh"

passed=0 failed=0 skipped=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

# The reliability tests (core/cli/tests/reliability.rs) append their figures here; the
# step after the Rust tests prints them (nextest hides a passing test's output).
FIGURES="${CARGO_TARGET_DIR:-$ROOT/target}/tmp/reliability-figures.txt"
rm -f "$FIGURES"

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
  # Sum the "test result:" lines of every test binary.
  sum() { grep -E '^test result:' "$LOGDIR/rust.log" | sed -nE "s/.* ([0-9]+) $1.*/\1/p" | awk '{ n += $1 } END { print n + 0 }'; }
  p=$(sum passed); f=$(sum failed); s=$(sum ignored)
fi
if [ "$rust_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "Rust tests did not run to completion (exit $rust_status)"; fi
add "$p" "$f" "$s"
echo "Rust: $p passed, $f failed, $s skipped"

echo
echo "== Reliability figures (core/cli/tests/reliability.rs, counted in the Rust line above)"
if [ -s "$FIGURES" ]; then cat "$FIGURES"; else echo "none: the reliability tests did not run"; fi

echo
echo "== Clippy (cargo clippy --workspace --all-targets -- -D warnings; counted as one test)"
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy >/dev/null 2>&1 || true
if ! cargo clippy --version >/dev/null 2>&1; then
  add 0 0 1
  echo "Clippy: 0 passed, 0 failed, 1 skipped (cargo clippy is not installed and rustup could not add it)"
elif cargo clippy --workspace --all-targets -- -D warnings 2>&1 | tee "$LOGDIR/clippy.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  add 1 0 0
  echo "Clippy: 1 passed, 0 failed, 0 skipped"
else
  add 0 1 0
  echo "Clippy: 0 passed, 1 failed, 0 skipped (see $LOGDIR/clippy.log)"
fi


echo
echo "== Bindings (host library, Kotlin and Swift sources)"
if "$ROOT/bindings/build.sh" 2>&1 | tee "$LOGDIR/bindings.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  bindings_ok=1
else
  bindings_ok=0
  echo "bindings/build.sh failed: Kotlin and Swift tests cannot run"
fi

echo
echo "== Kotlin tests"
if [ "$bindings_ok" -eq 1 ]; then
  GATEKEEPER_SKIP_BUILD=1 "$ROOT/tests/kotlin/run.sh" 2>&1 | tee "$LOGDIR/kotlin.log"
  kotlin_status=${PIPESTATUS[0]}
  line=$(grep -E '^Kotlin: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$LOGDIR/kotlin.log" | tail -n 1)
  p=$(sed -nE 's/^Kotlin: ([0-9]+) passed.*/\1/p' <<<"$line"); p=${p:-0}
  f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line"); f=${f:-0}
  s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line"); s=${s:-0}
  if [ "$kotlin_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "Kotlin tests did not run to completion (exit $kotlin_status)"; fi
else
  p=0 f=1 s=0
fi
add "$p" "$f" "$s"
echo "Kotlin: $p passed, $f failed, $s skipped"

echo
echo "== Swift tests"
if ! command -v swift >/dev/null 2>&1; then
  echo "Swift: skipped (no swift toolchain on this machine; XCTest suite in bindings/swift/Tests runs where swift exists)"
elif [ ! -f "$ROOT/bindings/swift/Package.swift" ]; then
  echo "Swift: skipped (bindings/swift/Package.swift is missing)"
elif [ "$bindings_ok" -ne 1 ]; then
  add 0 1 0
  echo "Swift: 0 passed, 1 failed, 0 skipped"
else
  (cd "$ROOT/bindings/swift" && swift test) 2>&1 | tee "$LOGDIR/swift.log"
  swift_status=${PIPESTATUS[0]}
  # XCTest: "Executed 12 tests, with 1 test skipped and 0 failures (0 unexpected) in ..."
  line=$(grep -E 'Executed [0-9]+ tests?, with' "$LOGDIR/swift.log" | tail -n 1)
  n=$(sed -nE 's/.*Executed ([0-9]+) tests?.*/\1/p' <<<"$line"); n=${n:-0}
  f=$(sed -nE 's/.* ([0-9]+) failures?.*/\1/p' <<<"$line"); f=${f:-0}
  s=$(sed -nE 's/.* ([0-9]+) tests? skipped.*/\1/p' <<<"$line"); s=${s:-0}
  # Swift Testing, if the package uses it too: "Test run with 3 tests passed after ..."
  st=$(grep -E 'Test run with [0-9]+ tests? (in [0-9]+ suites? )?passed' "$LOGDIR/swift.log" | tail -n 1 | sed -nE 's/.*Test run with ([0-9]+) test.*/\1/p')
  p=$(( n - f - s + ${st:-0} ))
  if [ "$swift_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "Swift tests did not run to completion (exit $swift_status)"; fi
  add "$p" "$f" "$s"
  echo "Swift: $p passed, $f failed, $s skipped"
fi

echo
echo "Total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
