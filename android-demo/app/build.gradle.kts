import org.gradle.api.DefaultTask
import org.gradle.api.file.DirectoryProperty
import org.gradle.api.file.RegularFileProperty
import org.gradle.api.tasks.InputFile
import org.gradle.api.tasks.OutputDirectory
import org.gradle.api.tasks.PathSensitive
import org.gradle.api.tasks.PathSensitivity
import org.gradle.api.tasks.TaskAction

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "dev.gatekeeper.demo"
    compileSdk = 35

    defaultConfig {
        applicationId = "dev.gatekeeper.demo"
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "1.0"
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
    }

    buildTypes {
        release {
            // JNA and the generated bindings use reflection; keep minification off in the demo.
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
    // The Gatekeeper library module (../bindings/kotlin): the generated bindings (package
    // dev.gatekeeper), JNA as an AAR (with libjnidispatch.so), and libgatekeeper.so for each
    // ABI from its src/main/jniLibs (cargo-ndk, see README.md). The app adds no native code.
    implementation(project(":gatekeeper"))
    implementation("androidx.activity:activity-ktx:1.9.3")

    // The real SDKs are NOT dependencies of the demo: each needs an account of its own (a
    // Facebook app id, google-services.json, agconnect-services.json, an AMap key). Their
    // adapters reach them by reflection, so the app builds without them and each adapter logs
    // "SDK absent". To drive a real SDK, add it, e.g.:
    //   implementation("com.facebook.android:facebook-core:latest.release")
    //   implementation("com.sensorsdata.analytics.android:SensorsAnalyticsSDK:latest.release")
    //   implementation("com.google.android.gms:play-services-auth:21.2.0")
    //   implementation("com.google.firebase:firebase-analytics:22.1.2")   // + google-services plugin
    //   implementation("com.huawei.hms:push:6.12.0.300")                   // + Huawei's Maven repo
    //   implementation("com.amap.api:3dmap:latest.integration")           // + AMap key in the manifest

    // Instrumented tests (app/src/androidTest), run on an emulator or device:
    //   ./gradlew :app:connectedDebugAndroidTest
    androidTestImplementation("androidx.test.ext:junit:1.2.1")
    androidTestImplementation("androidx.test:runner:1.6.2")
    androidTestImplementation("androidx.test:core-ktx:1.6.1")
}

// ---------------------------------------------------------------------------------------------
// assets/policy.json: the single policy manifest, core/policy/example-manifest.json, copied at
// build time into a generated assets directory (never committed, so it cannot drift).

abstract class CopyPolicyManifest : DefaultTask() {
    @get:InputFile
    @get:PathSensitive(PathSensitivity.NONE)
    abstract val manifest: RegularFileProperty

    @get:OutputDirectory
    abstract val outputDir: DirectoryProperty

    @TaskAction
    fun copy() {
        val out = outputDir.get().asFile
        out.deleteRecursively()
        out.mkdirs()
        manifest.get().asFile.copyTo(out.resolve("policy.json"), overwrite = true)
    }
}

val copyPolicyManifest = tasks.register<CopyPolicyManifest>("copyPolicyManifest") {
    manifest.set(rootProject.layout.projectDirectory.file("../core/policy/example-manifest.json"))
}

androidComponents {
    onVariants { variant ->
        variant.sources.assets?.addGeneratedSourceDirectory(copyPolicyManifest, CopyPolicyManifest::outputDir)
    }
}
