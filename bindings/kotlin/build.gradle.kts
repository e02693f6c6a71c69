// Android library module wrapping the Rust core through uniffi-generated Kotlin.
//
// Before building:
//   1. bindings/build.sh kotlin      -> src/main/kotlin/dev/gatekeeper/gatekeeper.kt
//   2. the cargo-ndk step of bindings/README.md -> src/main/jniLibs/<abi>/libgatekeeper.so
// (Not built on the project's CI machine: it has no Android SDK/NDK and no Google Maven.)
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "dev.gatekeeper"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets {
        getByName("main") {
            // The generated bindings (gatekeeper.kt) and the hand-written ktx layer.
            kotlin.srcDirs("src/main/kotlin")
            // libgatekeeper.so per ABI, from cargo-ndk.
            jniLibs.srcDirs("src/main/jniLibs")
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17)
    }
}

dependencies {
    // uniffi's Kotlin calls the native library through JNA; the AAR carries
    // libjnidispatch.so for every Android ABI.
    implementation("net.java.dev.jna:jna:5.13.0@aar")
}

// Fails early, with the fix, when the generated source is missing.
val checkGeneratedBindings by tasks.registering {
    val generated = file("src/main/kotlin/dev/gatekeeper/gatekeeper.kt")
    doLast {
        if (!generated.exists()) {
            throw GradleException("Missing $generated: run bindings/build.sh kotlin first (see bindings/README.md)")
        }
    }
}
tasks.named("preBuild") { dependsOn(checkGeneratedBindings) }
