// The Gatekeeper Kotlin library module, buildable on its own:
//   cd bindings/kotlin && gradle assembleRelease
// An app can instead include it from its own settings.gradle.kts:
//   include(":gatekeeper")
//   project(":gatekeeper").projectDir = file("<path to>/bindings/kotlin")
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
    plugins {
        id("com.android.library") version "8.7.3"
        id("org.jetbrains.kotlin.android") version "2.1.0"
    }
}

dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "gatekeeper"
