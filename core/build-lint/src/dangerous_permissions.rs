//! Which Android permissions must be disclosed: the runtime ("dangerous") permissions, as
//! data, and a short list of special-access permissions that regulators single out.
//!
//! Source: the Android reference for `Manifest.permission`
//! (<https://developer.android.com/reference/android/Manifest.permission>), every constant
//! whose "Protection level" is `dangerous`, as of API 36 (Android 16; `RANGING` is the one
//! it added, in the nearby-devices group). Deprecated ones stay (an app with
//! a low `minSdkVersion` still requests them). Health Connect's permissions
//! (`android.permission.health.READ_STEPS` and about 80 more, including Android 16's
//! `READ_HEART_RATE` that replaces `BODY_SENSORS`) are all runtime permissions; they are
//! matched by their prefix [`HEALTH_PREFIX`] instead of being listed.
//!
//! To add a permission: add its full name to [`DANGEROUS`] with the API level it came in.

/// Runtime permissions: `(name, API level added)`.
pub const DANGEROUS: &[(&str, u32)] = &[
    ("android.permission.ACCEPT_HANDOVER", 28),
    ("android.permission.ACCESS_BACKGROUND_LOCATION", 29),
    ("android.permission.ACCESS_COARSE_LOCATION", 1),
    ("android.permission.ACCESS_FINE_LOCATION", 1),
    ("android.permission.ACCESS_MEDIA_LOCATION", 29),
    ("android.permission.ACTIVITY_RECOGNITION", 29),
    ("com.android.voicemail.permission.ADD_VOICEMAIL", 14),
    ("android.permission.ANSWER_PHONE_CALLS", 26),
    ("android.permission.BLUETOOTH_ADVERTISE", 31),
    ("android.permission.BLUETOOTH_CONNECT", 31),
    ("android.permission.BLUETOOTH_SCAN", 31),
    ("android.permission.BODY_SENSORS", 20),
    ("android.permission.BODY_SENSORS_BACKGROUND", 33),
    ("android.permission.CALL_PHONE", 1),
    ("android.permission.CAMERA", 1),
    ("android.permission.GET_ACCOUNTS", 1),
    ("android.permission.NEARBY_WIFI_DEVICES", 33),
    ("android.permission.POST_NOTIFICATIONS", 33),
    ("android.permission.PROCESS_OUTGOING_CALLS", 1),
    ("android.permission.RANGING", 36),
    ("android.permission.READ_CALENDAR", 1),
    ("android.permission.READ_CALL_LOG", 16),
    ("android.permission.READ_CONTACTS", 1),
    ("android.permission.READ_EXTERNAL_STORAGE", 16),
    ("android.permission.READ_MEDIA_AUDIO", 33),
    ("android.permission.READ_MEDIA_IMAGES", 33),
    ("android.permission.READ_MEDIA_VIDEO", 33),
    ("android.permission.READ_MEDIA_VISUAL_USER_SELECTED", 34),
    ("android.permission.READ_PHONE_NUMBERS", 26),
    ("android.permission.READ_PHONE_STATE", 1),
    ("android.permission.READ_SMS", 1),
    ("android.permission.RECEIVE_MMS", 1),
    ("android.permission.RECEIVE_SMS", 1),
    ("android.permission.RECEIVE_WAP_PUSH", 1),
    ("android.permission.RECORD_AUDIO", 1),
    ("android.permission.SEND_SMS", 1),
    ("android.permission.USE_SIP", 9),
    ("android.permission.UWB_RANGING", 31),
    ("android.permission.WRITE_CALENDAR", 1),
    ("android.permission.WRITE_CALL_LOG", 16),
    ("android.permission.WRITE_CONTACTS", 1),
    ("android.permission.WRITE_EXTERNAL_STORAGE", 4),
];

/// Health Connect permissions: every `android.permission.health.*` is a runtime permission.
pub const HEALTH_PREFIX: &str = "android.permission.health.";

/// Special-access permissions (granted in system settings, not by a runtime prompt) that
/// reveal or reach personal data and that China's MIIT app rules and Google Play's
/// permission policies single out, such as reading the installed-app list. Undeclared, they
/// are a warning (`undeclared_special_permission`): the contract requires only runtime ones.
pub const SPECIAL: &[&str] = &[
    "android.permission.QUERY_ALL_PACKAGES",
    "android.permission.MANAGE_EXTERNAL_STORAGE",
    "android.permission.PACKAGE_USAGE_STATS",
    "android.permission.SYSTEM_ALERT_WINDOW",
    "android.permission.REQUEST_INSTALL_PACKAGES",
    "android.permission.WRITE_SETTINGS",
];

/// Whether `name` is a runtime (dangerous) permission.
pub fn is_dangerous(name: &str) -> bool {
    name.starts_with(HEALTH_PREFIX) || DANGEROUS.iter().any(|&(p, _)| p == name)
}

/// Whether `name` is one of the [`SPECIAL`] permissions.
pub fn is_special(name: &str) -> bool {
    SPECIAL.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_unique_and_well_formed() {
        let short = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
        let names: Vec<String> = DANGEROUS.iter().map(|(n, _)| short(n)).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted, "keep DANGEROUS sorted by short name, without duplicates");
        for &(name, api) in DANGEROUS {
            assert!(name.contains(".permission."), "{name}");
            assert!((1..=36).contains(&api), "{name}: API {api}");
        }
    }

    #[test]
    fn runtime_permissions_of_recent_releases_are_known() {
        for p in [
            "android.permission.POST_NOTIFICATIONS",
            "android.permission.NEARBY_WIFI_DEVICES",
            "android.permission.READ_MEDIA_IMAGES",
            "android.permission.READ_MEDIA_VISUAL_USER_SELECTED",
            "android.permission.BODY_SENSORS_BACKGROUND",
            "android.permission.health.READ_HEART_RATE",
        ] {
            assert!(is_dangerous(p), "{p}");
        }
        for p in
            ["android.permission.INTERNET", "android.permission.ACCESS_NETWORK_STATE", "android.permission.CAMERA2"]
        {
            assert!(!is_dangerous(p), "{p}");
        }
        assert!(is_special("android.permission.QUERY_ALL_PACKAGES"));
        assert!(SPECIAL.iter().all(|p| !is_dangerous(p)));
    }
}
