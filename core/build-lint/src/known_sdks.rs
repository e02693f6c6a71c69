//! The built-in table of well-known third-party SDKs, as data: how each shows up in a build
//! (Android package prefixes, `<meta-data>` keys, classes it makes the app declare, iOS
//! module names), the hosts it contacts, and where these facts come from.
//!
//! It covers at least the SDKs the contract names (§10.3): Facebook, Google/Firebase,
//! Huawei HMS, Xiaomi, OPPO/vivo push, Umeng, JPush, Getui, Bugly, AMap, Baidu, Tencent,
//! WeChat, Alipay, Sensors, AppsFlyer, Adjust, Pangle, Kuaishou, and the push channels and
//! ad networks Chinese apps commonly ship with them.
//!
//! How it is used (`sdk_index.rs`): a class is attributed to the entry with the
//! longest matching prefix (segment-wise: `com.umeng` covers `com.umeng.message.X`, not
//! `com.umengx`), so a vendor's specific SDKs are listed next to a catch-all for the rest of
//! its namespace (`com.tencent.bugly` is Bugly, any other `com.tencent.*` is "Tencent
//! (unidentified)"). [`NOT_SDKS`] lists namespaces inside a vendor prefix that are
//! open-source libraries, not SDKs that collect data (React Native under `com.facebook`).
//! `aliases` let a manifest SDK that predates the `packages` field vouch for the entry: a
//! manifest SDK *without* `packages` whose id or name contains an alias (compared in lower
//! case, letters and digits only) is taken to be that SDK.
//!
//! Sources: each entry cites the vendor's integration documentation (the page that tells
//! app developers which components and keys to put in their manifest, or the SDK's own
//! repository), and, where they were used, the project's seed policies (`shared/seeds/`),
//! published third-party sharing lists (第三方信息共享清单) of Chinese apps and MIIT's
//! notices. Class names were cross-checked in December 2026 against public code (SDK
//! integration guides, app manifests and decompiled SDKs found by code search). To add an
//! SDK, add one entry here; the table's tests check its shape.

/// One well-known SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownSdk {
    /// A stable snake-case id, used in messages.
    pub id: &'static str,
    /// Its usual name, as it appears in disclosure lists.
    pub name: &'static str,
    pub vendor: &'static str,
    /// Android package prefixes of its classes.
    pub android: &'static [&'static str],
    /// Exact `<meta-data android:name>` keys it reads that are not under its prefixes.
    pub meta_data: &'static [&'static str],
    /// Class-name endings of components it makes the app declare in the app's own package
    /// (WeChat's callback `….wxapi.WXEntryActivity`).
    pub class_suffixes: &'static [&'static str],
    /// iOS module (framework or bundle) names.
    pub ios_modules: &'static [&'static str],
    /// Hosts it contacts; a host also covers its subdomains.
    pub domains: &'static [&'static str],
    /// Fragments of a manifest SDK's id or name that identify it (normalized: lower case,
    /// letters and digits only).
    pub aliases: &'static [&'static str],
    /// Where the facts above come from.
    pub sources: &'static [&'static str],
}

/// A namespace under a vendor's prefix that is an open-source library, not a data-collecting
/// SDK: a class under it is not reported.
#[derive(Debug, Clone, Copy)]
pub struct NotAnSdk {
    pub prefix: &'static str,
    pub what: &'static str,
    pub source: &'static str,
}

const NONE: KnownSdk = KnownSdk {
    id: "",
    name: "",
    vendor: "",
    android: &[],
    meta_data: &[],
    class_suffixes: &[],
    ios_modules: &[],
    domains: &[],
    aliases: &[],
    sources: &[],
};

const MIIT_2021: &str =
    "MIIT notice of 2021-10-15 on SDKs infringing user rights (字节跳动穿山甲, 腾讯优量汇, 快手广告 SDKs)";
const SHARING_LISTS: &str = "published 第三方信息共享清单 of Chinese apps, which list SDKs by package name";

/// The table. Order does not matter (the longest prefix wins); entries are grouped by vendor.
pub const KNOWN_SDKS: &[KnownSdk] = &[
    // ---- Meta
    KnownSdk {
        id: "facebook",
        name: "Facebook SDK",
        vendor: "Meta Platforms, Inc.",
        android: &["com.facebook"],
        ios_modules: &[
            "FBSDKCoreKit",
            "FBSDKCoreKit_Basics",
            "FBSDKLoginKit",
            "FBSDKShareKit",
            "FBSDKGamingServicesKit",
            "FBAEMKit",
        ],
        domains: &["facebook.com", "facebook.net", "fbcdn.net"],
        aliases: &["facebook", "fbsdk"],
        sources: &[
            "https://developers.facebook.com/docs/android/getting-started (FacebookActivity, CustomTabActivity, meta-data com.facebook.sdk.ApplicationId)",
            "https://github.com/facebook/facebook-ios-sdk FBSDKCoreKit/FBSDKCoreKit/PrivacyInfo.xcprivacy (NSPrivacyTracking true, tracking domain ep1.facebook.com)",
            "shared/seeds/003 (FBSDKCoreKit, FBSDKCoreKit_Basics, FBSDKLoginKit, Facebook SDK for Android)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "facebook_audience_network",
        name: "Meta Audience Network",
        vendor: "Meta Platforms, Inc.",
        android: &["com.facebook.ads"],
        ios_modules: &["FBAudienceNetwork"],
        domains: &["facebook.com"],
        aliases: &["audiencenetwork", "fban"],
        sources: &["https://developers.facebook.com/docs/audience-network/setting-up/platform-setup/android/add-sdk (com.facebook.ads.AudienceNetworkActivity)"],
        ..NONE
    },
    // ---- Google
    KnownSdk {
        id: "google_play_services",
        name: "Google Play services",
        vendor: "Google LLC",
        android: &["com.google.android.gms"],
        aliases: &["google", "playservices", "gms"],
        sources: &["https://developers.google.com/android/guides/setup (meta-data com.google.android.gms.version, com.google.android.gms.common.api.GoogleApiActivity)"],
        ..NONE
    },
    KnownSdk {
        id: "google_sign_in",
        name: "Google Sign-In",
        vendor: "Google LLC",
        android: &["com.google.android.gms.auth"],
        ios_modules: &["GoogleSignIn", "AppAuth", "AppAuthCore", "GTMAppAuth", "GTMSessionFetcher"],
        domains: &["accounts.google.com", "googleapis.com"],
        aliases: &["googlesignin", "googlelogin", "signinwithgoogle", "googleauth"],
        sources: &[
            "https://developers.google.com/identity/sign-in/android/start (com.google.android.gms.auth.api.signin.internal.SignInHubActivity)",
            "https://github.com/google/GoogleSignIn-iOS GoogleSignIn/Sources/Resources/PrivacyInfo.xcprivacy; depends on AppAuth, GTMAppAuth, GTMSessionFetcher",
            "shared/seeds/003 (GoogleSignIn)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "google_mobile_ads",
        name: "Google Mobile Ads (AdMob)",
        vendor: "Google LLC",
        android: &["com.google.android.gms.ads"],
        ios_modules: &["GoogleMobileAds", "UserMessagingPlatform"],
        domains: &["doubleclick.net", "googlesyndication.com", "googleadservices.com"],
        aliases: &["admob", "googlemobileads", "googleads"],
        sources: &[
            "https://developers.google.com/admob/android/quick-start (meta-data com.google.android.gms.ads.APPLICATION_ID, com.google.android.gms.ads.AdActivity)",
            "https://developers.google.com/admob/ios/quick-start (GoogleMobileAds)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "google_maps",
        name: "Google Maps SDK",
        vendor: "Google LLC",
        android: &["com.google.android.gms.maps", "com.google.android.libraries.maps", "com.google.android.libraries.places"],
        meta_data: &["com.google.android.geo.API_KEY", "com.google.android.maps.v2.API_KEY"],
        ios_modules: &["GoogleMaps", "GooglePlaces"],
        domains: &["maps.googleapis.com"],
        aliases: &["googlemaps", "googleplaces"],
        sources: &["https://developers.google.com/maps/documentation/android-sdk/config (meta-data com.google.android.geo.API_KEY)"],
        ..NONE
    },
    KnownSdk {
        id: "google_pay",
        name: "Google Pay API",
        vendor: "Google LLC",
        android: &["com.google.android.gms.wallet"],
        aliases: &["googlepay"],
        sources: &[
            "shared/seeds/003 (Google Pay API, package com.google.android.gms.wallet)",
            "https://developers.google.com/pay/api/android/guides/setup (meta-data com.google.android.gms.wallet.api.enabled)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "firebase",
        name: "Firebase (core)",
        vendor: "Google LLC",
        android: &["com.google.firebase", "com.google.android.datatransport"],
        ios_modules: &[
            "FirebaseCore",
            "FirebaseCoreInternal",
            "FirebaseCoreExtension",
            "FirebaseInstallations",
            "GoogleUtilities",
            "GoogleDataTransport",
            "nanopb",
            "FBLPromises",
        ],
        domains: &["firebaseinstallations.googleapis.com", "firebaselogging-pa.googleapis.com"],
        aliases: &["firebase"],
        sources: &[
            "https://firebase.google.com/docs/android/setup (com.google.firebase.provider.FirebaseInitProvider, com.google.firebase.components.ComponentDiscoveryService; com.google.android.datatransport services)",
            "https://github.com/firebase/firebase-ios-sdk (FirebaseCore, FirebaseInstallations and their dependencies GoogleUtilities, GoogleDataTransport, nanopb, FBLPromises)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "firebase_analytics",
        name: "Google Analytics for Firebase",
        vendor: "Google LLC",
        android: &["com.google.firebase.analytics", "com.google.android.gms.measurement"],
        ios_modules: &["FirebaseAnalytics", "GoogleAppMeasurement", "GoogleAppMeasurementIdentitySupport"],
        domains: &["app-measurement.com", "google-analytics.com"],
        aliases: &["firebaseanalytics", "googleanalytics", "appmeasurement"],
        sources: &["https://firebase.google.com/docs/analytics/get-started?platform=android (com.google.android.gms.measurement.AppMeasurementReceiver, AppMeasurementService, AppMeasurementJobService)"],
        ..NONE
    },
    KnownSdk {
        id: "firebase_messaging",
        name: "Firebase Cloud Messaging",
        vendor: "Google LLC",
        android: &["com.google.firebase.messaging", "com.google.firebase.iid"],
        ios_modules: &["FirebaseMessaging"],
        domains: &["fcm.googleapis.com", "fcmtoken.googleapis.com"],
        aliases: &["firebasemessaging", "firebasecloudmessaging", "fcm"],
        sources: &["https://firebase.google.com/docs/cloud-messaging/android/client (com.google.firebase.messaging.FirebaseMessagingService, com.google.firebase.iid.FirebaseInstanceIdReceiver)"],
        ..NONE
    },
    KnownSdk {
        id: "firebase_crashlytics",
        name: "Firebase Crashlytics",
        vendor: "Google LLC",
        android: &["com.google.firebase.crashlytics"],
        ios_modules: &["FirebaseCrashlytics", "FirebaseSessions"],
        domains: &["crashlytics.com", "crashlyticsreports-pa.googleapis.com"],
        aliases: &["crashlytics"],
        sources: &["https://firebase.google.com/docs/crashlytics/get-started?platform=android"],
        ..NONE
    },
    // ---- Huawei and Honor
    KnownSdk {
        id: "huawei_hms_core",
        name: "HUAWEI HMS Core",
        vendor: "Huawei Device Co., Ltd.",
        android: &["com.huawei.hms", "com.huawei.agconnect", "com.huawei.updatesdk"],
        aliases: &["huawei", "hms", "agconnect"],
        sources: &[
            "https://developer.huawei.com/consumer/cn/hms/ (HMS Core SDKs: com.huawei.hms.activity.BridgeActivity, com.huawei.agconnect.core.ServiceDiscovery, meta-data com.huawei.hms.client.appid)",
            "https://developer.huawei.com/consumer/cn/devservice/term/ (SDK privacy rules, as linked from app sharing lists)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "huawei_push",
        name: "HUAWEI Push Kit",
        vendor: "Huawei Device Co., Ltd.",
        android: &["com.huawei.hms.push", "com.huawei.hms.support.api.push"],
        aliases: &["huaweipush", "hmspush"],
        sources: &["https://developer.huawei.com/consumer/cn/hms/huawei-pushkit/ (com.huawei.hms.push.HmsMessageService)", SHARING_LISTS],
        ..NONE
    },
    KnownSdk {
        id: "huawei_analytics",
        name: "HUAWEI Analytics Kit",
        vendor: "Huawei Device Co., Ltd.",
        android: &["com.huawei.hms.analytics"],
        aliases: &["huaweianalytics", "hmsanalytics"],
        sources: &["https://developer.huawei.com/consumer/cn/hms/huawei-analyticskit/"],
        ..NONE
    },
    KnownSdk {
        id: "honor_push",
        name: "Honor Push",
        vendor: "Honor Device Co., Ltd.",
        android: &["com.hihonor.push"],
        aliases: &["honorpush", "hihonor"],
        sources: &["https://developer.honor.com (Honor Push SDK: com.hihonor.push.sdk, meta-data com.hihonor.push.app_id)"],
        ..NONE
    },
    // ---- Phone makers' push channels
    KnownSdk {
        id: "xiaomi_push",
        name: "Xiaomi Push (MiPush)",
        vendor: "Beijing Xiaomi Technology Co., Ltd.",
        android: &["com.xiaomi.mipush.sdk", "com.xiaomi.push"],
        aliases: &["xiaomipush", "mipush", "xiaomi"],
        sources: &[
            "https://dev.mi.com/console/doc/detail?pId=41 (MiPush Android SDK: com.xiaomi.push.service.XMPushService, com.xiaomi.mipush.sdk.PushMessageHandler, MessageHandleService)",
            "https://dev.mi.com/console/doc/detail?pId=1822 (MiPush SDK privacy rules, as linked from app sharing lists)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "oppo_push",
        name: "OPPO Push (HeyTap OPUSH)",
        vendor: "Guangdong OPPO Mobile Telecommunications Corp., Ltd.",
        android: &["com.heytap.msp", "com.heytap.mcssdk", "com.coloros.mcssdk", "com.coloros.mcs"],
        aliases: &["oppopush", "heytap", "coloros", "oppo"],
        sources: &["https://open.oppomobile.com (OPUSH SDK: com.heytap.msp.push.service.CompatibleDataMessageCallbackService, DataMessageCallbackService; older com.coloros.mcssdk)"],
        ..NONE
    },
    KnownSdk {
        id: "vivo_push",
        name: "vivo Push",
        vendor: "vivo Mobile Communication Co., Ltd.",
        android: &["com.vivo.push"],
        aliases: &["vivopush", "vivo"],
        sources: &[
            "https://dev.vivo.com.cn/documentCenter/doc/365 (vivo push SDK privacy rules, as linked from app sharing lists)",
            "vivo push integration guide (com.vivo.push.sdk.service.CommandClientService, meta-data com.vivo.push.api_key, com.vivo.push.app_id)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "meizu_push",
        name: "Meizu Flyme Push",
        vendor: "Zhuhai Meizu Technology Co., Ltd.",
        android: &["com.meizu.cloud.pushsdk"],
        aliases: &["meizupush", "flymepush", "meizu"],
        sources: &["https://open.flyme.cn (Flyme push SDK: com.meizu.cloud.pushsdk)"],
        ..NONE
    },
    // ---- Umeng and Alibaba
    KnownSdk {
        id: "umeng",
        name: "Umeng (U-App analytics, common and APM)",
        vendor: "Youmeng Tongxin (Beijing) Technology Co., Ltd.",
        android: &["com.umeng"],
        meta_data: &["UMENG_APPKEY", "UMENG_CHANNEL"],
        ios_modules: &["UMCommon", "UMDevice", "UMAPM", "UMCommonLog"],
        domains: &["umeng.com", "umengcloud.com"],
        aliases: &["umeng", "友盟"],
        sources: &["https://developer.umeng.com/docs (U-App and common SDK: com.umeng.commonsdk, com.umeng.analytics; meta-data UMENG_APPKEY, UMENG_CHANNEL)"],
        ..NONE
    },
    KnownSdk {
        id: "umeng_push",
        name: "Umeng Push (U-Push, over Alibaba's ACCS/Agoo channel)",
        vendor: "Youmeng Tongxin (Beijing) Technology Co., Ltd.",
        android: &["com.umeng.message", "com.taobao.accs", "com.taobao.agoo", "org.android.agoo"],
        meta_data: &["UMENG_MESSAGE_SECRET"],
        ios_modules: &["UMPush"],
        aliases: &["umengpush", "upush", "友盟推送"],
        sources: &["https://developer.umeng.com/docs (U-Push Android: com.umeng.message.*, com.taobao.accs.ChannelService, com.taobao.accs.data.MsgDistributeService, org.android.agoo.accs.AgooService)"],
        ..NONE
    },
    KnownSdk {
        id: "umeng_share",
        name: "Umeng Share (U-Share)",
        vendor: "Youmeng Tongxin (Beijing) Technology Co., Ltd.",
        android: &["com.umeng.socialize"],
        ios_modules: &["UMShare"],
        aliases: &["umengshare", "ushare"],
        sources: &["https://developer.umeng.com/docs (U-Share: com.umeng.socialize)"],
        ..NONE
    },
    KnownSdk {
        id: "alibaba_cloud_push",
        name: "Alibaba Cloud Mobile Push (EMAS)",
        vendor: "Alibaba Cloud Computing Co., Ltd.",
        android: &["com.alibaba.sdk.android.push"],
        ios_modules: &["CloudPushSDK"],
        aliases: &["aliyunpush", "alicloudpush", "emaspush"],
        sources: &["https://help.aliyun.com/product/30047.html (Mobile Push Android SDK: com.alibaba.sdk.android.push; it also uses the ACCS/Agoo channel listed under umeng_push)"],
        ..NONE
    },
    KnownSdk {
        id: "alipay",
        name: "Alipay SDK",
        vendor: "Alipay (Hangzhou) Information & Technology Co., Ltd.",
        android: &["com.alipay", "com.ta.utdid2", "com.ut.device"],
        class_suffixes: &[".apshare.ShareEntryActivity"],
        ios_modules: &["AlipaySDK"],
        domains: &["alipay.com", "alipayobjects.com"],
        aliases: &["alipay", "支付宝"],
        sources: &["https://opendocs.alipay.com (App payment SDK: com.alipay.sdk.app.H5PayActivity, H5AuthActivity, PayResultActivity; device id library UTDID com.ta.utdid2, com.ut.device; share callback .apshare.ShareEntryActivity)"],
        ..NONE
    },
    // ---- Push and analytics services
    KnownSdk {
        id: "jpush",
        name: "JPush (Jiguang)",
        vendor: "Shenzhen Hexun Huagu Information Technology Co., Ltd.",
        android: &["cn.jpush", "cn.jiguang"],
        meta_data: &["JPUSH_APPKEY", "JPUSH_CHANNEL"],
        ios_modules: &["JPush", "JCore"],
        domains: &["jpush.cn", "jiguang.cn"],
        aliases: &["jpush", "jiguang", "极光"],
        sources: &["https://docs.jiguang.cn/jpush/client/Android/android_guide (cn.jpush.android.service.PushService, cn.jpush.android.ui.PopWinActivity, JCore cn.jiguang.*, meta-data JPUSH_APPKEY, JPUSH_CHANNEL)"],
        ..NONE
    },
    KnownSdk {
        id: "getui",
        name: "Getui Push",
        vendor: "Meiri Interactive Co., Ltd.",
        android: &["com.igexin", "com.getui"],
        meta_data: &["GETUI_APPID", "PUSH_APPID"],
        ios_modules: &["GTSDK", "GTCommonSDK"],
        domains: &["getui.com", "getui.net", "igexin.com"],
        aliases: &["getui", "igexin", "个推"],
        sources: &["https://docs.getui.com (Android SDK: com.igexin.sdk.PushService, com.getui.gtc; meta-data GETUI_APPID, formerly PUSH_APPID)"],
        ..NONE
    },
    KnownSdk {
        id: "sensors_analytics",
        name: "Sensors Analytics SDK",
        vendor: "Sensors Data Co., Ltd. (Beijing)",
        android: &["com.sensorsdata.analytics"],
        ios_modules: &["SensorsAnalyticsSDK"],
        domains: &["sensorsdata.cn"],
        aliases: &["sensorsdata", "sensorsanalytics", "神策"],
        sources: &[
            "shared/seeds/003 (Sensors Analytics SDK) and https://manual.sensorsdata.cn/sa/latest/zh_cn/sdk-22255999.html",
            "Sensors Analytics Android SDK docs (com.sensorsdata.analytics.android.sdk.dialog.SchemeActivity)",
        ],
        ..NONE
    },
    KnownSdk {
        id: "appsflyer",
        name: "AppsFlyer SDK",
        vendor: "AppsFlyer Ltd.",
        android: &["com.appsflyer"],
        ios_modules: &["AppsFlyerLib"],
        domains: &["appsflyer.com", "appsflyersdk.com", "onelink.me"],
        aliases: &["appsflyer"],
        sources: &["https://dev.appsflyer.com/hc/docs/integrate-android-sdk (com.appsflyer; hosts under appsflyersdk.com)"],
        ..NONE
    },
    KnownSdk {
        id: "adjust",
        name: "Adjust SDK",
        vendor: "Adjust GmbH",
        android: &["com.adjust.sdk"],
        ios_modules: &["AdjustSdk", "AdjustSigSdk"],
        domains: &["adjust.com", "adjust.net.in", "adjust.world", "adjust.cn"],
        aliases: &["adjust"],
        sources: &[
            "https://dev.adjust.com/en/sdk/android (com.adjust.sdk)",
            "https://github.com/adjust/ios_sdk Adjust/PrivacyInfo.xcprivacy",
        ],
        ..NONE
    },
    KnownSdk {
        id: "talkingdata",
        name: "TalkingData SDK",
        vendor: "Beijing Tendcloud Tianxia Technology Co., Ltd.",
        android: &["com.tendcloud"],
        aliases: &["talkingdata"],
        sources: &["https://www.talkingdata.com (Android SDK package com.tendcloud.tenddata)"],
        ..NONE
    },
    KnownSdk {
        id: "growingio",
        name: "GrowingIO SDK",
        vendor: "Beijing Yishu Technology Co., Ltd.",
        android: &["com.growingio"],
        aliases: &["growingio"],
        sources: &["https://docs.growingio.com (Android SDK package com.growingio.android.sdk)"],
        ..NONE
    },
    // ---- Tencent
    KnownSdk {
        id: "wechat",
        name: "WeChat OpenSDK",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent.mm.opensdk", "com.tencent.mm.sdk", "com.tencent.wxop"],
        class_suffixes: &[".wxapi.WXEntryActivity", ".wxapi.WXPayEntryActivity"],
        ios_modules: &["WechatOpenSDK"],
        domains: &["weixin.qq.com", "wechat.com"],
        aliases: &["wechat", "weixin", "微信"],
        sources: &["https://developers.weixin.qq.com/doc/oplatform/Mobile_App/Access_Guide/Android.html (com.tencent.mm.opensdk; the app declares its own <package>.wxapi.WXEntryActivity and .wxapi.WXPayEntryActivity)"],
        ..NONE
    },
    KnownSdk {
        id: "qq_connect",
        name: "QQ Connect (Tencent Open SDK)",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent.tauth", "com.tencent.connect", "com.tencent.open"],
        ios_modules: &["TencentOpenAPI"],
        aliases: &["qqconnect", "qqlogin", "qqsdk", "tencentopen"],
        sources: &["https://wiki.connect.qq.com (com.tencent.tauth.AuthActivity, com.tencent.connect.common.AssistActivity)"],
        ..NONE
    },
    KnownSdk {
        id: "bugly",
        name: "Tencent Bugly",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent.bugly"],
        meta_data: &["BUGLY_APPID", "BUGLY_APP_CHANNEL", "BUGLY_APP_VERSION", "BUGLY_ENABLE_DEBUG"],
        ios_modules: &["Bugly"],
        domains: &["bugly.qq.com"],
        aliases: &["bugly"],
        sources: &["https://bugly.qq.com/docs/ (com.tencent.bugly; meta-data BUGLY_APPID, BUGLY_APP_CHANNEL, BUGLY_APP_VERSION, BUGLY_ENABLE_DEBUG)"],
        ..NONE
    },
    KnownSdk {
        id: "tencent_tpns",
        name: "Tencent Push Notification Service (TPNS, formerly XG)",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent.android.tpush", "com.tencent.tpns"],
        aliases: &["tpns", "xgpush", "信鸽"],
        sources: &["https://cloud.tencent.com/document/product/548 (com.tencent.android.tpush.XGPushActivity and services)"],
        ..NONE
    },
    KnownSdk {
        id: "tencent_gdt",
        name: "Tencent Youlianghui ads (GDT)",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.qq.e"],
        ios_modules: &["GDTMobSDK"],
        domains: &["gdt.qq.com", "e.qq.com"],
        aliases: &["youlianghui", "优量汇", "广点通", "gdt"],
        sources: &["https://e.qq.com/dev/ (com.qq.e.ads.ADActivity, com.qq.e.comm.DownloadService)", MIIT_2021],
        ..NONE
    },
    KnownSdk {
        id: "tencent_map",
        name: "Tencent Map and Location SDK",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent.map", "com.tencent.tencentmap", "com.tencent.lbssearch"],
        meta_data: &["TencentMapSDK"],
        ios_modules: &["QMapKit", "TencentLBS"],
        aliases: &["tencentmap", "tencentlbs", "腾讯地图"],
        sources: &["https://lbs.qq.com (Android map and location SDKs; meta-data TencentMapSDK)"],
        ..NONE
    },
    KnownSdk {
        id: "tencent_tbs",
        name: "Tencent Browsing Service (X5 WebView)",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent.smtt"],
        aliases: &["x5webview", "tencenttbs", "tencentbrowsingservice"],
        sources: &["https://x5.tencent.com (TBS SDK: com.tencent.smtt)"],
        ..NONE
    },
    KnownSdk {
        id: "tencent",
        name: "Tencent SDK (unidentified)",
        vendor: "Shenzhen Tencent Computer Systems Co., Ltd.",
        android: &["com.tencent"],
        aliases: &["tencent", "腾讯"],
        sources: &["Tencent's SDKs publish under com.tencent.* (see the specific entries); any other com.tencent class is reported as unidentified Tencent code"],
        ..NONE
    },
    // ---- Maps and location
    KnownSdk {
        id: "amap",
        name: "AMap (Gaode) Map and Location SDK",
        vendor: "AutoNavi Software Co., Ltd.",
        android: &["com.amap.api", "com.autonavi"],
        ios_modules: &["AMapFoundationKit", "AMapLocationKit", "MAMapKit", "AMapSearchKit", "AMapNaviKit"],
        domains: &["amap.com", "autonavi.com"],
        aliases: &["amap", "gaode", "autonavi", "高德"],
        sources: &[
            "https://lbs.amap.com/api/android-location-sdk/ (com.amap.api.location.APSService; meta-data com.amap.api.v2.apikey)",
            SHARING_LISTS,
        ],
        ..NONE
    },
    KnownSdk {
        id: "baidu_map",
        name: "Baidu Map and Location SDK",
        vendor: "Beijing Baidu Netcom Science and Technology Co., Ltd.",
        android: &["com.baidu.location", "com.baidu.mapapi", "com.baidu.lbsapi", "com.baidu.platform"],
        ios_modules: &["BaiduMapAPI_Base", "BaiduMapAPI_Map", "BaiduMapAPI_Search", "BaiduMapAPI_Utils", "BMKLocationKit"],
        domains: &["map.baidu.com"],
        aliases: &["baidumap", "baidulbs", "baidulocation", "百度地图"],
        sources: &["https://lbsyun.baidu.com (location SDK service com.baidu.location.f; meta-data com.baidu.lbsapi.API_KEY)"],
        ..NONE
    },
    KnownSdk {
        id: "baidu_push",
        name: "Baidu Cloud Push",
        vendor: "Beijing Baidu Netcom Science and Technology Co., Ltd.",
        android: &["com.baidu.android.pushservice"],
        aliases: &["baidupush"],
        sources: &["https://push.baidu.com (com.baidu.android.pushservice.PushService)"],
        ..NONE
    },
    KnownSdk {
        id: "baidu_mobstat",
        name: "Baidu Mobile Statistics (Baidu Tongji)",
        vendor: "Beijing Baidu Netcom Science and Technology Co., Ltd.",
        android: &["com.baidu.mobstat"],
        meta_data: &["BaiduMobAd_STAT_ID", "BaiduMobAd_CHANNEL"],
        ios_modules: &["BaiduMobStat"],
        aliases: &["baidumobstat", "baidustat", "百度统计"],
        sources: &["https://mtj.baidu.com (meta-data BaiduMobAd_STAT_ID, BaiduMobAd_CHANNEL)"],
        ..NONE
    },
    KnownSdk {
        id: "baidu_mobads",
        name: "Baidu Mobile Ads (Baiqingteng)",
        vendor: "Beijing Baidu Netcom Science and Technology Co., Ltd.",
        android: &["com.baidu.mobads"],
        ios_modules: &["BaiduMobAdSDK"],
        aliases: &["baidumobads", "baiduads", "百青藤"],
        sources: &["https://union.baidu.com (com.baidu.mobads.sdk.api.AppActivity)"],
        ..NONE
    },
    KnownSdk {
        id: "baidu",
        name: "Baidu SDK (unidentified)",
        vendor: "Beijing Baidu Netcom Science and Technology Co., Ltd.",
        android: &["com.baidu"],
        aliases: &["baidu", "百度"],
        sources: &["Baidu's SDKs publish under com.baidu.* (see the specific entries)"],
        ..NONE
    },
    // ---- ByteDance and Kuaishou
    KnownSdk {
        id: "pangle",
        name: "Pangle / CSJ ads (穿山甲)",
        vendor: "Beijing Juliang Engine Network Technology Co., Ltd.",
        android: &["com.bytedance.sdk.openadsdk", "com.bytedance.pangle", "com.bykv.vk"],
        ios_modules: &["BUAdSDK", "PAGAdSDK", "CSJAdSDK"],
        domains: &["pangle.io", "pangleglobal.com", "csjplatform.com"],
        aliases: &["pangle", "csjads", "chuanshanjia", "穿山甲"],
        sources: &[
            "https://www.csjplatform.com (Android SDK: com.bytedance.sdk.openadsdk.TTFileProvider, multipro.TTMultiProvider, activity.TTLandingPageActivity)",
            "https://www.pangle.cn/privacy; app sharing lists name it 穿山甲广告SDK(com.bytedance)",
            MIIT_2021,
        ],
        ..NONE
    },
    KnownSdk {
        id: "douyin_open",
        name: "Douyin Open SDK (login and share)",
        vendor: "ByteDance (Douyin Open Platform)",
        android: &["com.bytedance.sdk.open"],
        aliases: &["douyin", "抖音"],
        sources: &["https://developer.open-douyin.com (com.bytedance.sdk.open.douyin.ui.DouYinWebAuthorizeActivity)"],
        ..NONE
    },
    KnownSdk {
        id: "bytedance",
        name: "ByteDance SDK (unidentified)",
        vendor: "ByteDance Ltd.",
        android: &["com.bytedance", "com.ss.android"],
        aliases: &["bytedance", "字节跳动"],
        sources: &["ByteDance's SDKs publish under com.bytedance.* and com.ss.android.* (see the specific entries)"],
        ..NONE
    },
    KnownSdk {
        id: "kuaishou_ads",
        name: "Kuaishou Ads SDK (快手联盟)",
        vendor: "Beijing Kuaishou Technology Co., Ltd.",
        android: &["com.kwad", "com.ksad", "com.kuaishou.weapon"],
        ios_modules: &["KSAdSDK"],
        aliases: &["kuaishou", "kwad", "ksad", "快手"],
        sources: &[
            "https://u.kuaishou.com (快手联盟 SDK: com.kwad.sdk.api.proxy.app.AdWebViewActivityProxy, FeedDownloadActivity, KsRewardVideoActivity, FileDownloadService)",
            MIIT_2021,
        ],
        ..NONE
    },
    KnownSdk {
        id: "kuaishou_open",
        name: "Kuaishou Open SDK (login and share)",
        vendor: "Beijing Kuaishou Technology Co., Ltd.",
        android: &["com.kwai.opensdk", "com.kwai.auth"],
        aliases: &["kwaiopensdk", "kuaishoulogin", "kuaishoushare"],
        sources: &["https://open.kuaishou.com (Kuaishou open SDK for Android: com.kwai.opensdk, com.kwai.auth)"],
        ..NONE
    },
    // ---- Social login, sharing and one-tap login
    KnownSdk {
        id: "weibo",
        name: "Sina Weibo SDK",
        vendor: "Beijing Weimeng Chuangke Network Technology Co., Ltd.",
        android: &["com.sina.weibo.sdk"],
        ios_modules: &["WeiboSDK"],
        aliases: &["weibo", "微博"],
        sources: &["https://open.weibo.com (Android SDK package com.sina.weibo.sdk)"],
        ..NONE
    },
    KnownSdk {
        id: "sharesdk",
        name: "MobTech ShareSDK",
        vendor: "MobTech",
        android: &["cn.sharesdk", "com.mob"],
        aliases: &["sharesdk", "mobtech"],
        sources: &["https://www.mob.com (ShareSDK: cn.sharesdk.*, com.mob.*)"],
        ..NONE
    },
    KnownSdk {
        id: "shanyan",
        name: "Shanyan one-tap login (闪验)",
        vendor: "Chuanglan (253.com)",
        android: &["com.chuanglan.shanyan_sdk"],
        aliases: &["shanyan", "闪验"],
        sources: &["https://shanyan.253.com (com.chuanglan.shanyan_sdk.view.CmccLoginActivity)"],
        ..NONE
    },
    KnownSdk {
        id: "cmic_auth",
        name: "China Mobile number authentication (一键登录)",
        vendor: "China Mobile Internet Co., Ltd.",
        android: &["com.cmic.sso.sdk", "com.cmic.gen.sdk"],
        aliases: &["cmic", "chinamobileauth", "移动认证"],
        sources: &["China Mobile's number-authentication SDK, embedded by one-tap login SDKs (com.cmic.sso.sdk.activity.LoginAuthActivity, com.cmic.gen.sdk.view.GenLoginAuthActivity)"],
        ..NONE
    },
];

/// Namespaces inside the table's prefixes that are not data-collecting SDKs.
pub const NOT_SDKS: &[NotAnSdk] = &[
    NotAnSdk { prefix: "com.facebook.react", what: "React Native", source: "https://github.com/facebook/react-native" },
    NotAnSdk {
        prefix: "com.facebook.soloader",
        what: "SoLoader (React Native)",
        source: "https://github.com/facebook/SoLoader",
    },
    NotAnSdk {
        prefix: "com.facebook.fresco",
        what: "Fresco image library",
        source: "https://github.com/facebook/fresco",
    },
    NotAnSdk {
        prefix: "com.facebook.drawee",
        what: "Fresco image library",
        source: "https://github.com/facebook/fresco",
    },
    NotAnSdk {
        prefix: "com.facebook.imagepipeline",
        what: "Fresco image library",
        source: "https://github.com/facebook/fresco",
    },
    NotAnSdk {
        prefix: "com.facebook.flipper",
        what: "Flipper debugger (debug builds)",
        source: "https://github.com/facebook/flipper",
    },
    NotAnSdk {
        prefix: "com.facebook.stetho",
        what: "Stetho debug bridge (debug builds)",
        source: "https://github.com/facebook/stetho",
    },
    NotAnSdk {
        prefix: "com.facebook.shimmer",
        what: "Shimmer UI library",
        source: "https://github.com/facebook/shimmer-android",
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn valid_prefix(p: &str) -> bool {
        !p.is_empty() && p.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    }

    #[test]
    fn entries_are_well_formed() {
        let mut ids = HashSet::new();
        for sdk in KNOWN_SDKS {
            assert!(ids.insert(sdk.id), "duplicate id {}", sdk.id);
            assert!(sdk.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{}", sdk.id);
            assert!(!sdk.name.is_empty() && !sdk.vendor.is_empty(), "{}", sdk.id);
            assert!(!sdk.sources.is_empty(), "{} cites no source", sdk.id);
            assert!(!sdk.aliases.is_empty(), "{} has no alias", sdk.id);
            assert!(!sdk.android.is_empty() || !sdk.ios_modules.is_empty(), "{} has no signature", sdk.id);
            for p in sdk.android {
                assert!(valid_prefix(p), "{}: bad prefix {p}", sdk.id);
            }
            for a in sdk.aliases {
                assert_eq!(crate::sdk_index::normalize(a), *a, "{}: alias {a} is not normalized", sdk.id);
            }
            for s in sdk.class_suffixes {
                assert!(s.starts_with('.') && valid_prefix(&s[1..]), "{}: {s}", sdk.id);
            }
            for d in sdk.domains {
                assert!(d.contains('.') && !d.starts_with('.') && d.to_ascii_lowercase() == *d, "{}: {d}", sdk.id);
            }
        }
    }

    #[test]
    fn no_signature_is_claimed_twice() {
        let mut seen = HashSet::new();
        for sdk in KNOWN_SDKS {
            for p in sdk.android.iter().chain(sdk.meta_data).chain(sdk.class_suffixes).chain(sdk.ios_modules) {
                assert!(seen.insert(*p), "{p} is listed twice");
            }
        }
        for n in NOT_SDKS {
            assert!(valid_prefix(n.prefix) && seen.insert(n.prefix), "{}", n.prefix);
        }
    }

    #[test]
    fn the_readme_lists_every_entry() {
        let readme = include_str!("../README.md");
        for sdk in KNOWN_SDKS {
            assert!(readme.contains(&format!("| `{}` | {} |", sdk.id, sdk.name)), "README lacks {}", sdk.id);
        }
        assert!(readme.contains(&format!("Coverage ({} entries)", KNOWN_SDKS.len())));
    }

    #[test]
    fn the_contract_s_sdks_are_covered() {
        // Contract §10.3: "at least Facebook, Google/Firebase, Huawei HMS, Xiaomi, OPPO/vivo
        // push, Umeng, JPush, Getui, Bugly, AMap, Baidu, Tencent, WeChat, Alipay, Sensors,
        // AppsFlyer, Adjust, Pangle, Kuaishou".
        for id in [
            "facebook",
            "google_sign_in",
            "firebase",
            "huawei_hms_core",
            "xiaomi_push",
            "oppo_push",
            "vivo_push",
            "umeng",
            "jpush",
            "getui",
            "bugly",
            "amap",
            "baidu",
            "tencent",
            "wechat",
            "alipay",
            "sensors_analytics",
            "appsflyer",
            "adjust",
            "pangle",
            "kuaishou_ads",
        ] {
            assert!(KNOWN_SDKS.iter().any(|s| s.id == id), "{id} missing");
        }
    }
}
