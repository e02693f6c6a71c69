//! The JSON form of a decoded TC string, as `gatekeeper tcf decode --json` prints it
//! (contract section 11). Fields come in the contract's order; id lists are ascending
//! arrays of numbers; timestamps are RFC 3339 in UTC to the second (`2021-02-02T17:01:00Z`:
//! the string holds deciseconds, and the fraction is dropped, not rounded).
//!
//! Absent optional segments: `disclosed_vendors` and `allowed_vendors` are `[]` when the
//! string has no such segment, as both IAB reference decoders report them (an empty
//! vendor list), so an app iterates them without a null check; `publisher_tc` is `null`
//! when absent, as the contract says, since its fields have no "empty" reading. Whether a
//! disclosed vendors segment was present at all (TCF v2.3 makes it mandatory) is
//! [`TcString::disclosed_vendors`]' `Option` in Rust.

use serde::ser::{Serialize, Serializer};

use super::flags::IdBits;
use super::letters::AlphaCode;
use super::publisher::PublisherTc;
use super::restrictions::PublisherRestrictions;
use super::string::TcString;
use super::vendor_set::VendorSet;
use crate::time::{format_rfc3339, MS_PER_SECOND};

static NO_VENDORS: VendorSet = VendorSet::new();

/// The fields of `tcf decode --json`, in order.
#[derive(serde::Serialize)]
struct TcStringJson<'a> {
    version: u8,
    created: String,
    last_updated: String,
    cmp_id: u16,
    cmp_version: u16,
    consent_screen: u8,
    consent_language: &'a AlphaCode,
    vendor_list_version: u16,
    tcf_policy_version: u8,
    is_service_specific: bool,
    use_non_standard_texts: bool,
    special_feature_opt_ins: IdBits,
    purpose_consents: IdBits,
    purpose_legitimate_interests: IdBits,
    purpose_one_treatment: bool,
    publisher_cc: &'a AlphaCode,
    vendor_consents: &'a VendorSet,
    vendor_legitimate_interests: &'a VendorSet,
    publisher_restrictions: &'a PublisherRestrictions,
    disclosed_vendors: &'a VendorSet,
    allowed_vendors: &'a VendorSet,
    publisher_tc: Option<&'a PublisherTc>,
}

/// RFC 3339 in UTC, whole seconds.
fn seconds(ms: i64) -> String {
    format_rfc3339(ms.div_euclid(MS_PER_SECOND).saturating_mul(MS_PER_SECOND))
}

impl Serialize for TcString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TcStringJson {
            version: TcString::VERSION,
            created: seconds(self.created_ms()),
            last_updated: seconds(self.last_updated_ms()),
            cmp_id: self.cmp_id,
            cmp_version: self.cmp_version,
            consent_screen: self.consent_screen,
            consent_language: &self.consent_language,
            vendor_list_version: self.vendor_list_version,
            tcf_policy_version: self.tcf_policy_version,
            is_service_specific: self.is_service_specific,
            use_non_standard_texts: self.use_non_standard_texts,
            special_feature_opt_ins: self.special_feature_opt_ins,
            purpose_consents: self.purpose_consents,
            purpose_legitimate_interests: self.purpose_legitimate_interests,
            purpose_one_treatment: self.purpose_one_treatment,
            publisher_cc: &self.publisher_cc,
            vendor_consents: &self.vendor_consents,
            vendor_legitimate_interests: &self.vendor_legitimate_interests,
            publisher_restrictions: &self.publisher_restrictions,
            disclosed_vendors: self.disclosed_vendors.as_ref().unwrap_or(&NO_VENDORS),
            allowed_vendors: self.allowed_vendors.as_ref().unwrap_or(&NO_VENDORS),
            publisher_tc: self.publisher_tc.as_ref(),
        }
        .serialize(serializer)
    }
}

impl TcString {
    /// The JSON document of `tcf decode --json`.
    pub fn to_json(&self) -> serde_json::Value {
        // Every field serialises to plain JSON (strings, numbers, arrays, objects with
        // string keys), which `to_value` cannot refuse.
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_in_contract_order_with_absent_segments_as_documented() {
        let tc = TcString::decode("COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA").unwrap();
        let json = tc.to_json();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "version",
                "created",
                "last_updated",
                "cmp_id",
                "cmp_version",
                "consent_screen",
                "consent_language",
                "vendor_list_version",
                "tcf_policy_version",
                "is_service_specific",
                "use_non_standard_texts",
                "special_feature_opt_ins",
                "purpose_consents",
                "purpose_legitimate_interests",
                "purpose_one_treatment",
                "publisher_cc",
                "vendor_consents",
                "vendor_legitimate_interests",
                "publisher_restrictions",
                "disclosed_vendors",
                "allowed_vendors",
                "publisher_tc"
            ]
        );
        assert_eq!(json["created"], "2020-01-26T17:01:00Z");
        assert_eq!(json["purpose_consents"], serde_json::json!([2, 10]));
        assert_eq!(json["disclosed_vendors"], serde_json::json!([]));
        assert_eq!(json["publisher_tc"], serde_json::Value::Null);
    }

    #[test]
    fn timestamps_drop_the_fraction_of_a_second() {
        assert_eq!(seconds(1_580_058_065_900), "2020-01-26T17:01:05Z");
        assert_eq!(seconds(0), "1970-01-01T00:00:00Z");
    }
}
