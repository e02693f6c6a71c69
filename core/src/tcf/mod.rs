//! IAB TCF v2 TC strings and Google Additional Consent strings (contract section 11).
//!
//! In the EEA an app that serves Google ads keeps a certified CMP for the consent dialog;
//! the CMP stores its result as a TC string (`IABTCF_TCString`) and an AC string
//! (`IABTCF_AddtlConsent`). These codecs read them, so that Gatekeeper can enforce the same
//! choices on every other SDK, and write them back for round-trip tests:
//!
//! - [`TcString::decode`] / [`TcString::encode`] / [`TcString::to_json`], with the
//!   questions an import asks ([`TcString::purpose_consent`], [`TcString::vendor_consent`],
//!   [`TcString::restriction`], [`TcString::is_stale`], ...);
//! - [`AdditionalConsent::decode`] / [`AdditionalConsent::encode`] /
//!   [`AdditionalConsent::provider_consent`].
//!
//! The layers, outside in: `segments.rs` (dots, base64url, the length cap), `bits.rs`
//! (the bit reader and writer), then one file per part of the format: `core_segment.rs`,
//! `vendors.rs` (bit field and range encodings), `restrictions.rs`, `vendor_segments.rs`
//! (disclosed and allowed vendors), `publisher.rs`; the value types `string.rs`,
//! `vendor_set.rs`, `flags.rs`, `letters.rs`; the output `json.rs` and `encode.rs`; the
//! 13-month rule in `staleness.rs`; `additional_consent.rs`; the errors in `error.rs`;
//! what an import means for a manifest in `import.rs`.
//!
//! How the rest of Gatekeeper uses them (contract section 11):
//!
//! - `tcf decode STRING` (and `tcfDecode` in Kotlin and Swift): [`TcString::decode`],
//!   then [`TcString::to_json`]; an error is `{"error": {"code": e.code(), "message":
//!   e.to_string()}}` and exit 1 (`code()` is `tcf_invalid` for every decoding error).
//! - `tcf import STRING [--ac AC]` (and `tcfImport`): `import.rs` holds the rules:
//!   [`read_for_import`] refuses, recording nothing, in this order: a [`TcfError`] or
//!   [`AcError`] (`tcf_invalid`), [`TcString::is_stale`] at the clock's now (`tcf_stale`),
//!   `!`[`TcString::meets_tcf_v2_2`] (`tcf_policy_outdated`); [`ImportPlan::of`] says
//!   which purposes (`tcf_purposes`, `tcf_special_features`) and SDKs (`gvl_id`, `ac_id`)
//!   are granted and denied, publisher restrictions and purpose-one treatment included;
//!   [`Store::import_tcf`](crate::Store::import_tcf) records it in one write.
//! - The bindings pass the two strings as they read them from `IABTCF_TCString` and
//!   `IABTCF_AddtlConsent`; nothing here crosses the FFI but strings, errors and the
//!   decoded record.
//!
//! Limits: a TC or AC string longer than 64 KiB is refused before it is read. A vendor set
//! is a bitset of at most 8 KB (ids are 16 bits), and publisher restrictions are merged per
//! (purpose, type) as they are read, so a decoded value never takes more than about 2 MB
//! (4 vendor sets and at most 252 restriction sets), whatever ranges the string claims.

mod additional_consent;
mod bits;
mod core_segment;
mod encode;
mod error;
mod flags;
mod import;
mod json;
mod letters;
mod publisher;
mod restrictions;
mod segments;
mod staleness;
mod string;
mod vendor_segments;
mod vendor_set;
mod vendors;

pub use additional_consent::{AdditionalConsent, MAX_AC_STRING_LEN};
pub use error::{AcError, At, EncodeError, SegmentKind, TcfError};
pub use flags::IdBits;
pub use import::{fingerprint, read_for_import, ImportPlan, MAX_TCF_PURPOSE, MAX_TCF_SPECIAL_FEATURE};
pub use letters::AlphaCode;
pub use publisher::PublisherTc;
pub use restrictions::{PublisherRestriction, PublisherRestrictions, RestrictionType};
pub use segments::{MAX_SEGMENTS, MAX_TC_STRING_LEN};
pub use staleness::{add_calendar_months, STALE_AFTER_MONTHS};
pub use string::{TcString, TCF_POLICY_VERSION_V2_2};
pub use vendor_set::VendorSet;
