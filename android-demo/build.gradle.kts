// Plugin versions for the whole build: the :gatekeeper module (../bindings/kotlin) applies
// its plugins without versions, and these are the ones its own settings.gradle.kts pins for a
// standalone build. (The desktop tests compile the same Kotlin with kotlinc 2.4.20.)
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("com.android.library") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0" apply false
}
