// Phocol demo: a thin SwiftUI shell over AppGate, which wraps PhocolLogic (the privacy logic,
// plain Swift, tested on Linux) and the GatekeeperCore package. Not compiled on the project's
// machine (no SwiftUI there).

#if canImport(SwiftUI) && canImport(UIKit)
import GatekeeperCore
import PhocolLogic
import SwiftUI

@main
struct PhocolDemoApp: App {
    @StateObject private var gate = AppGate()

    var body: some Scene {
        WindowGroup {
            HomeView()
                .environmentObject(gate)
        }
    }
}

struct HomeView: View {
    @EnvironmentObject var gate: AppGate
    @State private var showingSettings = false

    var body: some View {
        NavigationView {
            List {
                Section("Phocol") {
                    Button("Scan printer QR code (camera)") { gate.cameraTapped() }
                    Button("Sign in with Google") { gate.signInWithGoogle() }
                    if gate.mode == .browseOnly {
                        Button("Use all features (privacy policy)") { gate.showPolicyDialog() }
                    }
                }
                Section("Running SDKs") {
                    if gate.runningSDKs.isEmpty {
                        Text("None").foregroundColor(.secondary)
                    }
                    ForEach(gate.runningSDKs, id: \.self) { Text($0) }
                }
                if let problem = gate.problem {
                    Section("Problem") { Text(problem).foregroundColor(.red) }
                }
            }
            .navigationTitle("Phocol")
            .toolbar {
                Button("Privacy") { showingSettings = true }
                    .disabled(gate.mode != .full)
            }
            .sheet(isPresented: $showingSettings) { PrivacySettingsView().environmentObject(gate) }
        }
        .fullScreenCover(isPresented: .constant(gate.launchScreen != .home || gate.consentStepPending)) {
            FirstRunView().environmentObject(gate)
        }
        .modifier(CameraAlerts())
    }
}
#endif
