// Gatekeeper.disclose(lang): the collection and sharing lists (contract §10.2) as typed records,
// so an app renders them natively in its settings screen.
package dev.gatekeeper.tests

import dev.gatekeeper.Basis
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.Role
import dev.gatekeeper.ktx.disclose
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.Locale

class DisclosureTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `disclose lists every purpose, permission and SDK in the language asked for`() {
        openExample(dir, ManualClock()).use { gk ->
            val en = gk.disclose("en")
            assertEquals("phocol", en.policy.id)
            assertEquals("3.1", en.policy.version)
            assertEquals("en", en.lang)
            assertEquals(Example.purposes, en.collection.map { it.purpose })
            assertEquals(gk.manifest().permissions.map { it.id }, en.permissions.map { it.permission })
            assertEquals(Example.sdks, en.sharing.map { it.sdk })

            val analytics = en.collection.single { it.purpose == "analytics" }
            assertEquals(Basis.CONSENT, analytics.basis)
            assertEquals("Usage analytics (pages, clicks, searches, device information)", analytics.title)
            assertTrue("device_id" in analytics.data, analytics.data.toString())
            assertTrue("sensors_analytics" in analytics.sdks, analytics.sdks.toString())
            // The title the existing records carry is still the English text.
            assertEquals(analytics.title, gk.manifest().purposes.single { it.id == "analytics" }.title)

            val facebook = en.sharing.single { it.sdk == "facebook" }
            assertEquals(Role.INDEPENDENT, facebook.role)
            assertEquals("US", facebook.vendorCountry)
            assertEquals(listOf("com.facebook"), facebook.packages)
            assertTrue(facebook.privacyPolicy!!.startsWith("https://www.facebook.com/privacy/policy"))
            assertEquals(listOf("CN", "default"), facebook.separateConsentIn)
            assertEquals(listOf("default"), en.sharing.single { it.sdk == "mmkv" }.separateConsentIn)

            val zh = gk.disclose("zh-CN")
            assertEquals("使用情况分析（页面、点击、搜索、设备信息）", zh.collection.single { it.purpose == "analytics" }.title)
            assertEquals("相机：扫描打印机二维码、拍摄要打印的照片", zh.permissions.single { it.permission == "camera" }.title)
            assertEquals("在您点击“扫一扫”或“拍照”时申请", zh.permissions.single { it.permission == "camera" }.usage)
            assertNotEquals(en.sharing.map { it.usage }, zh.sharing.map { it.usage })
            // The data terms by their names, for a native list.
            val zhAnalytics = zh.collection.single { it.purpose == "analytics" }
            assertEquals(zhAnalytics.data.size, zhAnalytics.dataNames.size)
            assertTrue("设备标识符" in zhAnalytics.dataNames, zhAnalytics.dataNames.toString())
            assertTrue("Device identifiers" in analytics.dataNames, analytics.dataNames.toString())
            // The same lists, only the texts differ.
            assertEquals(en.sharing.map { it.separateConsentIn }, zh.sharing.map { it.separateConsentIn })

            // No language: English, and lang is null.
            val default = gk.disclose(null)
            assertNull(default.lang)
            assertEquals(en.collection.map { it.title }, default.collection.map { it.title })
        }
    }

    @Test
    fun `disclose for a Locale asks for its language tag`() {
        openExample(dir, ManualClock()).use { gk ->
            val zh = gk.disclose(Locale.SIMPLIFIED_CHINESE)
            assertEquals("zh-CN", zh.lang)
            assertEquals("核心服务：账户、连接打印机、打印、订单与客服", zh.collection.first().title)
            val root = gk.disclose(Locale.ROOT)
            assertNull(root.lang)
            assertEquals(gk.disclose("en").collection.map { it.title }, root.collection.map { it.title })
        }
    }

    @Test
    fun `a malformed language tag is InvalidArgument`() {
        openExample(dir, ManualClock()).use { gk ->
            val e = assertThrows<GatekeeperException.InvalidArgument> { gk.disclose("zh_CN") }
            assertTrue(e.message!!.contains("BCP 47"), e.message)
        }
    }
}
