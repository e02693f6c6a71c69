//! Fuzzes `gatekeeper::cli::parse_args`, the command line's argument parser: every
//! argument a script or a user types reaches it.
//!
//! The input is read as text (`String::from_utf8_lossy`) and split at NUL bytes into
//! arguments (as `argv` would be), at most 16. Checked on every input:
//! - `parse_args` never panics;
//! - a failure is a usage error (status 2, code `usage`) with a message;
//! - parsing is deterministic: the same arguments give the same command;
//! - a parsed command is well formed: a profile's country is upper case, a choice names
//!   at least one purpose or SDK, a source is never empty;
//! - the first argument, given as `profile --country CN --age <it>`, is either taken
//!   or refused with one fixed message: an age is personal data and is never echoed.
#![no_main]

use gatekeeper::cli::{parse_args, Command};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let args: Vec<String> = text.split('\0').take(16).map(str::to_owned).collect();

    // The first argument as an age: refused with a fixed message, never echoed.
    let age = args[0].clone();
    let profile = ["profile", "--country", "CN", "--age", age.as_str()].map(str::to_owned).to_vec();
    if let Err(f) = parse_args(profile) {
        assert!(AGE_MESSAGES.contains(&f.message.as_str()), "{age:?} gave: {}", f.message);
    }
    match parse_args(args.clone()) {
        Err(f) => {
            assert_eq!((f.status, f.code.as_str()), (2, "usage"));
            assert!(!f.message.is_empty());
        }
        Ok((g, cmd)) => {
            let (g2, cmd2) = parse_args(args).expect("parsing is deterministic");
            assert_eq!(cmd, cmd2);
            assert_eq!((g.db, g.policy, g.now, g.json), (g2.db, g2.policy, g2.now, g2.json));
            match cmd {
                Command::Profile { country, .. } => assert_eq!(country, country.to_ascii_uppercase()),
                Command::Choice { purposes, sdks, source, .. } => {
                    assert!(!(purposes.is_empty() && sdks.is_empty()));
                    assert!(!source.is_empty());
                }
                Command::AcceptPolicy { source, .. } => assert!(!source.is_empty()),
                _ => {}
            }
        }
    }
});

/// What a bad `--age` may be told.
const AGE_MESSAGES: &[&str] = &["--age must be a whole number of years from 0 to 150", "--age needs a value"];
