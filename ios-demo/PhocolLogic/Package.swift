// swift-tools-version:6.0
//
// PhocolLogic: the iOS demo's privacy logic in plain Swift (no UIKit, no SwiftUI), the
// counterpart of the Android demo's dev.gatekeeper.demo.logic. It is also the repository's
// outside app package: it depends on bindings/swift by path, as an app checked out beside
// the bindings would, and builds, runs and is tested on Linux in tests/run-all.sh.
//
//   PhocolLogic        first-run flow, consent settings, permission flow, SDK registry,
//                      decision-log screen, and PhocolGate, which wires them (the SwiftUI app
//                      in ../PhocolDemo is a thin shell over it)
//   phocol-demo        an executable: the demo's flow on the embedded example policy, printed
//   PhocolLogicTests   the same acceptance scenario as the Android demo's DemoScenarioTest
//
// A path dependency may carry the bindings' host-build unsafeFlags (-L/-rpath to
// <repo>/target/debug); a versioned dependency may not (see bindings/swift/README.md).

import PackageDescription

let package = Package(
    name: "PhocolLogic",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "PhocolLogic", targets: ["PhocolLogic"]),
        .executable(name: "phocol-demo", targets: ["PhocolConsole"]),
    ],
    dependencies: [
        .package(name: "GatekeeperCore", path: "../../bindings/swift"),
    ],
    targets: [
        .target(
            name: "PhocolLogic",
            dependencies: [
                .product(name: "GatekeeperCore", package: "GatekeeperCore"),
                .product(name: "GatekeeperAdapters", package: "GatekeeperCore"),
            ]
        ),
        .executableTarget(
            name: "PhocolConsole",
            dependencies: [
                "PhocolLogic",
                .product(name: "GatekeeperCore", package: "GatekeeperCore"),
            ]
        ),
        .testTarget(
            name: "PhocolLogicTests",
            dependencies: [
                "PhocolLogic",
                .product(name: "GatekeeperCore", package: "GatekeeperCore"),
                .product(name: "GatekeeperAdapters", package: "GatekeeperCore"),
                .product(name: "GatekeeperTestSupport", package: "GatekeeperCore"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
