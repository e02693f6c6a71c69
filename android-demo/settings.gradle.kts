// Phocol demo: the app and the Gatekeeper Kotlin library module (generated uniffi bindings +
// JNA + the Android native libraries), which lives at ../bindings/kotlin.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "PhocolDemo"

include(":app")
include(":gatekeeper")
project(":gatekeeper").projectDir = file("../bindings/kotlin")
