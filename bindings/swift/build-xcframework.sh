#!/usr/bin/env bash
# Builds GatekeeperCoreFFI.xcframework (next to Package.swift) from the Rust staticlib, for
# iOS devices (aarch64-apple-ios) and the simulator (aarch64-apple-ios-sim + x86_64-apple-ios,
# merged with lipo). Once it exists, Package.swift uses it as a binaryTarget, which is what an
# iOS app should depend on.
#
# Needs macOS with Xcode (xcodebuild, lipo) and rustup. Elsewhere it explains and exits 0, so
# scripted runs on Linux are not failed by it.
#
#   ./build-xcframework.sh            # release build (what apps ship)
#   PROFILE=debug ./build-xcframework.sh
#
# Steps, for the record:
#   1. rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
#   2. cargo build -p gatekeeper --lib --release --target <each of them>
#   3. lipo -create <the two simulator libgatekeeper.a> -output build/ios-sim/libgatekeeper.a
#   4. headers: the generated GatekeeperCoreFFI.h and GatekeeperCoreFFI.modulemap (renamed
#      module.modulemap) under Headers/GatekeeperCoreFFI/ — a subdirectory, so that the module
#      maps of several xcframeworks in one app do not collide in Xcode's include directory
#   5. xcodebuild -create-xcframework -library <device .a> -headers <dir>
#                                     -library <simulator .a> -headers <dir>
#                                     -output GatekeeperCoreFFI.xcframework
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ "$(uname -s)" != "Darwin" ] || ! command -v xcodebuild >/dev/null 2>&1; then
  echo "build-xcframework.sh: needs macOS with Xcode (xcodebuild); this is $(uname -s). Nothing built."
  echo "On a Mac: cd bindings/swift && ./build-xcframework.sh"
  exit 0
fi

profile="${PROFILE:-release}"
# A plain string, not an array: macOS's bash 3.2 treats an empty array as unbound under set -u.
release_flag=""
if [ "$profile" = "release" ]; then release_flag="--release"; fi
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-15.0}"

device=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim x86_64-apple-ios)

echo "== Rust targets"
rustup target add "$device" "${simulators[@]}"

echo "== cargo build ($profile)"
for t in "$device" "${simulators[@]}"; do
  (cd "$root" && cargo build -p gatekeeper --lib $release_flag --target "$t")
done

ffi="$here/Sources/GatekeeperCoreFFI"
if [ ! -f "$ffi/GatekeeperCoreFFI.h" ] || [ ! -f "$ffi/GatekeeperCoreFFI.modulemap" ]; then
  echo "== generating the Swift bindings (bindings/build.sh)"
  if [ -x "$root/bindings/build.sh" ]; then
    "$root/bindings/build.sh"
  else
    echo "error: $ffi/GatekeeperCoreFFI.h is missing and bindings/build.sh was not found" >&2
    exit 1
  fi
fi

work="$here/build/xcframework"
rm -rf "$work" "$here/GatekeeperCoreFFI.xcframework"
mkdir -p "$work/headers/GatekeeperCoreFFI" "$work/ios" "$work/ios-sim"

cp "$ffi/GatekeeperCoreFFI.h" "$work/headers/GatekeeperCoreFFI/"
cp "$ffi/GatekeeperCoreFFI.modulemap" "$work/headers/GatekeeperCoreFFI/module.modulemap"

cp "$root/target/$device/$profile/libgatekeeper.a" "$work/ios/libgatekeeper.a"
lipo -create \
  "$root/target/${simulators[0]}/$profile/libgatekeeper.a" \
  "$root/target/${simulators[1]}/$profile/libgatekeeper.a" \
  -output "$work/ios-sim/libgatekeeper.a"

echo "== xcodebuild -create-xcframework"
xcodebuild -create-xcframework \
  -library "$work/ios/libgatekeeper.a" -headers "$work/headers" \
  -library "$work/ios-sim/libgatekeeper.a" -headers "$work/headers" \
  -output "$here/GatekeeperCoreFFI.xcframework"

echo "Built $here/GatekeeperCoreFFI.xcframework"
echo "Package.swift now uses it as a binaryTarget (set GATEKEEPER_HOST_BUILD=1 for 'swift test' on the Mac itself)."
