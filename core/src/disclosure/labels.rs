//! The fixed words of the rendered lists (headings, field names, the legal bases and roles)
//! in the languages the renderers know: Chinese for any `zh` tag (the lists are a Chinese
//! requirement, and their Chinese names are the ones regulators use), English otherwise.
//! The manifest's own texts come in the language asked for; only these words are built in.

use crate::manifest::{Basis, Role};

/// The built-in words for one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// The `lang` attribute of the HTML page.
    pub html_lang: &'static str,
    /// The page's heading.
    pub heading: &'static str,
    /// Version.
    pub version: &'static str,
    /// Effective date.
    pub effective: &'static str,
    /// The controller (个人信息处理者).
    pub controller: &'static str,
    /// Contact.
    pub contact: &'static str,
    /// The full privacy policy.
    pub full_policy: &'static str,
    /// The collection list's heading (个人信息收集清单).
    pub collection: &'static str,
    /// The permission list's heading.
    pub permissions: &'static str,
    /// The sharing list's heading (第三方信息共享清单).
    pub sharing: &'static str,
    /// Legal basis.
    pub basis: &'static str,
    /// Sensitive personal information.
    pub sensitive: &'static str,
    /// Information collected.
    pub data: &'static str,
    /// How it is used.
    pub usage: &'static str,
    /// A permission's `usage`: when and why it is asked.
    pub permission_usage: &'static str,
    /// Related permissions.
    pub related_permissions: &'static str,
    /// Related SDKs.
    pub related_sdks: &'static str,
    /// Purposes served.
    pub purposes: &'static str,
    /// When it is asked.
    pub when_asked: &'static str,
    /// Asked only when the user uses the feature.
    pub on_user_action: &'static str,
    /// May be asked without a user action.
    pub without_user_action: &'static str,
    /// May be asked at launch.
    pub at_launch: &'static str,
    /// Android permission names.
    pub android: &'static str,
    /// iOS keys.
    pub ios: &'static str,
    /// The third party (第三方名称).
    pub vendor: &'static str,
    /// Vendor's country or region.
    pub vendor_country: &'static str,
    /// Role.
    pub role: &'static str,
    /// Platforms.
    pub platforms: &'static str,
    /// SDK package names (SDK包名).
    pub packages: &'static str,
    /// iOS modules.
    pub ios_modules: &'static str,
    /// Its privacy policy.
    pub privacy_policy: &'static str,
    /// Separate consent.
    pub separate_consent: &'static str,
    /// "Required of users in:" before the jurisdictions.
    pub separate_required_in: &'static str,
    /// Not required.
    pub not_required: &'static str,
    /// None.
    pub none: &'static str,
    /// The separator between short list items (data, platforms, jurisdictions).
    pub separator: &'static str,
    /// The separator between titles, which may hold the short one themselves.
    pub title_separator: &'static str,
    bases: [&'static str; 4],
    roles: [&'static str; 2],
}

const ZH: Labels = Labels {
    html_lang: "zh",
    heading: "个人信息收集清单与第三方信息共享清单",
    version: "政策版本",
    effective: "生效日期",
    controller: "个人信息处理者",
    contact: "联系方式",
    full_policy: "隐私政策全文",
    collection: "个人信息收集清单",
    permissions: "应用权限申请清单",
    sharing: "第三方信息共享清单",
    basis: "处理依据",
    sensitive: "敏感个人信息",
    data: "收集的个人信息",
    usage: "使用场景",
    permission_usage: "申请场景与目的",
    related_permissions: "相关权限",
    related_sdks: "相关第三方SDK",
    purposes: "使用目的",
    when_asked: "申请时机",
    on_user_action: "仅在您使用相关功能时申请",
    without_user_action: "可能在您未操作时申请",
    at_launch: "可能在启动时申请",
    android: "Android 权限",
    ios: "iOS 权限",
    vendor: "第三方名称",
    vendor_country: "所在国家或地区",
    role: "处理方式",
    platforms: "平台",
    packages: "SDK包名",
    ios_modules: "iOS 模块",
    privacy_policy: "第三方隐私政策",
    separate_consent: "单独同意",
    separate_required_in: "以下适用地区需要您的单独同意：",
    not_required: "不需要",
    none: "无",
    separator: "、",
    title_separator: "；",
    bases: ["您的同意", "履行合同所必需", "履行法定义务所必需", "合法利益"],
    roles: ["受我们委托处理", "独立的个人信息处理者"],
};

const EN: Labels = Labels {
    html_lang: "en",
    heading: "Personal information we collect and share",
    version: "Policy version",
    effective: "effective",
    controller: "Controller",
    contact: "Contact",
    full_policy: "Full privacy policy",
    collection: "Personal information we collect",
    permissions: "Device permissions we ask for",
    sharing: "Third parties we share information with",
    basis: "Legal basis",
    sensitive: "Sensitive personal information",
    data: "Information collected",
    usage: "How it is used",
    permission_usage: "When and why we ask",
    related_permissions: "Permissions",
    related_sdks: "Third-party SDKs",
    purposes: "Purposes",
    when_asked: "Timing",
    on_user_action: "Only when you use the feature that needs it",
    without_user_action: "May be asked without your action",
    at_launch: "May be asked when the app starts",
    android: "Android permissions",
    ios: "iOS permissions",
    vendor: "Third party",
    vendor_country: "Country or region",
    role: "Processing",
    platforms: "Platforms",
    packages: "SDK packages",
    ios_modules: "iOS modules",
    privacy_policy: "Its privacy policy",
    separate_consent: "Separate consent",
    separate_required_in: "Required of users in: ",
    not_required: "Not required",
    none: "None",
    separator: ", ",
    title_separator: "; ",
    bases: ["Your consent", "Needed for our contract with you", "Required by law", "Our legitimate interest"],
    roles: ["Processes on our behalf", "Acts on its own account"],
};

impl Labels {
    /// The words for `lang`: Chinese for a `zh` tag, else English.
    pub fn for_lang(lang: Option<&str>) -> Labels {
        let primary = lang.and_then(|l| l.split('-').next()).unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            ZH
        } else {
            EN
        }
    }

    /// A legal basis in words.
    pub fn basis_name(&self, basis: Basis) -> &'static str {
        match basis {
            Basis::Consent => self.bases[0],
            Basis::Contract => self.bases[1],
            Basis::LegalObligation => self.bases[2],
            Basis::LegitimateInterest => self.bases[3],
        }
    }

    /// A role in words.
    pub fn role_name(&self, role: Role) -> &'static str {
        match role {
            Role::Entrusted => self.roles[0],
            Role::Independent => self.roles[1],
        }
    }
}
