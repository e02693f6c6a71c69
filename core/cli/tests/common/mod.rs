//! What the binary's test files share (as `core/tests/common` is for the library's): running
//! the `gatekeeper` binary in a temporary directory, as the acceptance scenarios drive it
//! (`--json`, `--now`, `--db`, optionally `--policy`), and reading what it printed. Each test
//! file adds its own helpers in its own `impl Cli`.
#![allow(dead_code)] // each test file uses a part of it

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

/// The time most tests run at.
pub const T: &str = "2026-01-01T00:00:00Z";

/// One run of the binary: its exit status and what it printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as exactly one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim_end()).unwrap_or_else(|e| {
            panic!("stdout is not one JSON document ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// Exit status 0, and stdout as one JSON document.
    pub fn ok(self) -> Value {
        assert_eq!(self.code, 0, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self.json()
    }
}

/// Runs the binary with exactly `args` in `dir`.
pub fn gatekeeper(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A temporary directory holding the store, and the policy every run is given (none: the
/// embedded example).
pub struct Cli {
    pub dir: TempDir,
    pub policy: Option<PathBuf>,
}

impl Cli {
    /// A fresh directory, the embedded example as the policy.
    pub fn new() -> Self {
        Cli { dir: tempfile::tempdir().unwrap(), policy: None }
    }

    /// A fresh directory, `policy` as the policy of every run.
    pub fn with_policy(policy: impl Into<PathBuf>) -> Self {
        Cli { dir: tempfile::tempdir().unwrap(), policy: Some(policy.into()) }
    }

    /// The store's path.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("gatekeeper.db")
    }

    /// A file's path in the temporary directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs the binary with exactly `args`, in the temporary directory.
    pub fn raw(&self, args: &[&str]) -> Run {
        gatekeeper(self.dir.path(), args)
    }

    /// `gatekeeper --json --now NOW --db <tmp>/gatekeeper.db [--policy P] ARGS...`
    pub fn at(&self, now: &str, args: &[&str]) -> Run {
        let db = self.db();
        let mut all = vec!["--json", "--now", now, "--db", db.to_str().unwrap()];
        let policy = self.policy.as_ref().map(|p| p.to_str().unwrap().to_owned());
        if let Some(p) = &policy {
            all.extend(["--policy", p.as_str()]);
        }
        all.extend_from_slice(args);
        self.raw(&all)
    }

    /// [`Cli::at`] at [`T`].
    pub fn run(&self, args: &[&str]) -> Run {
        self.at(T, args)
    }
}
