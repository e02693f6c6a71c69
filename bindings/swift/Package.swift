// swift-tools-version:6.0
//
// GatekeeperCore: the Swift bindings of the Gatekeeper Rust core (uniffi 0.32), the SDK
// adapters, and test support. See README.md beside this file.
//
// swift-tools-version 6.0 and the Swift 6 language mode, on purpose: every type here is
// checked for data races by the compiler (the brief: Swift types are Sendable), and uniffi
// 0.32's generated code compiles cleanly in that mode. It needs Xcode 16 or newer.
//
// Targets:
//   GatekeeperCoreFFI         the C module: the generated header + the compiled Rust library
//   GatekeeperCore            the generated bindings (GatekeeperCore.swift, by bindings/build.sh)
//                             and the hand-written Swift layer beside them
//   GatekeeperAdapters        SDK adapters that switch real SDKs on and off; the app passes
//                             each SDK's own calls in as closures, so no SDK module is imported here
//   GatekeeperTestSupport     for tests only: stand-ins named like the real SDKs, a manual clock
//   GatekeeperBench           the executable gatekeeper-bench: the Swift rows of .ci/bench
//                             (swift_decide, swift_cached), built with -c release against the
//                             release library (GATEKEEPER_RUST_LIB_DIR=<repo>/target/release);
//                             an executable, not a test, because speed goals live only in bench rows
//
// Where GatekeeperCoreFFI comes from:
//
// * Host builds (Linux, or macOS tests; what tests/run-all.sh does): a systemLibrary target over
//   the hand-written Sources/GatekeeperCoreFFI/module.modulemap, which names the generated header
//   and links `libgatekeeper` built by `cargo build -p gatekeeper` into <repo>/target/debug. The
//   -L/-rpath flags are `unsafeFlags`: SwiftPM accepts them from the root package and from a
//   local (path) dependency, and refuses them from a versioned dependency. The library is looked
//   for in GATEKEEPER_RUST_LIB_DIR, else $CARGO_TARGET_DIR/debug, else <repo>/target/debug.
//
// * Apple apps: a binaryTarget for GatekeeperCoreFFI.xcframework (static library for device and
//   simulator, with the header and module map), built by ./build-xcframework.sh on a Mac. It is
//   used whenever that directory exists beside this file, unless GATEKEEPER_HOST_BUILD=1 (tests
//   on the Mac itself, whose xcframework slices are iOS-only). No unsafe flags in this mode. A
//   versioned (tagged) release must ship the xcframework as a remote binaryTarget (url +
//   checksum); see README.md. Neither Apple mode was built on the project's machine.

import Foundation
import PackageDescription

let packageDir = Context.packageDirectory
let xcframeworkName = "GatekeeperCoreFFI.xcframework"
let hasXCFramework = FileManager.default.fileExists(atPath: packageDir + "/" + xcframeworkName)
let hostBuild = Context.environment["GATEKEEPER_HOST_BUILD"] == "1" || !hasXCFramework
let rustLibDir = Context.environment["GATEKEEPER_RUST_LIB_DIR"]
    ?? Context.environment["CARGO_TARGET_DIR"].map { $0 + "/debug" }
    ?? URL(fileURLWithPath: packageDir + "/../../target/debug").standardizedFileURL.path

let ffiTarget: Target = hostBuild
    ? .systemLibrary(name: "GatekeeperCoreFFI", path: "Sources/GatekeeperCoreFFI")
    : .binaryTarget(name: "GatekeeperCoreFFI", path: xcframeworkName)

let hostLinkerSettings: [LinkerSetting] = hostBuild
    ? [
        .linkedLibrary("gatekeeper"),
        // Link the host-built cdylib (libgatekeeper.so / .dylib) and find it again at run time.
        .unsafeFlags(["-L", rustLibDir, "-Xlinker", "-rpath", "-Xlinker", rustLibDir]),
    ]
    : []

let package = Package(
    name: "GatekeeperCore",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "GatekeeperCore", targets: ["GatekeeperCore"]),
        .library(name: "GatekeeperAdapters", targets: ["GatekeeperAdapters"]),
        .library(name: "GatekeeperTestSupport", targets: ["GatekeeperTestSupport"]),
        .executable(name: "gatekeeper-bench", targets: ["GatekeeperBench"]),
    ],
    targets: [
        ffiTarget,
        .target(
            name: "GatekeeperCore",
            dependencies: ["GatekeeperCoreFFI"],
            path: "Sources/GatekeeperCore",
            linkerSettings: hostLinkerSettings
        ),
        .target(
            name: "GatekeeperAdapters",
            dependencies: ["GatekeeperCore"],
            path: "Sources/GatekeeperAdapters"
        ),
        .target(
            name: "GatekeeperTestSupport",
            dependencies: ["GatekeeperCore", "GatekeeperAdapters"],
            path: "Sources/GatekeeperTestSupport"
        ),
        .executableTarget(
            name: "GatekeeperBench",
            dependencies: ["GatekeeperCore"],
            path: "Sources/GatekeeperBench"
        ),
        .testTarget(
            name: "GatekeeperCoreTests",
            dependencies: ["GatekeeperCore", "GatekeeperTestSupport"],
            path: "Tests/GatekeeperCoreTests"
        ),
        .testTarget(
            name: "GatekeeperAdaptersTests",
            dependencies: ["GatekeeperCore", "GatekeeperAdapters", "GatekeeperTestSupport"],
            path: "Tests/GatekeeperAdaptersTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
