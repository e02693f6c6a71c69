//! The TCF codecs (issue 16, contract section 11) against the IAB's reference test data,
//! Google's Additional Consent forms, hostile input, and property tests.
//!
//! - `fixtures/tcf/reference_strings.json`: the TC strings of iabtcf-java's and iabtcf-es's
//!   decoder tests and every value those tests assert, checked through the JSON of
//!   `tcf decode --json`; the strings they assert to fail; the pairs they compare.
//! - `fixtures/tcf/java_encoder_cases.json`: the values iabtcf-java's encoder tests encode
//!   and assert after decoding, run through Gatekeeper's encoder.
//! - `fixtures/tcf/ac_strings.json`: Additional Consent strings, valid and not.
//! - Hostile strings built bit by bit: impossible ranges, huge `MaxVendorId`s, truncations,
//!   unknown and repeated segments, bad base64url, oversized input.
//! - Properties: any encodable TC string survives encode-then-decode; decoding arbitrary or
//!   mutated text never panics, and whatever it accepts re-encodes to the same value.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use gatekeeper::tcf::{
    AdditionalConsent, AlphaCode, IdBits, PublisherRestriction, PublisherRestrictions, PublisherTc, RestrictionType,
    SegmentKind, TcString, TcfError, VendorSet, MAX_TC_STRING_LEN,
};
use gatekeeper::time::parse_rfc3339;
use proptest::prelude::*;
use serde_json::Value;

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

fn reference() -> Value {
    fixture(include_str!("fixtures/tcf/reference_strings.json"))
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key].as_array().unwrap_or_else(|| panic!("fixture has no list {key}"))
}

fn name(case: &Value) -> String {
    format!("{} {} {}", case["source"].as_str().unwrap_or(""), case["path"].as_str().unwrap_or(""), case["test"])
}

fn decode(tc: &str) -> TcString {
    TcString::decode(tc).unwrap_or_else(|e| panic!("{tc} does not decode: {e}"))
}

/// Decode, encode, decode: the value must come back unchanged.
fn assert_round_trip(tc: &TcString, what: &str) {
    let text = tc.encode().unwrap_or_else(|e| panic!("{what}: does not encode: {e}"));
    let back = TcString::decode(&text).unwrap_or_else(|e| panic!("{what}: its encoding {text} does not decode: {e}"));
    assert_eq!(&back, tc, "{what}: encode then decode changed the value");
    assert_eq!(back.to_json(), tc.to_json(), "{what}");
}

#[test]
fn reference_strings_decode_to_every_value_their_tests_assert() {
    let fx = reference();
    let cases = list(&fx, "valid");
    assert_eq!(cases.len(), 15, "cases carried over");
    let mut checked = 0;
    for case in cases {
        let what = name(case);
        let tc = decode(case["tc"].as_str().unwrap());
        let json = tc.to_json();
        for (pointer, expected) in case["expect"].as_object().unwrap() {
            assert_eq!(json.pointer(pointer), Some(expected), "{what}: {pointer}");
            checked += 1;
        }
        for (pointer, ids) in case["expect_contains"].as_object().into_iter().flatten() {
            let got = json.pointer(pointer).and_then(Value::as_array).unwrap_or_else(|| panic!("{what}: {pointer}"));
            for id in ids.as_array().unwrap() {
                assert!(got.contains(id), "{what}: {pointer} lacks {id}");
                checked += 1;
            }
        }
        for (pointer, len) in case["expect_len"].as_object().into_iter().flatten() {
            let got = json.pointer(pointer).and_then(Value::as_array).map(Vec::len);
            assert_eq!(got.map(|n| n as u64), len.as_u64(), "{what}: {pointer}");
            checked += 1;
        }
        if let Some(ms) = case["expect_ms"].as_object() {
            assert_eq!(Some(tc.created_ms()), ms["created"].as_i64(), "{what}: created");
            assert_eq!(Some(tc.last_updated_ms()), ms["last_updated"].as_i64(), "{what}: last_updated");
            checked += 2;
        }
        for entry in case["expect_restrictions"].as_array().into_iter().flatten() {
            assert!(list(&json, "publisher_restrictions").contains(entry), "{what}: lacks {entry}");
            checked += 1;
        }
        assert_round_trip(&tc, &what);
    }
    assert_eq!(checked, 50, "asserted values carried over");
}

#[test]
fn reference_strings_built_from_bits_are_the_strings_their_tests_decode() {
    // TCStringV2Test.base64FromBitString: the bits in bytes (a short last group as its own
    // number), through java.util.Base64's URL encoder, which pads with '='.
    let java = |bits: &str| {
        let bytes: Vec<u8> = bits
            .as_bytes()
            .chunks(8)
            .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap())
            .collect();
        URL_SAFE.encode(bytes)
    };
    let fx = reference();
    let mut built = 0;
    for case in list(&fx, "valid").iter().chain(list(&fx, "invalid")) {
        let tc = case["tc"].as_str().unwrap();
        if let Some(bits) = case["bits"].as_str() {
            assert_eq!(java(bits), tc, "{}", name(case));
            built += 1;
        }
        if let Some(bits) = case["bits_of_segment_2"].as_str() {
            assert_eq!(java(bits), tc.split('.').nth(1).unwrap(), "{}", name(case));
            built += 1;
        }
    }
    assert_eq!(built, 3);
}

#[test]
fn strings_the_reference_tests_refuse_are_refused_with_a_clear_error() {
    let fx = reference();
    let cases = list(&fx, "invalid");
    assert_eq!(cases.len(), 9, "cases carried over");
    for case in cases {
        let what = name(case);
        let tc = case["tc"].as_str().unwrap();
        let err = TcString::decode(tc).expect_err(&what);
        let expected = case["error"].as_str().unwrap();
        assert!(err.to_string().contains(expected), "{what}: {err} does not say {expected:?}");
        assert_eq!(err.code(), "tcf_invalid");
    }
}

#[test]
fn the_specifications_example_string() {
    let fx = reference();
    for case in list(&fx, "spec_examples") {
        let tc = decode(case["tc"].as_str().unwrap());
        let json = tc.to_json();
        for (pointer, expected) in case["expect"].as_object().unwrap() {
            assert_eq!(json.pointer(pointer), Some(expected), "{}: {pointer}", name(case));
        }
        assert_round_trip(&tc, &name(case));
    }
}

#[test]
fn pairs_the_reference_tests_compare() {
    let fx = reference();
    for (key, equal) in [("distinct", false), ("equal", true)] {
        for case in list(&fx, key) {
            let a = decode(case["a"].as_str().unwrap());
            let b = decode(case["b"].as_str().unwrap());
            assert_eq!(a == b, equal, "{}", name(case));
        }
    }
}

/// A TcString from fields named as in the JSON output (missing: zero, empty, absent).
fn build(fields: &serde_json::Map<String, Value>) -> TcString {
    let get = |k: &str| fields.get(k).cloned().unwrap_or(Value::Null);
    let ids16 = |v: Value| VendorSet::from_ids(v.as_array().into_iter().flatten().map(|x| x.as_u64().unwrap() as u16));
    let ids8 = |v: Value| IdBits::from_ids(v.as_array().into_iter().flatten().map(|x| x.as_u64().unwrap() as u8));
    let num = |k: &str| get(k).as_u64().unwrap_or(0);
    let flag = |k: &str| get(k).as_bool().unwrap_or(false);
    let ds = |k: &str| get(k).as_str().map_or(0, |t| parse_rfc3339(t).unwrap() as u64 / 100);
    let code = |k: &str| AlphaCode::new(get(k).as_str().unwrap_or("AA")).unwrap();
    let restriction_type = |t: &str| match t {
        "not_allowed" => RestrictionType::NotAllowed,
        "require_consent" => RestrictionType::RequireConsent,
        "require_legitimate_interest" => RestrictionType::RequireLegitimateInterest,
        _ => RestrictionType::Undefined,
    };
    let restrictions = get("publisher_restrictions");
    let restrictions = restrictions.as_array().into_iter().flatten().map(|r| PublisherRestriction {
        purpose: r["purpose"].as_u64().unwrap() as u8,
        restriction_type: restriction_type(r["type"].as_str().unwrap()),
        vendors: ids16(r["vendors"].clone()),
    });
    let publisher_tc = get("publisher_tc").as_object().map(|p| PublisherTc {
        purpose_consents: ids8(p["purpose_consents"].clone()),
        purpose_legitimate_interests: ids8(p["purpose_legitimate_interests"].clone()),
        num_custom_purposes: p["num_custom_purposes"].as_u64().unwrap() as u8,
        custom_purpose_consents: ids8(p["custom_purpose_consents"].clone()),
        custom_purpose_legitimate_interests: ids8(p["custom_purpose_legitimate_interests"].clone()),
    });
    TcString {
        created_ds: ds("created"),
        last_updated_ds: ds("last_updated"),
        cmp_id: num("cmp_id") as u16,
        cmp_version: num("cmp_version") as u16,
        consent_screen: num("consent_screen") as u8,
        consent_language: code("consent_language"),
        vendor_list_version: num("vendor_list_version") as u16,
        tcf_policy_version: num("tcf_policy_version") as u8,
        is_service_specific: flag("is_service_specific"),
        use_non_standard_texts: flag("use_non_standard_texts"),
        special_feature_opt_ins: ids8(get("special_feature_opt_ins")),
        purpose_consents: ids8(get("purpose_consents")),
        purpose_legitimate_interests: ids8(get("purpose_legitimate_interests")),
        purpose_one_treatment: flag("purpose_one_treatment"),
        publisher_cc: code("publisher_cc"),
        vendor_consents: ids16(get("vendor_consents")),
        vendor_legitimate_interests: ids16(get("vendor_legitimate_interests")),
        publisher_restrictions: PublisherRestrictions::new(restrictions),
        disclosed_vendors: fields.get("disclosed_vendors").map(|v| ids16(v.clone())),
        allowed_vendors: fields.get("allowed_vendors").map(|v| ids16(v.clone())),
        publisher_tc,
    }
}

#[test]
fn java_encoder_cases_encode_and_decode_to_what_their_tests_assert() {
    let fx = fixture(include_str!("fixtures/tcf/java_encoder_cases.json"));
    let cases = list(&fx, "cases");
    assert_eq!(cases.len(), 6);
    for case in cases {
        let what = case["test"].as_str().unwrap();
        let mut fields = fx["base"].as_object().unwrap().clone();
        fields.extend(case["fields"].as_object().unwrap().clone());
        let value = build(&fields);
        let text = value.encode().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(text.split('.').count() as u64, case["segments"].as_u64().unwrap(), "{what}: {text}");
        let tc = decode(&text);
        let json = tc.to_json();
        for (pointer, expected) in case["expect"].as_object().into_iter().flatten() {
            assert_eq!(json.pointer(pointer), Some(expected), "{what}: {pointer}");
        }
        for pointer in case["expect_same_ids"].as_array().into_iter().flatten() {
            let pointer = pointer.as_str().unwrap();
            let mut given: Vec<u64> =
                case["fields"][&pointer[1..]].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            given.sort_unstable();
            let got: Vec<u64> =
                json.pointer(pointer).unwrap().as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            assert_eq!(got, given, "{what}: {pointer}");
        }
        assert_eq!(json["created"], fields["created"], "{what}");
        assert_eq!(tc, value, "{what}");
    }
}

#[test]
fn additional_consent_forms() {
    let fx = fixture(include_str!("fixtures/tcf/ac_strings.json"));
    let valid = list(&fx, "valid");
    assert_eq!(valid.len(), 6);
    for case in valid {
        let text = case["ac"].as_str().unwrap();
        let ac = AdditionalConsent::decode(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let json = serde_json::to_value(&ac).unwrap();
        for key in ["version", "consented", "disclosed"] {
            assert_eq!(json[key], case[key], "{text}: {key}");
        }
        for id in case["consented"].as_array().unwrap() {
            assert!(ac.provider_consent(id.as_u64().unwrap() as u32), "{text}: {id}");
        }
        assert!(!ac.provider_consent(2), "{text}");
        assert_eq!(AdditionalConsent::decode(&ac.encode()).unwrap(), ac, "{text}");
    }
    for case in list(&fx, "invalid") {
        let text = case["ac"].as_str().unwrap();
        let err = AdditionalConsent::decode(text).expect_err(text);
        let expected = case["error"].as_str().unwrap();
        assert!(err.to_string().contains(expected), "{text:?}: {err} does not say {expected:?}");
    }
}

// ---- Hostile input, built bit by bit ----

/// A segment written field by field.
#[derive(Default, Clone)]
struct Bits(Vec<bool>);

impl Bits {
    fn push(mut self, value: u64, width: u32) -> Self {
        for i in (0..width).rev() {
            self.0.push((value >> i) & 1 == 1);
        }
        self
    }

    fn text(&self) -> String {
        let bytes: Vec<u8> = self
            .0
            .chunks(8)
            .map(|c| c.iter().enumerate().fold(0u8, |b, (i, &bit)| b | (u8::from(bit) << (7 - i))))
            .collect();
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A core segment's fixed fields up to `PublisherCC` (213 bits).
    fn core_fields() -> Bits {
        Bits::default()
            .push(2, 6) // Version
            .push(17_000_000_000, 36)
            .push(17_000_000_000, 36)
            .push(300, 12) // CmpId
            .push(2, 12)
            .push(1, 6)
            .push(4, 6) // ConsentLanguage "EN"
            .push(13, 6)
            .push(150, 12)
            .push(4, 6) // TcfPolicyVersion
            .push(1, 1)
            .push(0, 1)
            .push(0, 12)
            .push(0b1110_0000_0000_0000_0000_0000, 24) // purposes 1-3
            .push(0, 24)
            .push(0, 1)
            .push(3, 6) // PublisherCC "DE"
            .push(4, 6)
    }

    /// An empty vendor section (MaxVendorId 0, bit field).
    fn no_vendors(self) -> Bits {
        self.push(0, 16).push(0, 1)
    }
}

fn refused(tc: &str) -> TcfError {
    match TcString::decode(tc) {
        Ok(v) => panic!("{tc} decoded to {v:?}"),
        Err(e) => e,
    }
}

#[test]
fn impossible_ranges_are_refused_with_where_they_are() {
    // Vendor consents in range encoding: MaxVendorId 10, one entry.
    let section = |is_range: u64, start: u64, end: u64| {
        let b = Bits::core_fields().push(10, 16).push(1, 1).push(1, 12).push(is_range, 1).push(start, 16);
        let b = if is_range == 1 { b.push(end, 16) } else { b };
        b.no_vendors().push(0, 12).text()
    };
    let err = refused(&section(1, 5, 3));
    assert!(matches!(err, TcfError::ReversedRange { start: 5, end: 3, .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "segment 1 (core), Vendor Consent section, bit 243: the range 5-3 ends before it starts"
    );
    let err = refused(&section(1, 5, 11));
    assert_eq!(
        err.to_string(),
        "segment 1 (core), Vendor Consent section, bit 259: EndVendorId 11 is above the section's MaxVendorId 10"
    );
    assert!(matches!(refused(&section(0, 11, 0)), TcfError::IdAboveMax { field: "StartOrOnlyVendorId", id: 11, .. }));
    assert!(matches!(refused(&section(0, 0, 0)), TcfError::ZeroId { field: "StartOrOnlyVendorId", .. }));
    assert!(matches!(refused(&section(1, 0, 4)), TcfError::ZeroId { .. }));
    assert!(decode(&section(1, 1, 10)).vendor_consent(10));

    // In a publisher restriction (no MaxVendorId there): reversed and zero ids.
    let restriction = |start: u64, end: u64| {
        Bits::core_fields()
            .no_vendors()
            .no_vendors()
            .push(1, 12)
            .push(2, 6)
            .push(0, 2)
            .push(1, 12)
            .push(1, 1)
            .push(start, 16)
            .push(end, 16)
            .text()
    };
    let err = refused(&restriction(9, 8));
    assert!(err.to_string().starts_with("segment 1 (core), Publisher Restrictions section, bit"), "{err}");
    assert!(matches!(refused(&restriction(0, 8)), TcfError::ZeroId { .. }));
    assert_eq!(decode(&restriction(8, 9)).restriction(2, 9), Some(RestrictionType::NotAllowed));
}

#[test]
fn huge_max_vendor_ids_are_bounded() {
    // MaxVendorId 65535 in bit-field form with nothing after it: truncated, not 65535 zeros.
    let err = refused(&Bits::core_fields().push(u16::MAX.into(), 16).push(0, 1).push(0, 40).text());
    assert!(matches!(err, TcfError::Truncated { field: "BitField", width: 65_535, .. }), "{err}");
    // Every vendor in one 33-bit range, in both sections and in 4095 restrictions: a 30 KB
    // string that names 65535 vendors about 4000 times decodes into 254 sets (8 KB each at
    // most), the restrictions merged into one per purpose and type.
    let all =
        |b: Bits| b.push(u16::MAX.into(), 16).push(1, 1).push(1, 12).push(1, 1).push(1, 16).push(u16::MAX.into(), 16);
    let mut b = all(all(Bits::core_fields())).push(4095, 12);
    for i in 0..4095u64 {
        b = b.push(i % 63 + 1, 6).push(i / 63 % 4, 2).push(1, 12).push(1, 1).push(1, 16).push(u16::MAX.into(), 16);
    }
    let text = b.text();
    assert!(text.len() < MAX_TC_STRING_LEN);
    let tc = decode(&text);
    assert_eq!(tc.vendor_consents.ranges(), &[(1, u16::MAX)]);
    assert_eq!(tc.publisher_restrictions.len(), 63 * 4);
    assert!(tc.publisher_restrictions.iter().all(|r| r.vendors.ranges().len() == 1));
    assert_eq!(tc.restriction(5, 65_535), Some(RestrictionType::NotAllowed));
    assert_round_trip(&tc, "all vendors everywhere");
}

#[test]
fn every_truncation_of_a_string_is_refused_as_truncated() {
    let full = "COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA";
    decode(full);
    for end in 1..full.len() {
        match TcString::decode(&full[..end]) {
            Err(TcfError::Truncated { at, .. }) => assert_eq!((at.segment, at.kind), (1, SegmentKind::Core)),
            other => panic!("{end}: {other:?}"),
        }
    }
    // A truncated optional segment names that segment.
    let err = refused(&format!("{full}.IBAg"));
    assert!(err.to_string().starts_with("segment 2 (disclosed vendors), vendor list, bit"), "{err}");
}

#[test]
fn segments_must_be_known_single_and_after_the_core() {
    let core = Bits::core_fields().no_vendors().no_vendors().push(0, 12).text();
    let disclosed = Bits::default().push(1, 3).push(2, 16).push(0, 1).push(0b11, 2).text();
    let publisher = Bits::default().push(3, 3).push(0, 48).push(0, 6).text();
    assert_eq!(decode(&format!("{core}.{disclosed}.{publisher}")).vendor_disclosed(2), Some(true));
    for t in 4..8 {
        let unknown = Bits::default().push(t, 3).push(0, 21).text();
        assert_eq!(
            TcString::decode(&format!("{core}.{unknown}")),
            Err(TcfError::UnknownSegmentType { segment: 2, segment_type: t as u8 })
        );
    }
    assert_eq!(
        TcString::decode(&format!("{core}.{publisher}.{disclosed}.{publisher}")),
        Err(TcfError::DuplicateSegment { segment: 4, kind: SegmentKind::PublisherTc, first: 2 })
    );
    assert_eq!(
        TcString::decode(&format!("{disclosed}.{core}")),
        Err(TcfError::CoreNotFirst { found: SegmentKind::DisclosedVendors })
    );
    assert!(matches!(TcString::decode(&format!("{core}.{core}")), Err(TcfError::DuplicateSegment { .. })));
    assert_eq!(
        TcString::decode(&format!("{core}.{disclosed}.{publisher}.{core}.{core}")),
        Err(TcfError::TooManySegments { max: 4 })
    );
}

#[test]
fn text_that_is_not_base64url_is_refused_with_its_position() {
    let core = "COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA";
    assert!(matches!(refused(&core.replace('_', "/")), TcfError::InvalidCharacter { segment: 1, position: 10 }));
    assert!(matches!(refused(&format!("{core}.IBA+")), TcfError::InvalidCharacter { segment: 2, position: 4 }));
    assert!(matches!(refused(&format!(" {core}")), TcfError::InvalidCharacter { position: 1, .. }));
    assert!(matches!(refused(&format!("{core}\n")), TcfError::InvalidCharacter { position: 45, .. }));
    assert!(matches!(refused(&format!("{}={}", &core[..8], &core[8..])), TcfError::BadPadding { position: 9, .. }));
    assert!(matches!(refused(&format!("{core}=")), TcfError::BadPadding { position: 45, .. }));
    assert!(matches!(refused(&format!("{core}..{core}")), TcfError::EmptySegment { segment: 2 }));
    assert!(matches!(refused(""), TcfError::Empty));
    let huge = format!("{core}.{}", "A".repeat(MAX_TC_STRING_LEN));
    assert!(matches!(refused(&huge), TcfError::TooLong { .. }));
    // A letter field holding a value past Z.
    let bad_letter =
        Bits::default().push(2, 6).push(0, 36).push(0, 36).push(0, 12).push(0, 12).push(0, 6).push(30, 6).text();
    assert_eq!(
        refused(&bad_letter).to_string(),
        "segment 1 (core), bit 108: ConsentLanguage holds 30, which is not a letter (0-25 for A-Z)"
    );
}

#[test]
fn staleness_follows_last_updated_by_thirteen_calendar_months() {
    let mut tc = decode("COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA");
    tc.last_updated_ds = parse_rfc3339("2025-03-31T00:00:00Z").unwrap() as u64 / 100;
    let tc = decode(&tc.encode().unwrap());
    let limit = parse_rfc3339("2026-04-30T00:00:00Z").unwrap();
    assert_eq!(tc.fresh_until_ms(), limit);
    assert!(!tc.is_stale(limit));
    assert!(tc.is_stale(limit + 1));
}

// ---- Properties ----

fn vendor_set() -> impl Strategy<Value = VendorSet> {
    prop_oneof![
        prop::collection::vec(1u16..400, 0..60).prop_map(VendorSet::from_ids),
        prop::collection::vec((1u16..=u16::MAX, 0u16..300), 0..12)
            .prop_map(|r| VendorSet::from_ranges(r.into_iter().map(|(s, n)| (s, s.saturating_add(n))))),
    ]
}

fn id_bits(width: u8) -> impl Strategy<Value = IdBits> {
    any::<u64>().prop_map(move |m| IdBits::from_ids((1..=width).filter(|i| m >> (i - 1) & 1 == 1)))
}

fn alpha() -> impl Strategy<Value = AlphaCode> {
    (b'A'..=b'Z', b'a'..=b'z').prop_map(|(a, b)| AlphaCode::new(std::str::from_utf8(&[a, b]).unwrap()).unwrap())
}

fn restriction_type() -> impl Strategy<Value = RestrictionType> {
    (0u8..4).prop_map(RestrictionType::from_bits)
}

fn publisher_tc() -> impl Strategy<Value = PublisherTc> {
    (id_bits(24), id_bits(24), 0u8..=63).prop_flat_map(|(c, l, n)| {
        (id_bits(n), id_bits(n)).prop_map(move |(cc, cl)| PublisherTc {
            purpose_consents: c,
            purpose_legitimate_interests: l,
            num_custom_purposes: n,
            custom_purpose_consents: cc,
            custom_purpose_legitimate_interests: cl,
        })
    })
}

prop_compose! {
    fn tc_string()(
        times in (0u64..1 << 36, 0u64..1 << 36),
        cmp in (0u16..4096, 0u16..4096, 0u8..64, 0u16..4096, 0u8..64),
        codes in (alpha(), alpha()),
        flags in any::<(bool, bool, bool)>(),
        bits in (id_bits(12), id_bits(24), id_bits(24)),
        vendors in (vendor_set(), vendor_set()),
        restrictions in prop::collection::vec((1u8..=63, restriction_type(), vendor_set()), 0..6),
        optional in (prop::option::of(vendor_set()), prop::option::of(vendor_set()), prop::option::of(publisher_tc())),
    ) -> TcString {
        TcString {
            created_ds: times.0,
            last_updated_ds: times.1,
            cmp_id: cmp.0,
            cmp_version: cmp.1,
            consent_screen: cmp.2,
            consent_language: codes.0,
            vendor_list_version: cmp.3,
            tcf_policy_version: cmp.4,
            is_service_specific: flags.0,
            use_non_standard_texts: flags.1,
            special_feature_opt_ins: bits.0,
            purpose_consents: bits.1,
            purpose_legitimate_interests: bits.2,
            purpose_one_treatment: flags.2,
            publisher_cc: codes.1,
            vendor_consents: vendors.0,
            vendor_legitimate_interests: vendors.1,
            publisher_restrictions: PublisherRestrictions::new(restrictions.into_iter().map(
                |(purpose, restriction_type, vendors)| PublisherRestriction { purpose, restriction_type, vendors },
            )),
            disclosed_vendors: optional.0,
            allowed_vendors: optional.1,
            publisher_tc: optional.2,
        }
    }
}

/// Decoding `text` must not panic; what it accepts must re-encode to the same value.
fn decode_is_total(text: &str) -> Result<(), TestCaseError> {
    if let Ok(tc) = TcString::decode(text) {
        let again = TcString::decode(&tc.encode().map_err(|e| TestCaseError::fail(e.to_string()))?);
        prop_assert_eq!(again.as_ref(), Ok(&tc));
        let _ = tc.to_json();
    }
    Ok(())
}

proptest! {
    #[test]
    fn encode_then_decode_gives_back_the_same_consent(tc in tc_string()) {
        let text = tc.encode().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(TcString::decode(&text), Ok(tc));
    }

    #[test]
    fn decode_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        decode_is_total(&text)?;
    }

    #[test]
    fn decode_never_panics_on_base64url_noise(text in "C[A-Za-z0-9_=.-]{0,300}") {
        decode_is_total(&text)?;
    }

    #[test]
    fn decode_never_panics_on_mutated_strings(
        tc in tc_string(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(&b"AQgw_-=.9z"[..])), 1..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = tc.encode().map_err(|e| TestCaseError::fail(e.to_string()))?.into_bytes();
        for (at, ch) in edits {
            let i = at.index(bytes.len());
            bytes[i] = ch;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        decode_is_total(&String::from_utf8(bytes).unwrap())?;
    }

    #[test]
    fn ac_decode_is_total(text in "[0-9~.dv]{0,40}") {
        if let Ok(ac) = AdditionalConsent::decode(&text) {
            prop_assert_eq!(AdditionalConsent::decode(&ac.encode()), Ok(ac));
        }
    }
}
