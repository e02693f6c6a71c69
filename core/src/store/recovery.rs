//! A store file that is not a database, or is corrupt (found at open, or later by the
//! audit), is moved aside to `<name>.corrupt-<UTC time>` with its `-wal` and `-shm`,
//! and a fresh store, which denies and asks everything, takes its place. The fresh
//! store keeps a note of that, which `state` reports until it is acknowledged
//! ([`Store::acknowledge_recovery`], `gatekeeper state --ack-recovery`) or the user
//! is erased; an erase also deletes the copies moved aside, since they hold the user's
//! data. Only the open that moved the file aside says so
//! ([`Store::recovered_at_open`]): the CLI warns once, not at every later command.

use std::path::{Path, PathBuf};

use log::warn;
use rusqlite::Connection;

use super::connection;
use super::meta::{self, Meta, MetaKey};
use super::{Broken, LedgerCheck, Store};
use crate::error::{Error, Result};
use crate::time::file_stamp;

/// Why a store was started afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// When the corrupt file was found.
    pub at: i64,
    /// Where it was moved to.
    pub moved_to: String,
}

/// Writes the recovery note of a store started afresh (inside the open's transaction).
///
/// # Errors
/// SQLite errors.
pub(super) fn note(conn: &Connection, r: &Recovery) -> Result<()> {
    meta::set(conn, MetaKey::RecoveredAt, &r.at.to_string(), "writing store metadata")?;
    meta::set(conn, MetaKey::RecoveredMovedTo, &r.moved_to, "writing store metadata")
}

/// The recovery note an earlier open wrote, if there is one.
pub(super) fn noted(meta: &Meta) -> Option<Recovery> {
    let at = meta.get(MetaKey::RecoveredAt).and_then(|s| s.parse().ok());
    at.zip(meta.get(MetaKey::RecoveredMovedTo)).map(|(at, moved_to)| Recovery { at, moved_to: moved_to.to_owned() })
}

/// Deletes the recovery note (inside the erase's transaction).
///
/// # Errors
/// SQLite errors.
pub(super) fn forget_note(conn: &Connection) -> Result<()> {
    const WHAT: &str = "erasing recovery notes and the fold snapshot";
    meta::delete(conn, MetaKey::RecoveredAt, WHAT)?;
    meta::delete(conn, MetaKey::RecoveredMovedTo, WHAT)
}

/// Renames a corrupt file (and its WAL and shared-memory files) to
/// `<name>.corrupt-<UTC time>`, never overwriting an earlier one.
///
/// # Errors
/// [`Error::Open`] when the file cannot be renamed.
pub(super) fn move_aside(path: &Path, now: i64) -> Result<String> {
    let base = format!("{}.corrupt-{}", path.display(), file_stamp(now));
    let mut target = base.clone();
    let mut n = 1;
    while Path::new(&target).exists() {
        n += 1;
        target = format!("{base}-{n}");
    }
    std::fs::rename(path, &target).map_err(|e| Error::Open {
        path: path.display().to_string(),
        message: format!("cannot move the corrupt file aside: {e}"),
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let _ = std::fs::rename(&side, format!("{target}{suffix}"));
        }
    }
    Ok(target)
}

/// Deletes the files [`move_aside`] made for the store at `path` (with their WAL and
/// shared-memory files). Failures are logged: the erase itself has already committed.
pub(super) fn remove_moved_aside(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let prefix = format!("{name}.corrupt-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)) {
            if let Err(e) = std::fs::remove_file(entry.path()) {
                warn!("gatekeeper: could not delete a moved-aside copy of the store: {e}");
            }
        }
    }
}

impl Store {
    /// Whether this open found the file corrupt, moved it aside and started afresh (an
    /// earlier open's recovery is only in [`Store::recovery`]).
    pub fn recovered_at_open(&self) -> bool {
        self.recovered_at_open && self.recovery.is_some()
    }

    /// Acknowledges the recovery note: `state` no longer reports it. The copy moved
    /// aside stays where it is (an erase deletes it). Returns whether there was a note.
    ///
    /// # Errors
    /// SQLite errors (the note is then kept).
    pub fn acknowledge_recovery(&mut self) -> Result<bool> {
        if self.recovery.is_none() {
            return Ok(false);
        }
        self.in_write("acknowledging the recovery note", |s| forget_note(&s.conn))?;
        self.recovery = None;
        self.recovered_at_open = false;
        Ok(true)
    }

    /// The audit found the file corrupt: closes it, moves it aside and carries on with
    /// a fresh store (as opening a corrupt file does), keeping the listener.
    pub(super) fn recover_in_place(&mut self, why: &str) {
        warn!("gatekeeper: the store failed its integrity check after opening ({why})");
        let placeholder = match Connection::open_in_memory() {
            Ok(c) => c,
            Err(e) => {
                warn!("gatekeeper: could not close the corrupt store, failing closed: {e}");
                return self.set_broken(Some(Broken::Corrupt));
            }
        };
        // Nothing more goes into the corrupt file, not even a checkpoint on close.
        let _ = connection::checkpoint_on_close(&self.conn, false);
        self.heads.clear();
        let old = std::mem::replace(&mut self.conn, placeholder);
        if let Err((_, e)) = old.close() {
            warn!("gatekeeper: closing the corrupt store: {e}");
        }
        match Store::open_with(&self.path, self.manifest.clone(), self.clock.clone(), LedgerCheck::Full) {
            Ok(mut fresh) => {
                fresh.listener = self.listener.take();
                fresh.unreported = std::mem::take(&mut self.unreported);
                *self = fresh;
            }
            Err(e) => {
                warn!("gatekeeper: could not start afresh, failing closed: {e}");
                self.set_broken(Some(Broken::Corrupt));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_moved_aside_takes_its_wal_and_never_overwrites_an_earlier_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let side = |p: &Path, s: &str| PathBuf::from(format!("{}{s}", p.display()));
        std::fs::write(&path, b"first").unwrap();
        std::fs::write(side(&path, "-wal"), b"wal").unwrap();
        let first = move_aside(&path, 1_767_225_600_000).unwrap();
        assert!(first.ends_with("g.db.corrupt-20260101T000000Z"), "{first}");
        assert_eq!(std::fs::read(&first).unwrap(), b"first");
        assert_eq!(std::fs::read(side(Path::new(&first), "-wal")).unwrap(), b"wal");
        assert!(!path.exists());

        std::fs::write(&path, b"second").unwrap();
        let second = move_aside(&path, 1_767_225_600_000).unwrap();
        assert_eq!(second, format!("{first}-2"));
        assert_eq!(std::fs::read(&first).unwrap(), b"first");
        assert_eq!(std::fs::read(&second).unwrap(), b"second");
    }

    #[test]
    fn only_this_stores_copies_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        for name in ["g.db.corrupt-1", "g.db.corrupt-1-wal", "other.db.corrupt-1", "g.db"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        remove_moved_aside(&path);
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["g.db", "other.db.corrupt-1"]);
    }

    #[test]
    fn a_missing_file_cannot_be_moved_aside_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.db");
        match move_aside(&path, 0) {
            Err(Error::Open { path: p, message }) => {
                assert_eq!(p, path.display().to_string());
                assert!(message.contains("cannot move the corrupt file aside"), "{message}");
            }
            other => panic!("expected Error::Open, got {other:?}"),
        }
    }
}
