#!/usr/bin/env bash
# Builds the host library (debug profile) and generates the Kotlin and Swift bindings.
#
#   bindings/build.sh            # build + generate Kotlin and Swift
#   bindings/build.sh kotlin     # build + generate Kotlin only
#   bindings/build.sh swift      # build + generate Swift only
#
# Outputs (generated, not committed; see bindings/README.md):
#   target/debug/libgatekeeper.{so,dylib}                           the host library
#   bindings/kotlin/src/main/kotlin/dev/gatekeeper/gatekeeper.kt    Kotlin (package dev.gatekeeper)
#   bindings/swift/Sources/GatekeeperCore/GatekeeperCore.swift      Swift (module GatekeeperCore)
#   bindings/swift/Sources/GatekeeperCoreFFI/GatekeeperCoreFFI.h    C header of the FFI
#   bindings/swift/Sources/GatekeeperCoreFFI/GatekeeperCoreFFI.modulemap  its Clang module map
#
# Only the debug profile is built: the test run (tests/run-all.sh) builds that one profile,
# so the Rust crate is never compiled twice. Release libraries for Android come from the
# cargo-ndk step in bindings/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

langs=("$@")
[ ${#langs[@]} -eq 0 ] && langs=(kotlin swift)
for l in "${langs[@]}"; do
  case "$l" in kotlin|swift) ;; *) echo "usage: bindings/build.sh [kotlin] [swift]" >&2; exit 2 ;; esac
done

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$(uname -s)" in
  Darwin) LIB="$TARGET_DIR/debug/libgatekeeper.dylib" ;;
  *) LIB="$TARGET_DIR/debug/libgatekeeper.so" ;;
esac
BINDGEN="$TARGET_DIR/debug/uniffi-bindgen"

echo "== cargo build (debug): gatekeeper library + uniffi-bindgen"
# One invocation, so both packages resolve uniffi's features the same way as the
# workspace test build (`cargo nextest run --workspace`) and nothing is rebuilt after it.
# Target flags apply to every selected package: --lib picks the core's library (cdylib,
# staticlib, rlib) and --bin the generator; `-p gatekeeper --lib -p uniffi-bindgen` alone
# would build no uniffi-bindgen binary at all.
cargo build -p gatekeeper -p uniffi-bindgen --lib --bin uniffi-bindgen
[ -f "$LIB" ] || { echo "build.sh: $LIB was not produced" >&2; exit 1; }
[ -x "$BINDGEN" ] || { echo "build.sh: $BINDGEN was not produced" >&2; exit 1; }

# Generates into a scratch directory, then installs each file only when it changed, so
# a regeneration with the same library leaves mtimes (and compile caches) alone and a
# failed generation never leaves half-written bindings behind.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/gatekeeper-bindgen.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

install_if_changed() { # src dst
  mkdir -p "$(dirname "$2")"
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    echo "   unchanged $2"
  else
    cp "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
    echo "   wrote     $2"
  fi
}

for l in "${langs[@]}"; do
  case "$l" in
    kotlin)
      echo "== uniffi-bindgen: Kotlin"
      # bindings/uniffi-kotlin.toml layers Kotlin-only settings over core/uniffi.toml
      # (immutable records). The core's close needs no rename: it is exported as
      # close_store (closeStore) in every language, clear of AutoCloseable.close.
      "$BINDGEN" generate "$LIB" --language kotlin --out-dir "$SCRATCH/kotlin" --no-format \
        --config "$ROOT/bindings/uniffi-kotlin.toml"
      install_if_changed "$SCRATCH/kotlin/dev/gatekeeper/gatekeeper.kt" \
        "$ROOT/bindings/kotlin/src/main/kotlin/dev/gatekeeper/gatekeeper.kt"
      ;;
    swift)
      echo "== uniffi-bindgen: Swift"
      # bindings/uniffi-swift.toml layers Swift-only settings over core/uniffi.toml (the
      # errors' LocalizedError conformance is hand-written, so it carries the core's message).
      "$BINDGEN" generate "$LIB" --language swift --out-dir "$SCRATCH/swift" --no-format \
        --config "$ROOT/bindings/uniffi-swift.toml"
      install_if_changed "$SCRATCH/swift/GatekeeperCore.swift" \
        "$ROOT/bindings/swift/Sources/GatekeeperCore/GatekeeperCore.swift"
      install_if_changed "$SCRATCH/swift/GatekeeperCoreFFI.h" \
        "$ROOT/bindings/swift/Sources/GatekeeperCoreFFI/GatekeeperCoreFFI.h"
      # Under uniffi's name: bindings/swift/build-xcframework.sh ships it in the xcframework
      # as module.modulemap. The module.modulemap beside it is hand-written and committed
      # (host builds: it also links libgatekeeper), so it is never overwritten here.
      install_if_changed "$SCRATCH/swift/GatekeeperCoreFFI.modulemap" \
        "$ROOT/bindings/swift/Sources/GatekeeperCoreFFI/GatekeeperCoreFFI.modulemap"
      ;;
  esac
done
echo "== bindings ready (library: ${LIB#"$ROOT"/})"
