// phocol-demo: the iOS demo's flow, run as a command on the embedded example policy, through
// PhocolLogic and the GatekeeperCore package taken by path, as an outside app takes it. It
// prints what the app would do and exits non-zero if the gatekeeper ever lets something
// through that the contract forbids.
//
//   swift run --package-path ios-demo/PhocolLogic phocol-demo [--db PATH]

import Foundation
import GatekeeperCore
import PhocolLogic

var arguments = CommandLine.arguments.dropFirst()
var dbPath = FileManager.default.temporaryDirectory.appendingPathComponent("phocol-demo-\(getpid()).db").path
var keep = false
while let arg = arguments.popFirst() {
    switch arg {
    case "--db":
        guard let p = arguments.popFirst() else { printError("--db needs a path"); exit(2) }
        dbPath = p
        keep = true
    default:
        printError("usage: phocol-demo [--db PATH]")
        exit(2)
    }
}
defer {
    if !keep { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) } }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

var problems = 0
@MainActor
func expect(_ ok: Bool, _ what: String) {
    if !ok {
        problems += 1
        print("  !! \(what)")
    }
}

let started = Locked()
do {
    let gk = try Gatekeeper.open(dbPath: dbPath, manifestJson: exampleManifest())
    let app = PhocolGate(gatekeeper: gk,
                         start: { id in started.add(id); print("  start SDK \(id)") },
                         stop: { id in print("  stop SDK \(id)") })

    print("1. first run in China: \(app.firstRun.launchScreen())")
    app.onAppStart(deviceRegion: "CN")
    expect(started.all.isEmpty, "no SDK may start before the policy is accepted")

    print("2. disagree: browse only")
    app.firstRun.disagree()
    if case .showPolicy = app.permissions.request("camera") {} else { expect(false, "camera must show the policy first") }

    print("3. agree")
    try app.firstRun.agree()
    expect(started.all == ["mmkv"], "only MMKV (essential, Chinese vendor) starts on acceptance, got \(started.all)")

    print("4. consent: usage analytics on")
    try app.consent.setPurpose("analytics", on: true)
    expect(gk.decideSdk(id: "sensors_analytics").isAllowed, "Sensors Analytics is allowed after the analytics grant")
    expect(!gk.decideSdk(id: "facebook").isAllowed, "Facebook needs its own consent in China")

    print("5. camera: the OS refuses")
    let tap = app.permissions.request("camera")
    print("   tap → \(tap.decision.verdict.code) \(tap.decision.reason.code)")
    try app.permissions.record("camera", .denied)
    let again = app.permissions.request("camera")
    print("   \(PermissionFlow.message(again, timeZone: TimeZone(identifier: "UTC")!) ?? "-")")
    if case .tryAgainLater = again {} else { expect(false, "no re-prompt right after a refusal") }

    print("6. withdraw analytics")
    let changes = try app.consent.setPurpose("analytics", on: false)
    for c in changes where c.sdkId != nil {
        print("   \(c.subject): \(c.old.verdict.code) → \(c.new.verdict.code) \(c.new.reason.code)")
    }
    expect(!app.sdks.isRunning("sensors_analytics"), "Sensors Analytics stopped in the withdrawal's call")

    print("7. decision log (newest first)")
    for line in app.decisionLog.lines(timeZone: TimeZone(identifier: "UTC")!).prefix(5) { print("   \(line)") }
    gk.closeStore()
} catch {
    print("error: \(error)")
    exit(1)
}

print(problems == 0 ? "phocol-demo: ok" : "phocol-demo: \(problems) problem(s)")
exit(problems == 0 ? 0 : 1)

/// The SDK ids started, in order (the starters run on whichever thread made the change).
final class Locked: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func add(_ id: String) { lock.lock(); ids.append(id); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return ids }
}
