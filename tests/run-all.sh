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
# 4. Swift: builds and tests the SwiftPM packages bindings/swift and ios-demo/PhocolLogic
#    against that library, and runs the latter's phocol-demo; where no swift toolchain
#    exists, one line saying they were skipped and why.
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

# core/tests/manifest_schema.rs validates manifests with Python's jsonschema.
"$ROOT/tests/ensure-jsonschema.sh"

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
# Two SwiftPM packages, each built with its tests first (so a compile error is reported as
# one, apart from test failures), then tested, against the library bindings/build.sh built:
#   bindings/swift        GatekeeperCore (generated bindings + Swift layer), GatekeeperAdapters
#   ios-demo/PhocolLogic  the iOS demo's logic, a package outside the bindings that takes them
#                         by path as an app would; its phocol-demo executable is run too
# Each keeps its own .build (git-ignored), so a second run compiles only what changed.
SWIFT_PACKAGES=(bindings/swift ios-demo/PhocolLogic)
if ! command -v swift >/dev/null 2>&1; then
  echo "Swift: 0 passed, 0 failed, ${#SWIFT_PACKAGES[@]} skipped (no swift toolchain on this machine: the Swift packages ${SWIFT_PACKAGES[*]} were not built)"
  add 0 0 "${#SWIFT_PACKAGES[@]}"
elif [ "$bindings_ok" -ne 1 ]; then
  add 0 1 0
  echo "Swift: 0 passed, 1 failed, 0 skipped (bindings/build.sh failed)"
else
  echo "== $(swift --version 2>/dev/null | head -n 1)"
  sp=0 sf=0 ss=0 phocol_built=0
  for pkg in "${SWIFT_PACKAGES[@]}"; do
    name=$(basename "$pkg")
    log="$LOGDIR/swift-$name.log"
    echo "-- $pkg: swift build --build-tests"
    (cd "$ROOT/$pkg" && timeout 1800 swift build --build-tests) >"$log.build" 2>&1
    build_status=$?
    grep -E 'error:|warning:|Compiling|Build complete' "$log.build" | grep -v '^\[' | tail -n 40
    if [ "$build_status" -ne 0 ]; then
      echo "Swift: $pkg did not compile (exit $build_status); every error is in ${log#"$ROOT"/}.build"
      grep -E 'error:' "$log.build" | sort -u | head -n 40
      sf=$((sf + 1))
      continue
    fi
    [ "$pkg" = ios-demo/PhocolLogic ] && phocol_built=1
    echo "-- $pkg: swift test --skip-build"
    # timeout: a deadlock must fail the run, not hang it.
    (cd "$ROOT/$pkg" && timeout 900 swift test --skip-build) 2>&1 | tee "$log"
    test_status=${PIPESTATUS[0]}
    # XCTest prints one line per test case: "Test Case 'Suite.testName' passed|failed|skipped
    # (0.01 seconds)". Counted per test, not per failed assertion (the "Executed N tests, with
    # M failures" line counts assertions); a test that started and never finished (a crash)
    # is a failure. Swift Testing, were it used, prints its own summary line, added in too.
    p=$(grep -cE "^Test Case '.*' passed \(" "$log"); f=$(grep -cE "^Test Case '.*' failed \(" "$log")
    s=$(grep -cE "^Test Case '.*' skipped \(" "$log"); started=$(grep -cE "^Test Case '.*' started at" "$log")
    crashed=$((started - p - f - s)); [ "$crashed" -gt 0 ] && f=$((f + crashed))
    st=$(grep -E 'Test run with [0-9]+ tests? (in [0-9]+ suites? )?passed' "$log" | tail -n 1 | sed -nE 's/.*Test run with ([0-9]+) test.*/\1/p')
    p=$((p + ${st:-0}))
    if [ "$test_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "Swift: swift test in $pkg did not run to completion (exit $test_status)"; fi
    if [ "$started" -eq 0 ] && [ "${st:-0}" -eq 0 ]; then f=$((f + 1)); echo "Swift: no test ran in $pkg"; fi
    echo "-- $pkg: $p passed, $f failed, $s skipped"
    sp=$((sp + p)) sf=$((sf + f)) ss=$((ss + s))
  done
  # The outside package's executable: the demo's flow through the bindings, as an app links
  # them. It exits 1 if the gatekeeper lets through anything the contract forbids; counted as
  # one test.
  if [ "$phocol_built" -eq 1 ] && [ -x "$ROOT/ios-demo/PhocolLogic/.build/debug/phocol-demo" ]; then
    echo "-- ios-demo/PhocolLogic: swift run --skip-build phocol-demo"
    if (cd "$ROOT/ios-demo/PhocolLogic" && timeout 300 swift run --skip-build phocol-demo) 2>&1 | tee "$LOGDIR/swift-phocol-demo.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
      sp=$((sp + 1))
    else
      sf=$((sf + 1)); echo "Swift: phocol-demo failed"
    fi
  elif [ "$phocol_built" -eq 1 ]; then
    sf=$((sf + 1)); echo "Swift: ios-demo/PhocolLogic built no phocol-demo executable"
  fi
  add "$sp" "$sf" "$ss"
  echo "Swift: $sp passed, $sf failed, $ss skipped"
fi

echo
echo "Total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
