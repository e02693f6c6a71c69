package dev.gatekeeper.tests

import android.content.TestContext
import dev.gatekeeper.adapters.AMapAdapter
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.FacebookAdapter
import dev.gatekeeper.adapters.FirebaseAnalyticsAdapter
import dev.gatekeeper.adapters.GoogleSignInAdapter
import dev.gatekeeper.adapters.HuaweiPushAdapter
import dev.gatekeeper.adapters.JPushAdapter
import dev.gatekeeper.adapters.SdkAdapter
import dev.gatekeeper.adapters.SensorsAnalyticsAdapter
import dev.gatekeeper.adapters.UmengAdapter
import dev.gatekeeper.tests.standins.StandInLog
import dev.gatekeeper.tests.standins.StandInTasks
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.lang.reflect.Modifier
import java.nio.file.Files
import java.nio.file.Paths
import java.util.Collections

/**
 * The adapters reach their SDKs by reflection, so a release build's R8 must keep what they
 * name. This holds the library's consumer rules (bindings/kotlin/consumer-rules.pro) against
 * every SDK class the adapters name in their code and every class they actually load when
 * each is switched on and off against the stand-ins. (R8 itself is not run here: no Android
 * toolchain.)
 */
class KeepRulesTest {
    /** One `-keep class|interface NAME { BODY }` rule. */
    private data class Rule(val pattern: Regex, val body: String)

    private val rules: List<Rule> by lazy {
        val text = String(Files.readAllBytes(Paths.get("bindings/kotlin/consumer-rules.pro")))
        Regex("""(?m)^-keep\s+(?:class|interface|enum)\s+(\S+)\s*\{([^}]*)\}""").findAll(text).map { m ->
            val glob = m.groupValues[1]
            val regex = buildString {
                var i = 0
                while (i < glob.length) {
                    when {
                        glob.startsWith("**", i) -> { append(".*"); i += 2 }
                        glob[i] == '*' -> { append("[^.]*"); i++ }
                        else -> { append(Regex.escape(glob[i].toString())); i++ }
                    }
                }
            }
            Rule(Regex(regex), m.groupValues[2].trim())
        }.toList()
    }

    /** Whether [className] (binary name, `Outer$Inner`) is kept with its public members. */
    private fun kept(className: String): Boolean = rules.any { r ->
        r.pattern.matches(className) && (r.body == "*;" || r.body == "public *;")
    }

    private val adapterClasses = listOf(
        FacebookAdapter::class.java, SensorsAnalyticsAdapter::class.java, FirebaseAnalyticsAdapter::class.java,
        GoogleSignInAdapter::class.java, HuaweiPushAdapter::class.java, AMapAdapter::class.java,
        UmengAdapter::class.java, JPushAdapter::class.java,
    )

    @Test
    fun `every SDK class an adapter names is kept with its public members`() {
        val named = adapterClasses.flatMap { c ->
            c.declaredFields.filter { Modifier.isStatic(it.modifiers) && it.type == String::class.java }.mapNotNull { f ->
                f.isAccessible = true
                (f.get(null) as String).takeIf { Regex("""^[a-z]\w*(\.\w+)+(\$\w+)?$""").matches(it) && !it.startsWith("dev.gatekeeper") }
            }
        }.toSortedSet()
        assertTrue(named.size >= 20, "the adapters' class names were found: $named")
        assertEquals(emptyList<String>(), named.filterNot { kept(it) }, "not kept by consumer-rules.pro")
    }

    /** Records every class name an adapter asks for, then lets the test class loader answer. */
    private class Recording(parent: ClassLoader) : ClassLoader(parent) {
        val asked: MutableSet<String> = Collections.synchronizedSet(sortedSetOf())
        override fun loadClass(name: String, resolve: Boolean): Class<*> {
            asked += name
            return super.loadClass(name, resolve)
        }
    }

    @Test
    fun `every SDK class an adapter loads while switching is kept`() {
        StandInLog.reset()
        StandInTasks.reset()
        com.sensorsdata.analytics.android.sdk.SensorsDataAPI.resetProcess()
        com.umeng.commonsdk.UMConfigure.resetProcess()
        cn.jpush.android.api.JPushInterface.resetProcess()
        val loader = Recording(KeepRulesTest::class.java.classLoader)
        val options = AdapterOptions(log = { _, _ -> }, classLoader = loader)
        val context = TestContext()
        val adapters: List<SdkAdapter> = listOf(
            FacebookAdapter(options = options),
            SensorsAnalyticsAdapter(context, "https://sa.example.com/sa", options = options),
            FirebaseAnalyticsAdapter(context, options = options),
            GoogleSignInAdapter(context, options = options),
            HuaweiPushAdapter(context, options = options),
            AMapAdapter(context, options = options),
            UmengAdapter(context, "key", "channel", options = options),
            JPushAdapter(context, options = options),
        )
        for (a in adapters) {
            assertTrue(a.switchOn().isOn, a.sdkId)
            a.switchOff()
        }
        val sdkClasses = loader.asked.filterNot { n -> listOf("java.", "javax.", "kotlin.", "android.", "dev.gatekeeper.").any { n.startsWith(it) } }
        assertTrue(sdkClasses.size >= 15, sdkClasses.toString())
        // The stand-ins model only the classes the adapters use; a class they load that is absent
        // from the app (the 2D map SDK here) needs a rule too, for the app that has it.
        assertEquals(emptyList<String>(), sdkClasses.filterNot { kept(it) }, "loaded but not kept by consumer-rules.pro")
    }
}
