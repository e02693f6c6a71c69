//! The size limits of a manifest (issue 13, defect 11), in one place: a manifest is
//! read at every app start and every value of it may end up in a decision, a receipt or
//! a message, so nothing in it may be unbounded. Each limit that is exceeded is reported
//! with the JSON pointer of the value (the whole file's size at `""`), like any other
//! error. The README's table lists them.

/// The largest manifest file, in bytes (1 MiB; the example is about 14 KB).
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;

/// The most characters of any text (a title, a name, a vendor, a url, a data item, a
/// platform permission name...).
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The most characters of an id (purposes, permissions, SDKs, jurisdictions, platforms).
pub const MAX_ID_CHARS: usize = 64;

/// The most items of any list: the purposes, permissions, SDKs and jurisdictions
/// themselves, and every list inside them (a purpose list, countries, data items...).
pub const MAX_LIST_ITEMS: usize = 1_000;

/// The longest window in days (`consent_ttl_days`, `reask_after_denial_days`,
/// `decision_log_retention_days`): 100 years, so no window overflows a time.
pub const MAX_DAYS: u32 = 36_500;

/// The longest re-prompt window in hours (`reprompt_after_denial_hours`): 100 years.
pub const MAX_HOURS: u32 = 876_000;
