//! The `meta` table: a few named values beside the ledger (the policy the store was made
//! for, the ledger's head, the fold snapshot, a recovery note…). Every key is a
//! [`MetaKey`], so each one is named once, here, and the SQL that reads and writes them
//! lives in this file alone.

use std::borrow::Cow;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Result, SqlContext};
use crate::id_map::IdMap;
use crate::ledger::to_hex;

/// A key of the `meta` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaKey<'a> {
    /// The `policy.id` the store was made for: a store is never used with another policy.
    PolicyId,
    /// The ledger's last event, `<id>:<hex hash>`, written with every event (see
    /// [`head_text`]): a deleted last event leaves a valid shorter chain, and this catches it.
    LedgerHead,
    /// The [fold snapshot](super::snapshot), a cache of the folded state.
    FoldSnapshot,
    /// When the store was started afresh after finding its file corrupt (UTC ms).
    RecoveredAt,
    /// Where the corrupt file was moved.
    RecoveredMovedTo,
    /// Set on a store `gatekeeper demo` made, which the demo may erase.
    DemoStore,
    /// The url and controller of one policy version, as JSON, for receipts.
    PolicyVersion(&'a str),
    /// The fingerprint of the last TCF import (`tcf::fingerprint`): the same strings
    /// meaning the same choices are not recorded again. Derived from the user's TC string,
    /// so erase deletes it.
    TcfImport,
    /// The fingerprint of the manifest first opened with one policy version (see
    /// `manifest_edit.rs`). Policy metadata, not the user's: erase keeps it.
    ManifestFingerprint(&'a str),
}

impl MetaKey<'_> {
    /// The key as stored.
    pub(crate) fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            MetaKey::PolicyId => "policy_id",
            MetaKey::LedgerHead => "ledger_head",
            MetaKey::FoldSnapshot => "fold_snapshot",
            MetaKey::RecoveredAt => "recovered_at",
            MetaKey::RecoveredMovedTo => "recovered_moved_to",
            MetaKey::DemoStore => "demo_store",
            MetaKey::TcfImport => "tcf_import",
            MetaKey::PolicyVersion(version) => return Cow::Owned(format!("policy:{version}")),
            MetaKey::ManifestFingerprint(version) => return Cow::Owned(format!("manifest:{version}")),
        })
    }
}

/// The value stored under `key`, read inside the caller's transaction if one is open.
///
/// # Errors
/// SQLite errors.
pub(crate) fn get(conn: &Connection, key: MetaKey<'_>) -> Result<Option<String>> {
    read(conn, key).ctx("reading store metadata")
}

/// The recorded ledger head (see [`MetaKey::LedgerHead`]).
///
/// # Errors
/// SQLite errors.
pub(crate) fn head(conn: &Connection) -> Result<Option<String>> {
    read(conn, MetaKey::LedgerHead).ctx("reading the ledger head")
}

fn read(conn: &Connection, key: MetaKey<'_>) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")
        .and_then(|mut stmt| stmt.query_row([key.name()], |r| r.get(0)))
        .optional()
}

/// Stores `value` under `key`, replacing what was there; `what` names the write in an
/// error.
///
/// # Errors
/// SQLite errors.
pub(crate) fn set(conn: &Connection, key: MetaKey<'_>, value: &str, what: &'static str) -> Result<()> {
    // From the statement cache: every write records the ledger head.
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .and_then(|mut stmt| stmt.execute(params![key.name(), value]))
    .ctx(what)?;
    Ok(())
}

/// Stores `value` under `key` unless the key is there already.
///
/// # Errors
/// SQLite errors.
pub(crate) fn set_if_absent(conn: &Connection, key: MetaKey<'_>, value: &str, what: &'static str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
        params![key.name(), value],
    )
    .ctx(what)?;
    Ok(())
}

/// Deletes `key`.
///
/// # Errors
/// SQLite errors.
pub(crate) fn delete(conn: &Connection, key: MetaKey<'_>, what: &'static str) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [key.name()]).ctx(what)?;
    Ok(())
}

/// The ledger head's stored text for the event `id` whose hash is `hash`.
pub(crate) fn head_text(id: i64, hash: &[u8; 32]) -> String {
    format!("{id}:{}", to_hex(hash))
}

/// The event id and hex hash of a stored ledger head, if it reads as one.
pub(crate) fn parse_head(text: &str) -> Option<(i64, &str)> {
    let (id, hash) = text.split_once(':')?;
    Some((id.parse().ok()?, hash))
}

/// Every value of the table, read at once (an open reads them all by one statement).
#[derive(Debug, Default)]
pub(crate) struct Meta(IdMap<String>);

impl Meta {
    /// Reads the whole table (inside the caller's transaction).
    ///
    /// # Errors
    /// SQLite errors.
    pub(crate) fn read_all(conn: &Connection) -> Result<Meta> {
        let mut stmt = conn.prepare("SELECT key, value FROM meta").ctx("reading store metadata")?;
        let values = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .ctx("reading store metadata")?
            .collect::<rusqlite::Result<IdMap<String>>>()
            .ctx("reading store metadata")?;
        Ok(Meta(values))
    }

    /// The value of `key`, if it was there.
    pub(crate) fn get(&self, key: MetaKey<'_>) -> Option<&str> {
        self.0.get(key.name().as_ref()).map(String::as_str)
    }

    /// Whether `key` was there.
    pub(crate) fn contains(&self, key: MetaKey<'_>) -> bool {
        self.0.contains_key(key.name().as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID")
            .unwrap();
        conn
    }

    #[test]
    fn keys_are_stored_under_their_names() {
        let names: Vec<String> = [
            MetaKey::PolicyId,
            MetaKey::LedgerHead,
            MetaKey::FoldSnapshot,
            MetaKey::RecoveredAt,
            MetaKey::RecoveredMovedTo,
            MetaKey::DemoStore,
            MetaKey::PolicyVersion("3.1"),
            MetaKey::TcfImport,
            MetaKey::ManifestFingerprint("3.1"),
        ]
        .iter()
        .map(|k| k.name().into_owned())
        .collect();
        assert_eq!(
            names,
            [
                "policy_id",
                "ledger_head",
                "fold_snapshot",
                "recovered_at",
                "recovered_moved_to",
                "demo_store",
                "policy:3.1",
                "tcf_import",
                "manifest:3.1"
            ]
        );
    }

    #[test]
    fn values_are_set_replaced_kept_and_deleted() {
        let conn = table();
        assert_eq!(get(&conn, MetaKey::PolicyId).unwrap(), None);
        set(&conn, MetaKey::PolicyId, "phocol", "a test").unwrap();
        set(&conn, MetaKey::PolicyId, "other", "a test").unwrap();
        assert_eq!(get(&conn, MetaKey::PolicyId).unwrap().as_deref(), Some("other"));
        set_if_absent(&conn, MetaKey::PolicyVersion("3.1"), "first", "a test").unwrap();
        set_if_absent(&conn, MetaKey::PolicyVersion("3.1"), "second", "a test").unwrap();
        let all = Meta::read_all(&conn).unwrap();
        assert_eq!(all.get(MetaKey::PolicyVersion("3.1")), Some("first"));
        assert!(all.contains(MetaKey::PolicyId) && !all.contains(MetaKey::LedgerHead));
        delete(&conn, MetaKey::PolicyId, "a test").unwrap();
        assert_eq!(get(&conn, MetaKey::PolicyId).unwrap(), None);
    }

    #[test]
    fn the_ledger_head_reads_back_as_written() {
        let conn = table();
        let text = head_text(42, &[0xab; 32]);
        assert_eq!(text, format!("42:{}", "ab".repeat(32)));
        set(&conn, MetaKey::LedgerHead, &text, "a test").unwrap();
        let stored = head(&conn).unwrap().unwrap();
        assert_eq!(parse_head(&stored), Some((42, "ab".repeat(32).as_str())));
        assert_eq!(parse_head("no colon"), None);
        assert_eq!(parse_head("x:abc"), None);
    }
}
