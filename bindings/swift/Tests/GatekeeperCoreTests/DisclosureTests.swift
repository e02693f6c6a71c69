// `disclose(lang:)`: the collection and sharing lists (contract §10.2) as typed records, so
// an iOS app renders them natively in its settings screen.

import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class DisclosureTests: StoreTestCase {
    func testDiscloseListsEveryPurposePermissionAndSDKInTheLanguageAskedFor() throws {
        let gk = try openExample(ManualClock())
        let en = try gk.disclose(lang: "en")
        XCTAssertEqual(en.policy.id, "phocol")
        XCTAssertEqual(en.lang, "en")
        XCTAssertEqual(en.collection.map(\.purpose), Example.purposes)
        XCTAssertEqual(en.permissions.map(\.permission), Example.permissions)
        XCTAssertEqual(en.sharing.map(\.sdk), Example.sdks)

        let analytics = try XCTUnwrap(en.collection.first { $0.purpose == "analytics" })
        XCTAssertEqual(analytics.basis, .consent)
        XCTAssertEqual(analytics.title, "Usage analytics (pages, clicks, searches, device information)")
        XCTAssertTrue(analytics.sdks.contains("sensors_analytics"))
        XCTAssertEqual(gk.manifest().purposes.first { $0.id == "analytics" }?.title, analytics.title)

        let facebook = try XCTUnwrap(en.sharing.first { $0.sdk == "facebook" })
        XCTAssertEqual(facebook.role, .independent)
        XCTAssertEqual(facebook.packages, ["com.facebook"])
        XCTAssertEqual(facebook.iosModules, ["FBSDKCoreKit", "FBSDKCoreKit_Basics", "FBAEMKit"])
        XCTAssertEqual(facebook.separateConsentIn, ["CN", "default"])
        XCTAssertEqual(en.sharing.first { $0.sdk == "mmkv" }?.separateConsentIn, ["default"])

        let zh = try gk.disclose(lang: "zh-Hans-CN")
        XCTAssertEqual(zh.collection.first { $0.purpose == "analytics" }?.title, "使用情况分析（页面、点击、搜索、设备信息）")
        XCTAssertEqual(zh.sharing.first { $0.sdk == "mmkv" }?.usage, "高性能本地键值存储，用于在本机缓存您的设置、登录状态和令牌")
        XCTAssertEqual(zh.sharing.map(\.separateConsentIn), en.sharing.map(\.separateConsentIn))
        XCTAssertEqual(zh.sharing.first { $0.sdk == "mmkv" }?.dataNames, ["应用设置", "登录凭证"])
        XCTAssertEqual(en.sharing.first { $0.sdk == "mmkv" }?.data, ["app_settings", "login_token"])

        let fallback = try gk.disclose(lang: nil)
        XCTAssertNil(fallback.lang)
        XCTAssertEqual(fallback.collection.map(\.title), en.collection.map(\.title))
    }

    func testDiscloseForALocaleUsesItsLanguage() throws {
        let gk = try openExample(ManualClock())
        let zh = try gk.disclose(locale: Locale(identifier: "zh_Hans_CN"))
        XCTAssertEqual(zh.lang, "zh-Hans-CN")
        XCTAssertEqual(zh.collection.first { $0.purpose == "essential" }?.title, "核心服务：账户、连接打印机、打印、订单与客服")
        let de = try gk.disclose(locale: Locale(identifier: "de_DE@calendar=gregorian"))
        XCTAssertEqual(de.lang, "de-DE")
        XCTAssertEqual(de.collection.map(\.title), try gk.disclose(lang: "en").collection.map(\.title))
    }

    func testAMalformedLanguageTagIsInvalidArgument() throws {
        let gk = try openExample(ManualClock())
        guard case let .InvalidArgument(message)? = gatekeeperError({ _ = try gk.disclose(lang: "zh_CN") }) else {
            return XCTFail("expected InvalidArgument")
        }
        XCTAssertTrue(message.contains("BCP 47"), message)
    }
}
