#!/usr/bin/env bash
# Kotlin tests on a desktop JVM against the host-built library.
#
#  1. Installs what is missing (and only that):
#     - kotlinc, from the npm package kotlin-compiler@$KOTLIN_VERSION, into
#       ~/.cache/gatekeeper/kotlin-compiler-$KOTLIN_VERSION (outside the clone, so a second
#       run or a fresh clone downloads nothing);
#     - JNA and JUnit 5, from Debian's libjna-java and junit5 (/usr/share/java);
#     - java / npm themselves from Debian if the machine has none.
#  2. bindings/build.sh kotlin: builds target/debug/libgatekeeper.so (debug profile only)
#     and generates bindings/kotlin/src/main/kotlin/dev/gatekeeper/gatekeeper.kt.
#  3. Compiles, into target/kotlin-tests/*.jar (each step skipped when its inputs are
#     unchanged): the generated bindings; the ktx layer (bindings/kotlin/.../ktx) plus the
#     Android demo's plain-Kotlin logic (android-demo/app/src/main/kotlin/dev/gatekeeper/demo/logic,
#     when present); the tests under tests/kotlin/src (tests of the demo logic, under
#     tests/kotlin/src/dev/gatekeeper/demo, only when that logic exists).
#  4. Runs them with the JUnit Platform console launcher and prints its summary, then
#     one last line:  Kotlin: N passed, N failed, N skipped
# Exit status: 0 when every test passed, non-zero otherwise.
#
# Arguments, if any, replace the default selection (every *Test class) and go to the
# JUnit console launcher, e.g.  tests/kotlin/run.sh --select-class dev.gatekeeper.tests.FlowTest
#
# Environment: KOTLIN_VERSION (default 2.4.20), GATEKEEPER_CACHE (default
# ~/.cache/gatekeeper), GATEKEEPER_SKIP_BUILD=1 (bindings already built by the caller),
# GATEKEEPER_KOTLIN_BUILD_ONLY=1 (.ci/bench: install, compile the bindings and ktx jars, print
# KOTLINC=... and KOTLIN_CP=..., run no test).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

KOTLIN_VERSION=${KOTLIN_VERSION:-2.4.20}
CACHE=${GATEKEEPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatekeeper}
KOTLIN_PREFIX="$CACHE/kotlin-compiler-$KOTLIN_VERSION"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT="$TARGET_DIR/kotlin-tests"
JAVA_SHARE=/usr/share/java
START=$(date +%s)

summary() { # passed failed skipped
  echo "Kotlin: $1 passed, $2 failed, $3 skipped"
}
die() { # message: a failure before any test ran counts as one failed test
  echo "tests/kotlin/run.sh: $*" >&2
  summary 0 1 0
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

APT_UPDATED=0
apt_install() { # packages...
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# ---- 1. tools -------------------------------------------------------------------------

command -v java >/dev/null 2>&1 || { echo "== installing a Java runtime (Debian openjdk-17-jdk-headless)"; apt_install openjdk-17-jdk-headless; } \
  || die "java is missing and could not be installed"

console_jar() {
  ls "$JAVA_SHARE"/junit-platform-console-standalone*.jar 2>/dev/null | head -n 1
}
if [ ! -f "$JAVA_SHARE/jna.jar" ] || [ -z "$(console_jar)" ]; then
  echo "== installing JNA and JUnit 5 (Debian libjna-java junit5)"
  apt_install libjna-java junit5 || die "could not install libjna-java and junit5 (need root or sudo, and apt-get)"
fi
JNA_JAR="$JAVA_SHARE/jna.jar"
CONSOLE_JAR=$(console_jar)
[ -f "$JNA_JAR" ] && [ -n "$CONSOLE_JAR" ] || die "JNA or the JUnit console launcher is still missing under $JAVA_SHARE"
JUNIT_API_JAR="$JAVA_SHARE/junit-jupiter-api.jar"
[ -f "$JUNIT_API_JAR" ] || JUNIT_API_JAR=$CONSOLE_JAR
OPENTEST_JAR="$JAVA_SHARE/opentest4j.jar"
APIGUARDIAN_JAR="$JAVA_SHARE/apiguardian-api.jar"

# Where the npm package keeps kotlinc: node_modules/kotlin-compiler/{bin/kotlinc,lib/*.jar},
# found by search so that a change of layout in the package does not break the runner.
find_kotlin_home() {
  local kc
  kc=$(find "$KOTLIN_PREFIX" -path '*/node_modules/kotlin-compiler/bin/kotlinc' -type f 2>/dev/null | head -n 1)
  [ -n "$kc" ] || kc=$(find "$KOTLIN_PREFIX" -path '*/bin/kotlinc' -type f 2>/dev/null | head -n 1)
  [ -n "$kc" ] || return 1
  local home
  home=$(cd "$(dirname "$kc")/.." && pwd)
  [ -f "$home/lib/kotlin-stdlib.jar" ] || return 1
  echo "$home"
}

# Whether the npm registry answers (a few seconds), so that an offline machine does not
# wait for npm's own retries (over a minute) before the offline bundle is used. The same
# GATEKEEPER_OFFLINE switch as tests/cargo-source.sh: 1 never asks, 0 always tries npm.
npm_answers() {
  [ "${GATEKEEPER_OFFLINE:-}" = 1 ] && return 1
  [ "${GATEKEEPER_OFFLINE:-}" = 0 ] && return 0
  command -v curl >/dev/null 2>&1 || return 0
  local registry
  registry=$(npm config get registry 2>/dev/null) || registry=https://registry.npmjs.org/
  curl -sf --max-time 10 -o /dev/null "${registry%/}/kotlin-compiler/$KOTLIN_VERSION"
}

KOTLIN_HOME=$(find_kotlin_home || true)
if [ -n "$KOTLIN_HOME" ] && [ -f "$KOTLIN_HOME/build.txt" ] && [ "$(tr -d '[:space:]' <"$KOTLIN_HOME/build.txt")" != "$KOTLIN_VERSION" ]; then
  echo "== cached kotlinc at $KOTLIN_HOME is not $KOTLIN_VERSION; reinstalling"
  KOTLIN_HOME=""
fi
if [ -z "$KOTLIN_HOME" ]; then
  echo "== installing kotlinc $KOTLIN_VERSION (npm kotlin-compiler) into $KOTLIN_PREFIX"
  command -v npm >/dev/null 2>&1 || apt_install npm || true
  mkdir -p "$CACHE"
  staging="$KOTLIN_PREFIX.partial.$$"
  rm -rf "$staging"
  # Into a staging directory first, so an interrupted download never looks installed.
  # From the npm registry where it answers; else from the offline bundle beside the clone
  # (../shared/offline/kotlin-compiler-$KOTLIN_VERSION.tgz, the same npm package byte for byte).
  OFFLINE_TGZ="$ROOT/../shared/offline/kotlin-compiler-$KOTLIN_VERSION.tgz"
  if ! { command -v npm >/dev/null 2>&1 && npm_answers \
         && timeout 300 npm install --prefix "$staging" --no-audit --no-fund --loglevel=error "kotlin-compiler@$KOTLIN_VERSION"; }; then
    rm -rf "$staging"
    [ -f "$OFFLINE_TGZ" ] || die "npm install kotlin-compiler@$KOTLIN_VERSION failed and $OFFLINE_TGZ is absent"
    echo "== npm registry unreachable: unpacking $OFFLINE_TGZ"
    mkdir -p "$staging" && tar xzf "$OFFLINE_TGZ" -C "$staging" \
      || { rm -rf "$staging"; die "could not unpack $OFFLINE_TGZ"; }
  fi
  rm -rf "$KOTLIN_PREFIX" && mv "$staging" "$KOTLIN_PREFIX"
  KOTLIN_HOME=$(find_kotlin_home) || die "kotlin-compiler@$KOTLIN_VERSION has no bin/kotlinc with lib/kotlin-stdlib.jar under $KOTLIN_PREFIX"
fi
# npm tarballs do not always keep the executable bits of the shell launchers.
for f in "$KOTLIN_HOME"/bin/kotlinc "$KOTLIN_HOME"/bin/kotlinc-jvm "$KOTLIN_HOME"/bin/kotlin; do
  [ -f "$f" ] && [ ! -x "$f" ] && chmod +x "$f"
done
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
KLIB="$KOTLIN_HOME/lib"
echo "== kotlinc $KOTLIN_VERSION: $KOTLIN_HOME"
echo "== JNA: $(readlink -f "$JNA_JAR"); JUnit console: $(readlink -f "$CONSOLE_JAR")"

# ---- 2. library and bindings ----------------------------------------------------------

if [ "${GATEKEEPER_SKIP_BUILD:-0}" != 1 ]; then
  "$ROOT/bindings/build.sh" kotlin || die "bindings/build.sh failed"
fi
GENERATED="$ROOT/bindings/kotlin/src/main/kotlin/dev/gatekeeper/gatekeeper.kt"
LIBDIR="$TARGET_DIR/debug"
[ -f "$GENERATED" ] || die "$GENERATED is missing (bindings/build.sh kotlin)"
ls "$LIBDIR"/libgatekeeper.* >/dev/null 2>&1 || die "no libgatekeeper in $LIBDIR"

# ---- 3. compile ------------------------------------------------------------------------

mkdir -p "$OUT"
KTX_DIR="$ROOT/bindings/kotlin/src/main/kotlin/dev/gatekeeper/ktx"
ADAPTERS_DIR="$ROOT/bindings/kotlin/src/main/kotlin/dev/gatekeeper/adapters"
LOGIC_DIR="$ROOT/android-demo/app/src/main/kotlin/dev/gatekeeper/demo/logic"
TEST_DIR="$ROOT/tests/kotlin/src"
DEMO_TEST_DIR="$TEST_DIR/dev/gatekeeper/demo"

list_kt() { # dirs... -> sorted .kt files
  local d
  for d in "$@"; do [ -d "$d" ] && find "$d" -name '*.kt' -type f; done | LC_ALL=C sort
}

# compile NAME CLASSPATH FILES...: kotlinc into $OUT/NAME.jar unless the inputs (the
# sources, the classpath jars and the compiler version) hash as last time.
compile() {
  local name=$1 cp=$2; shift 2
  local jar="$OUT/$name.jar" stamp="$OUT/$name.inputs"
  local hash
  hash=$( { echo "$KOTLIN_VERSION $cp"; sha256sum "$@"; tr ':' '\n' <<<"$cp" | xargs -r sha256sum; } | sha256sum | cut -d' ' -f1)
  if [ -f "$jar" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    echo "== $name.jar up to date ($# files)"
    return 0
  fi
  echo "== kotlinc: $name.jar ($# files)"
  rm -f "$stamp"
  local t0; t0=$(date +%s)
  # -nowarn for the generated bindings only: their warnings are uniffi's, not ours.
  local extra=() rc
  [ "$name" = bindings ] && extra=(-nowarn)
  "$KOTLINC" -jvm-target 17 -no-reflect "${extra[@]}" -cp "$cp" -d "$jar" "$@" >"$OUT/$name.log" 2>&1
  rc=$?
  sed 's/^/   /' "$OUT/$name.log"
  [ "$rc" -eq 0 ] && [ -f "$jar" ] || return 1
  echo "$hash" >"$stamp"
  echo "   ($(( $(date +%s) - t0 )) s)"
}

mapfile -t GEN_SRC < <(echo "$GENERATED")
mapfile -t MAIN_SRC < <(list_kt "$KTX_DIR" "$ADAPTERS_DIR" "$LOGIC_DIR")
if [ -d "$LOGIC_DIR" ]; then
  mapfile -t TEST_SRC < <(list_kt "$TEST_DIR")
  echo "== demo logic found: $(list_kt "$LOGIC_DIR" | wc -l) file(s) in ${LOGIC_DIR#"$ROOT"/}"
else
  mapfile -t TEST_SRC < <(list_kt "$TEST_DIR" | grep -v "^$DEMO_TEST_DIR/")
fi
COROUTINES_JAR="$KLIB/kotlinx-coroutines-core-jvm.jar"
RUNTIME_CP="$KLIB/kotlin-stdlib.jar:$COROUTINES_JAR:$JNA_JAR"

compile bindings "$RUNTIME_CP" "${GEN_SRC[@]}" || die "compiling the generated bindings failed (see $OUT/bindings.log)"
compile ktx "$RUNTIME_CP:$OUT/bindings.jar" "${MAIN_SRC[@]}" || die "compiling ktx/demo logic failed (see $OUT/ktx.log)"
# For .ci/bench: stop here and say where the tools and jars are (lines "name=value").
if [ "${GATEKEEPER_KOTLIN_BUILD_ONLY:-0}" = 1 ]; then
  echo "KOTLINC=$KOTLINC"
  echo "KOTLIN_CP=$RUNTIME_CP:$OUT/bindings.jar:$OUT/ktx.jar"
  exit 0
fi
compile tests "$RUNTIME_CP:$OUT/bindings.jar:$OUT/ktx.jar:$JUNIT_API_JAR:$OPENTEST_JAR:$APIGUARDIAN_JAR" "${TEST_SRC[@]}" \
  || die "compiling the tests failed (see $OUT/tests.log)"

# ---- 4. run ----------------------------------------------------------------------------

# Console launchers from JUnit 1.10 on take a subcommand (execute); Debian's 1.9 does not.
launcher_args=()
if java -jar "$CONSOLE_JAR" --help 2>/dev/null | grep -qE '^\s+execute\b'; then
  launcher_args=(execute)
fi
selection=(--scan-class-path "$OUT/tests.jar" --include-classname '.*Tests?$')
[ $# -gt 0 ] && selection=("$@")
REPORTS="$OUT/reports"
rm -rf "$REPORTS"
echo "== JUnit ($(basename "$(readlink -f "$CONSOLE_JAR")")), native library from ${LIBDIR#"$ROOT"/}"
# timeout: a deadlock must fail the run, not hang it.
timeout 900 java -Djna.library.path="$LIBDIR" -Djava.awt.headless=true \
  -jar "$CONSOLE_JAR" "${launcher_args[@]}" \
  --disable-banner --details=tree --details-theme=ascii --disable-ansi-colors \
  --class-path "$RUNTIME_CP:$OUT/bindings.jar:$OUT/ktx.jar:$OUT/tests.jar" \
  --include-engine junit-jupiter \
  "${selection[@]}" \
  --fail-if-no-tests \
  --reports-dir "$REPORTS" 2>&1 | tee "$OUT/junit.log"
status=${PIPESTATUS[0]}

count() { # label -> number from "[        12 tests successful      ]"
  sed -nE "s/^\[ *([0-9]+) tests $1 *\]$/\1/p" "$OUT/junit.log" | tail -n 1
}
passed=$(count successful); failed=$(count failed); skipped=$(count skipped); aborted=$(count aborted)
passed=${passed:-0}; failed=${failed:-0}; skipped=$(( ${skipped:-0} + ${aborted:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "JUnit exited with status $status without a failed test (crash, timeout or no tests)"
  failed=1
fi
echo "== Kotlin part took $(( $(date +%s) - START )) s (reports: ${REPORTS#"$ROOT"/})"
summary "$passed" "$failed" "$skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
