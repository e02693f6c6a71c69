//! The recommended vocabulary for the manifest's `data` entries (contract §10.1), as data:
//! each term with what it means (in English and Chinese, for the disclosure lists), the
//! Apple privacy-manifest types (`NSPrivacyCollectedDataType…`) and the Google Play Data
//! safety types it corresponds to.
//!
//! `data` entries stay free strings; a manifest that uses these terms gets its privacy
//! manifests compared with them: a collected data type is covered when the owner's `data`
//! has a term mapped to it (or the Apple type name itself). The terms follow the two stores'
//! categories, plus the device identifiers and other items Chinese disclosure lists
//! (个人信息收集清单) name one by one (IMEI, Android ID, OAID…).
//!
//! Sources:
//! - Apple: "Describing data use in privacy manifests" and the `NSPrivacyCollectedDataType`
//!   reference (<https://developer.apple.com/documentation/bundleresources/describing-data-use-in-privacy-manifests>),
//!   the 35 values including visionOS's EnvironmentScanning, Hands and Head; note Apple's
//!   spelling `NSPrivacyCollectedDataTypePhotosorVideos`.
//! - Google: Play Console Help "Provide information for Google Play's Data safety section"
//!   (<https://support.google.com/googleplay/android-developer/answer/10787469>) and
//!   "Declare your app's data use" (<https://developer.android.com/privacy-and-security/declare-data-use>):
//!   14 categories, 38 data types.

/// One recommended `data` term.
#[derive(Debug, Clone, Copy)]
pub struct DataTerm {
    /// The term, as written in the manifest's `data`.
    pub id: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    /// The Apple types it covers, without the `NSPrivacyCollectedDataType` prefix.
    pub apple: &'static [&'static str],
    /// The Google Play Data safety `(category, data type)` pairs it corresponds to.
    pub google: &'static [(&'static str, &'static str)],
}

/// Prefix of every Apple collected-data-type value.
pub const APPLE_PREFIX: &str = "NSPrivacyCollectedDataType";

/// Apple's collected data types (without [`APPLE_PREFIX`]), grouped as in Apple's list.
pub const APPLE_DATA_TYPES: &[&str] = &[
    // Contact info
    "Name",
    "EmailAddress",
    "PhoneNumber",
    "PhysicalAddress",
    "OtherUserContactInfo",
    // Health and fitness
    "Health",
    "Fitness",
    // Financial info
    "PaymentInfo",
    "CreditInfo",
    "OtherFinancialInfo",
    // Location
    "PreciseLocation",
    "CoarseLocation",
    // Sensitive info
    "SensitiveInfo",
    // Contacts
    "Contacts",
    // User content
    "EmailsOrTextMessages",
    "PhotosorVideos",
    "AudioData",
    "GameplayContent",
    "CustomerSupport",
    "OtherUserContent",
    // Browsing and search history
    "BrowsingHistory",
    "SearchHistory",
    // Identifiers
    "UserID",
    "DeviceID",
    // Purchases
    "PurchaseHistory",
    // Usage data
    "ProductInteraction",
    "AdvertisingData",
    "OtherUsageData",
    // Diagnostics
    "CrashData",
    "PerformanceData",
    "OtherDiagnosticData",
    // Surroundings and body (visionOS)
    "EnvironmentScanning",
    "Hands",
    "Head",
    // Other data
    "OtherDataTypes",
];

/// Google Play's Data safety `(category, data type)` pairs.
pub const GOOGLE_DATA_TYPES: &[(&str, &str)] = &[
    ("Location", "Approximate location"),
    ("Location", "Precise location"),
    ("Personal info", "Name"),
    ("Personal info", "Email address"),
    ("Personal info", "User IDs"),
    ("Personal info", "Address"),
    ("Personal info", "Phone number"),
    ("Personal info", "Race and ethnicity"),
    ("Personal info", "Political or religious beliefs"),
    ("Personal info", "Sexual orientation"),
    ("Personal info", "Other info"),
    ("Financial info", "User payment info"),
    ("Financial info", "Purchase history"),
    ("Financial info", "Credit score"),
    ("Financial info", "Other financial info"),
    ("Health and fitness", "Health info"),
    ("Health and fitness", "Fitness info"),
    ("Messages", "Emails"),
    ("Messages", "SMS or MMS"),
    ("Messages", "Other in-app messages"),
    ("Photos and videos", "Photos"),
    ("Photos and videos", "Videos"),
    ("Audio files", "Voice or sound recordings"),
    ("Audio files", "Music files"),
    ("Audio files", "Other audio files"),
    ("Files and docs", "Files and docs"),
    ("Calendar", "Calendar events"),
    ("Contacts", "Contacts"),
    ("App activity", "App interactions"),
    ("App activity", "In-app search history"),
    ("App activity", "Installed apps"),
    ("App activity", "Other user-generated content"),
    ("App activity", "Other actions"),
    ("Web browsing", "Web browsing history"),
    ("App info and performance", "Crash logs"),
    ("App info and performance", "Diagnostics"),
    ("App info and performance", "Other app performance data"),
    ("Device or other IDs", "Device or other IDs"),
];

const IDS: (&str, &str) = ("Device or other IDs", "Device or other IDs");
const DEVICE_ID: &[&str] = &["DeviceID"];

/// The vocabulary, grouped like Apple's categories.
pub const DATA_VOCABULARY: &[DataTerm] = &[
    // Contact and account
    DataTerm { id: "name", en: "Name", zh: "姓名/昵称", apple: &["Name"], google: &[("Personal info", "Name")] },
    DataTerm {
        id: "email",
        en: "Email address",
        zh: "电子邮箱",
        apple: &["EmailAddress"],
        google: &[("Personal info", "Email address")],
    },
    DataTerm {
        id: "phone_number",
        en: "Phone number",
        zh: "手机号码",
        apple: &["PhoneNumber"],
        google: &[("Personal info", "Phone number")],
    },
    DataTerm {
        id: "physical_address",
        en: "Postal address",
        zh: "通讯地址",
        apple: &["PhysicalAddress"],
        google: &[("Personal info", "Address")],
    },
    DataTerm {
        id: "other_contact_info",
        en: "Other contact information",
        zh: "其他联系方式",
        apple: &["OtherUserContactInfo"],
        google: &[("Personal info", "Other info")],
    },
    DataTerm {
        id: "date_of_birth",
        en: "Date of birth and gender",
        zh: "出生日期与性别",
        apple: &["OtherDataTypes"],
        google: &[("Personal info", "Other info")],
    },
    DataTerm {
        id: "user_id",
        en: "Account or user ID",
        zh: "账号/用户ID",
        apple: &["UserID"],
        google: &[("Personal info", "User IDs")],
    },
    DataTerm {
        id: "account_profile",
        en: "Account profile (name, email, avatar) from a sign-in",
        zh: "账号资料（昵称、邮箱、头像）",
        apple: &["Name", "EmailAddress", "UserID"],
        google: &[("Personal info", "Name"), ("Personal info", "Email address"), ("Personal info", "User IDs")],
    },
    DataTerm { id: "login_token", en: "Login session token", zh: "登录凭证", apple: &[], google: &[] },
    DataTerm { id: "oauth_token", en: "OAuth authorization token", zh: "授权令牌", apple: &[], google: &[] },
    // Sensitive
    DataTerm {
        id: "sensitive_info",
        en: "Sensitive personal information",
        zh: "敏感个人信息",
        apple: &["SensitiveInfo"],
        google: &[
            ("Personal info", "Race and ethnicity"),
            ("Personal info", "Political or religious beliefs"),
            ("Personal info", "Sexual orientation"),
        ],
    },
    DataTerm {
        id: "ethnicity",
        en: "Race or ethnicity",
        zh: "民族",
        apple: &["SensitiveInfo"],
        google: &[("Personal info", "Race and ethnicity")],
    },
    DataTerm {
        id: "religious_beliefs",
        en: "Political or religious beliefs",
        zh: "宗教信仰/政治观点",
        apple: &["SensitiveInfo"],
        google: &[("Personal info", "Political or religious beliefs")],
    },
    DataTerm {
        id: "sexual_orientation",
        en: "Sexual orientation",
        zh: "性取向",
        apple: &["SensitiveInfo"],
        google: &[("Personal info", "Sexual orientation")],
    },
    DataTerm {
        id: "biometric",
        en: "Biometric data (face, fingerprint)",
        zh: "生物识别信息（人脸、指纹）",
        apple: &["SensitiveInfo"],
        google: &[("Personal info", "Other info")],
    },
    // Financial
    DataTerm {
        id: "payment_info",
        en: "Payment card or account",
        zh: "支付账户/银行卡",
        apple: &["PaymentInfo"],
        google: &[("Financial info", "User payment info")],
    },
    DataTerm {
        id: "payment_token",
        en: "Payment token",
        zh: "支付令牌",
        apple: &["PaymentInfo"],
        google: &[("Financial info", "User payment info")],
    },
    DataTerm {
        id: "purchase_history",
        en: "Purchase history",
        zh: "购买记录",
        apple: &["PurchaseHistory"],
        google: &[("Financial info", "Purchase history")],
    },
    DataTerm {
        id: "transaction_details",
        en: "Transaction details",
        zh: "交易信息",
        apple: &["PurchaseHistory"],
        google: &[("Financial info", "Purchase history")],
    },
    DataTerm {
        id: "credit_info",
        en: "Credit score or history",
        zh: "信用信息",
        apple: &["CreditInfo"],
        google: &[("Financial info", "Credit score")],
    },
    DataTerm {
        id: "other_financial_info",
        en: "Other financial information",
        zh: "其他财产信息",
        apple: &["OtherFinancialInfo"],
        google: &[("Financial info", "Other financial info")],
    },
    // Health
    DataTerm {
        id: "health",
        en: "Health information",
        zh: "健康信息",
        apple: &["Health"],
        google: &[("Health and fitness", "Health info")],
    },
    DataTerm {
        id: "fitness",
        en: "Fitness and activity",
        zh: "运动健身信息",
        apple: &["Fitness"],
        google: &[("Health and fitness", "Fitness info")],
    },
    // Location
    DataTerm {
        id: "precise_location",
        en: "Precise location",
        zh: "精确位置",
        apple: &["PreciseLocation"],
        google: &[("Location", "Precise location")],
    },
    DataTerm {
        id: "coarse_location",
        en: "Approximate location",
        zh: "粗略位置",
        apple: &["CoarseLocation"],
        google: &[("Location", "Approximate location")],
    },
    DataTerm {
        id: "location",
        en: "Location (precise or approximate)",
        zh: "位置信息",
        apple: &["PreciseLocation", "CoarseLocation"],
        google: &[("Location", "Precise location"), ("Location", "Approximate location")],
    },
    DataTerm {
        id: "ip_address",
        en: "IP address (and the approximate location derived from it)",
        zh: "IP地址",
        apple: &["CoarseLocation"],
        google: &[("Location", "Approximate location")],
    },
    // Contacts
    DataTerm {
        id: "contacts",
        en: "Address book",
        zh: "通讯录",
        apple: &["Contacts"],
        google: &[("Contacts", "Contacts")],
    },
    DataTerm {
        id: "friend_list",
        en: "Friends or social graph",
        zh: "好友关系",
        apple: &["Contacts"],
        google: &[("Contacts", "Contacts")],
    },
    // User content
    DataTerm {
        id: "messages",
        en: "Emails, SMS and in-app messages",
        zh: "邮件/短信/聊天信息",
        apple: &["EmailsOrTextMessages"],
        google: &[("Messages", "Emails"), ("Messages", "SMS or MMS"), ("Messages", "Other in-app messages")],
    },
    DataTerm {
        id: "sms",
        en: "SMS or MMS",
        zh: "短信",
        apple: &["EmailsOrTextMessages"],
        google: &[("Messages", "SMS or MMS")],
    },
    DataTerm {
        id: "photos",
        en: "Photos",
        zh: "照片",
        apple: &["PhotosorVideos"],
        google: &[("Photos and videos", "Photos")],
    },
    DataTerm {
        id: "videos",
        en: "Videos",
        zh: "视频",
        apple: &["PhotosorVideos"],
        google: &[("Photos and videos", "Videos")],
    },
    DataTerm {
        id: "audio",
        en: "Audio and voice recordings",
        zh: "音频/录音",
        apple: &["AudioData"],
        google: &[
            ("Audio files", "Voice or sound recordings"),
            ("Audio files", "Music files"),
            ("Audio files", "Other audio files"),
        ],
    },
    DataTerm {
        id: "gameplay_content",
        en: "Gameplay content",
        zh: "游戏内容",
        apple: &["GameplayContent"],
        google: &[("App activity", "Other user-generated content")],
    },
    DataTerm {
        id: "support_chat",
        en: "Customer-support conversations",
        zh: "客服沟通记录",
        apple: &["CustomerSupport"],
        google: &[("Messages", "Other in-app messages")],
    },
    DataTerm {
        id: "user_content",
        en: "Other user-generated content",
        zh: "用户发布的内容",
        apple: &["OtherUserContent"],
        google: &[("App activity", "Other user-generated content")],
    },
    DataTerm {
        id: "files_and_docs",
        en: "Files and documents",
        zh: "文件",
        apple: &["OtherUserContent"],
        google: &[("Files and docs", "Files and docs")],
    },
    DataTerm {
        id: "calendar",
        en: "Calendar events",
        zh: "日历",
        apple: &["OtherUserContent"],
        google: &[("Calendar", "Calendar events")],
    },
    // History
    DataTerm {
        id: "browsing_history",
        en: "Web browsing history",
        zh: "浏览记录",
        apple: &["BrowsingHistory"],
        google: &[("Web browsing", "Web browsing history")],
    },
    DataTerm {
        id: "search_history",
        en: "In-app search history",
        zh: "搜索记录",
        apple: &["SearchHistory"],
        google: &[("App activity", "In-app search history")],
    },
    // Identifiers
    DataTerm { id: "device_id", en: "Device identifiers", zh: "设备标识符", apple: DEVICE_ID, google: &[IDS] },
    DataTerm {
        id: "advertising_id",
        en: "Advertising identifier (IDFA, GAID, OAID)",
        zh: "广告标识符",
        apple: DEVICE_ID,
        google: &[IDS],
    },
    DataTerm { id: "android_id", en: "Android ID", zh: "Android ID", apple: &[], google: &[IDS] },
    DataTerm { id: "oaid", en: "OAID (China's advertising identifier)", zh: "OAID", apple: &[], google: &[IDS] },
    DataTerm { id: "imei", en: "IMEI or MEID", zh: "IMEI/MEID", apple: &[], google: &[IDS] },
    DataTerm { id: "imsi", en: "IMSI or ICCID (SIM identifiers)", zh: "IMSI/ICCID", apple: &[], google: &[IDS] },
    DataTerm { id: "mac_address", en: "MAC address", zh: "MAC地址", apple: DEVICE_ID, google: &[IDS] },
    DataTerm { id: "idfa", en: "IDFA", zh: "IDFA", apple: DEVICE_ID, google: &[] },
    DataTerm { id: "idfv", en: "IDFV", zh: "IDFV", apple: DEVICE_ID, google: &[] },
    DataTerm {
        id: "installation_id", en: "App installation ID", zh: "应用安装标识", apple: DEVICE_ID, google: &[IDS]
    },
    DataTerm {
        id: "app_instance_id",
        en: "Analytics app-instance ID",
        zh: "应用实例标识",
        apple: DEVICE_ID,
        google: &[IDS],
    },
    DataTerm { id: "push_token", en: "Push notification token", zh: "推送令牌", apple: DEVICE_ID, google: &[IDS] },
    // Usage
    DataTerm {
        id: "app_usage",
        en: "App interactions (launches, taps, page views)",
        zh: "应用使用情况",
        apple: &["ProductInteraction"],
        google: &[("App activity", "App interactions")],
    },
    DataTerm {
        id: "advertising_data",
        en: "Advertising data (ads seen and clicked)",
        zh: "广告展示与点击",
        apple: &["AdvertisingData"],
        google: &[("App activity", "App interactions")],
    },
    DataTerm {
        id: "installed_apps",
        en: "Installed-app list",
        zh: "已安装应用列表",
        apple: &["OtherUsageData"],
        google: &[("App activity", "Installed apps")],
    },
    DataTerm {
        id: "other_usage_data",
        en: "Other usage data",
        zh: "其他使用数据",
        apple: &["OtherUsageData"],
        google: &[("App activity", "Other actions")],
    },
    // Diagnostics and device
    DataTerm {
        id: "crash_log",
        en: "Crash logs",
        zh: "崩溃日志",
        apple: &["CrashData"],
        google: &[("App info and performance", "Crash logs")],
    },
    DataTerm {
        id: "performance_data",
        en: "Performance data (launch time, hangs)",
        zh: "性能数据",
        apple: &["PerformanceData"],
        google: &[("App info and performance", "Diagnostics")],
    },
    DataTerm {
        id: "diagnostics",
        en: "Other diagnostic data",
        zh: "其他诊断数据",
        apple: &["OtherDiagnosticData"],
        google: &[("App info and performance", "Other app performance data")],
    },
    DataTerm {
        id: "device_info",
        en: "Device information (model, OS version, settings)",
        zh: "设备信息",
        apple: &["OtherDiagnosticData"],
        google: &[("App info and performance", "Diagnostics")],
    },
    DataTerm {
        id: "network_info",
        en: "Network information (type, carrier)",
        zh: "网络信息",
        apple: &["OtherDiagnosticData"],
        google: &[("App info and performance", "Diagnostics")],
    },
    DataTerm {
        id: "sensor_data",
        en: "Motion sensor readings",
        zh: "传感器信息",
        apple: &["OtherDataTypes"],
        google: &[],
    },
    // Surroundings and body
    DataTerm {
        id: "environment_scanning",
        en: "Scans of the surroundings",
        zh: "环境扫描",
        apple: &["EnvironmentScanning"],
        google: &[],
    },
    DataTerm { id: "hands", en: "Hand structure and movement", zh: "手部数据", apple: &["Hands"], google: &[] },
    DataTerm { id: "head", en: "Head movement", zh: "头部数据", apple: &["Head"], google: &[] },
    // Other
    DataTerm {
        id: "other_data",
        en: "Other data",
        zh: "其他信息",
        apple: &["OtherDataTypes"],
        google: &[("Personal info", "Other info")],
    },
    DataTerm {
        id: "app_settings", en: "App settings (kept on the device)", zh: "应用设置", apple: &[], google: &[]
    },
];

/// The term with this id.
pub fn term(id: &str) -> Option<&'static DataTerm> {
    DATA_VOCABULARY.iter().find(|t| t.id == id)
}

/// The Apple type without its prefix, if `value` is one of Apple's collected data types.
pub fn apple_type(value: &str) -> Option<&'static str> {
    let short = value.strip_prefix(APPLE_PREFIX)?;
    APPLE_DATA_TYPES.iter().copied().find(|t| *t == short)
}

/// The terms that cover an Apple type (given without its prefix).
pub fn terms_for_apple(short: &str) -> impl Iterator<Item = &'static DataTerm> + '_ {
    DATA_VOCABULARY.iter().filter(move |t| t.apple.contains(&short))
}

/// Whether `data` (a manifest's free-form entries) covers Apple type `short`: it holds a
/// term mapped to it, or the full Apple name itself.
pub fn covers_apple<'a>(mut data: impl Iterator<Item = &'a str>, short: &str) -> bool {
    data.any(|d| d.strip_prefix(APPLE_PREFIX) == Some(short) || term(d).is_some_and(|t| t.apple.contains(&short)))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn terms_are_unique_snake_case_and_map_to_real_types() {
        let mut ids = HashSet::new();
        for t in DATA_VOCABULARY {
            assert!(ids.insert(t.id), "duplicate {}", t.id);
            assert!(t.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{}", t.id);
            assert!(!t.en.is_empty() && !t.zh.is_empty(), "{}", t.id);
            for a in t.apple {
                assert!(APPLE_DATA_TYPES.contains(a), "{}: unknown Apple type {a}", t.id);
            }
            for g in t.google {
                assert!(GOOGLE_DATA_TYPES.contains(g), "{}: unknown Google type {g:?}", t.id);
            }
        }
    }

    #[test]
    fn every_store_type_has_a_term() {
        for a in APPLE_DATA_TYPES {
            assert!(terms_for_apple(a).next().is_some(), "no term for Apple's {a}");
        }
        for g in GOOGLE_DATA_TYPES {
            assert!(DATA_VOCABULARY.iter().any(|t| t.google.contains(g)), "no term for Google's {g:?}");
        }
        assert_eq!(APPLE_DATA_TYPES.len(), 35);
        assert_eq!(GOOGLE_DATA_TYPES.len(), 38);
    }

    #[test]
    fn coverage_accepts_terms_and_apple_names() {
        assert_eq!(apple_type("NSPrivacyCollectedDataTypeDeviceID"), Some("DeviceID"));
        assert_eq!(apple_type("Device Name"), None);
        assert!(covers_apple(["advertising_id"].into_iter(), "DeviceID"));
        assert!(covers_apple(["NSPrivacyCollectedDataTypeCrashData"].into_iter(), "CrashData"));
        assert!(!covers_apple(["crash_log"].into_iter(), "DeviceID"));
    }

    #[test]
    fn the_readme_table_lists_every_term() {
        // This crate's README and the project's, which documents the vocabulary for app teams.
        for (name, readme) in
            [("README.md", include_str!("../README.md")), ("../../README.md", include_str!("../../../README.md"))]
        {
            for t in DATA_VOCABULARY {
                assert!(
                    readme.contains(&format!("| `{}` | {} | {} |", t.id, t.en, t.zh)),
                    "{name} lacks the row of {}",
                    t.id
                );
            }
        }
    }

    #[test]
    fn the_example_manifest_uses_only_vocabulary_terms() {
        // The project's own example manifest is the first user of the vocabulary; a `data`
        // word added there should be added here too (or replaced by a term from here).
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../policy/example-manifest.json")).unwrap();
        let sections = ["purposes", "sdks"];
        for section in sections {
            for item in manifest[section].as_array().into_iter().flatten() {
                for d in item["data"].as_array().into_iter().flatten() {
                    let d = d.as_str().unwrap();
                    assert!(term(d).is_some(), "{section} {}: data `{d}` is not in data_vocabulary.rs", item["id"]);
                }
            }
        }
    }
}
