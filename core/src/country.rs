//! ISO 3166-1 alpha-2 country codes.
//!
//! The manifest maps users to jurisdictions by country code (contract §2–§3), so a
//! mistyped code (`UK` for `GB`, `EL` for `GR`, lower case) would silently send every
//! user from that country to the default jurisdiction and its law. This module holds
//! the official list so the manifest validator can reject such codes up front,
//! without pulling in a locale crate.

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted for binary search.
///
/// Excludes exceptionally reserved codes (`UK`, `EL`, `EU`, …) and user-assigned ones
/// (`XK`, `XX`, …), which are not countries in the standard.
#[rustfmt::skip]
const ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ",
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW",
    "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ",
    "EC", "EE", "EG", "EH", "ER", "ES", "ET",
    "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
    "GU", "GW", "GY",
    "HK", "HM", "HN", "HR", "HT", "HU",
    "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
    "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM",
    "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
    "QA",
    "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ",
    "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
    "UA", "UG", "UM", "US", "UY", "UZ",
    "VA", "VC", "VE", "VG", "VI", "VN", "VU",
    "WF", "WS",
    "YE", "YT",
    "ZA", "ZM", "ZW",
];

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code, exactly as
/// written (upper case, two letters): `is_iso_alpha2("GB")` is true, `"UK"` and
/// `"gb"` are not.
pub fn is_iso_alpha2(code: &str) -> bool {
    // Compared as byte pairs: a manifest lists dozens of countries, and a string
    // comparison is a `memcmp` call per step.
    let [a, b] = *code.as_bytes() else { return false };
    ALPHA2
        .binary_search_by(|c| match *c.as_bytes() {
            [x, y] => (x, y).cmp(&(a, b)),
            _ => std::cmp::Ordering::Less,
        })
        .is_ok()
}

/// The official code for a well-known non-ISO code that people use by mistake:
/// `UK` → `GB` (the United Kingdom) and `EL` → `GR` (Greece, as the EU writes it).
pub fn official_for(code: &str) -> Option<&'static str> {
    match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_well_formed() {
        assert!(ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(ALPHA2.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn accepts_assigned_codes() {
        for code in ["CN", "DE", "US", "GB", "AD", "ZW"] {
            assert!(is_iso_alpha2(code), "{code}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for code in ["UK", "EL", "EU", "XK", "XX", "cn", "Cn", "C", "CHN", "", "C1"] {
            assert!(!is_iso_alpha2(code), "{code}");
        }
    }

    #[test]
    fn suggests_official_codes_for_common_mistakes() {
        assert_eq!(official_for("UK"), Some("GB"));
        assert_eq!(official_for("EL"), Some("GR"));
        assert_eq!(official_for("DE"), None);
    }
}
