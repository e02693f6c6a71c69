// The privacy screens: first-run dialog, consent switches, settings with withdrawal, and the
// alerts of the camera flow. Every decision comes from AppGate. Not compiled on the project's
// machine (no SwiftUI there).

#if canImport(SwiftUI) && canImport(UIKit)
import GatekeeperCore
import PhocolLogic
import SwiftUI

/// First run (or a MAJOR policy update): agree, or browse only; then the consent switches.
struct FirstRunView: View {
    @EnvironmentObject var gate: AppGate

    var body: some View {
        NavigationView {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    if gate.launchScreen == .home {
                        consentStep
                    } else {
                        policyStep
                    }
                }
                .padding()
            }
            .navigationTitle("Privacy")
        }
    }

    private var policyStep: some View {
        Group {
            Text(title).font(.title2).bold()
            Text("Phocol connects to your printer, prints your photos and sells supplies. "
                 + "Please read our privacy policy first. Nothing is collected and no "
                 + "third-party SDK starts until you agree.")
            Link("Read the privacy policy", destination: URL(string: "https://example.com/privacy")!)
            if gate.launchScreen == .guardianAcceptance {
                Text("You are under the age of consent: a parent or guardian must agree for you.")
                    .foregroundColor(.orange)
            }
            Button(agreeTitle) { gate.agree(byGuardian: gate.launchScreen == .guardianAcceptance) }
                .buttonStyle(.borderedProminent)
            if gate.launchScreen == .acceptPolicy || gate.launchScreen == .acceptUpdatedPolicy {
                Button("Disagree (browse only)") { gate.disagree() }
            }
        }
    }

    private var consentStep: some View {
        Group {
            Text("Your choices").font(.title2).bold()
            Text("Each of these is optional, off until you switch it on, and can be switched off "
                 + "at any time in Privacy settings.")
            ConsentTogglesView(source: "first_run_dialog")
            Button("Continue") { gate.finishConsentStep() }
                .buttonStyle(.borderedProminent)
        }
    }

    private var title: String {
        switch gate.launchScreen {
        case .acceptUpdatedPolicy: return "Our privacy policy has changed"
        case .noticeOfChanges: return "We updated our privacy policy"
        default: return "Welcome to Phocol"
        }
    }

    private var agreeTitle: String {
        switch gate.launchScreen {
        case .guardianAcceptance: return "My guardian agrees"
        case .noticeOfChanges: return "OK"
        default: return "Agree and continue"
        }
    }
}

/// One switch per purpose the user may refuse, and one per SDK that needs its own consent
/// (AppGate.toggles: from the manifest and the user's jurisdiction).
struct ConsentTogglesView: View {
    @EnvironmentObject var gate: AppGate
    var source = "settings"

    var body: some View {
        VStack(alignment: .leading) {
            ForEach(gate.toggles) { t in
                Toggle(t.title, isOn: Binding(get: { t.on }, set: { gate.set(t, on: $0, source: source) }))
            }
            Text("An SDK's own switch works only while the purpose it serves is on too.")
                .font(.footnote).foregroundColor(.secondary)
        }
    }
}

/// The decision log: what the gatekeeper answered, when, and why.
struct DecisionLogView: View {
    @EnvironmentObject var gate: AppGate

    var body: some View {
        List(gate.decisionLogLines(), id: \.self) { Text($0).font(.footnote.monospaced()) }
            .navigationTitle("Decision log")
    }
}

/// Privacy settings: the same switches, and withdrawal in one tap.
struct PrivacySettingsView: View {
    @EnvironmentObject var gate: AppGate
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        NavigationView {
            Form {
                Section("Your choices") { ConsentTogglesView(source: "settings") }
                Section {
                    Button("Withdraw all consent", role: .destructive) { gate.withdrawAll() }
                }
                Section("Running SDKs") {
                    ForEach(gate.runningSDKs, id: \.self) { Text($0) }
                }
                Section {
                    NavigationLink("Decision log") { DecisionLogView() }
                }
            }
            .navigationTitle("Privacy")
            .toolbar { Button("Done") { dismiss() } }
        }
    }
}

/// The alerts of the just-in-time camera flow.
struct CameraAlerts: ViewModifier {
    @EnvironmentObject var gate: AppGate

    func body(content: Content) -> some View {
        content.alert(title, isPresented: Binding(get: { gate.camera != .idle }, set: { if !$0 { gate.camera = .idle } })) {
            switch gate.camera {
            case let .step(step) where step.isConsentPrompt:
                Button("Allow") { gate.grantForCamera(step) }
                Button("Not now", role: .cancel) { gate.camera = .idle }
            case .step(.openSystemSettings):
                Button("Open Settings") { gate.openSystemSettings() }
                Button("Cancel", role: .cancel) { gate.camera = .idle }
            default:
                Button("OK", role: .cancel) { gate.camera = .idle }
            }
        } message: {
            Text(message)
        }
    }

    private var title: String {
        switch gate.camera {
        case .showCamera: return "Camera"
        case let .step(step) where step.isConsentPrompt: return "Your consent is needed"
        default: return "Camera access"
        }
    }

    private var message: String {
        switch gate.camera {
        case .idle: return ""
        case .showCamera: return "(The camera would open here.)"
        case let .step(.askConsent(_, _, purposes, sdks, _)): return "To continue, allow: " + (purposes + sdks).joined(separator: ", ")
        case let .step(step): return PermissionFlow.message(step) ?? ""
        }
    }
}

extension PermissionStep {
    var isConsentPrompt: Bool {
        if case .askConsent = self { return true }
        return false
    }
}
#endif
