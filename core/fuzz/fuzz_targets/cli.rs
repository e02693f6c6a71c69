//! Fuzzes `gatekeeper_cli::parse_args`, the command line's argument parser (clap's
//! derive API, through `try_parse_from`): every argument a script or a user types
//! reaches it.
//!
//! The input is read as text (`String::from_utf8_lossy`) and split at NUL bytes into
//! arguments (as `argv` would be), at most 16. Checked on every input:
//! - `parse_args` never panics;
//! - a failure is a usage error (status 2, code `usage`) or an invalid value (status 1,
//!   code `invalid_argument`: a value an option's parser or clap's possible values
//!   refused, issue 13's defect 8), with a message on one line that quotes no argument
//!   of more than 64 characters in full;
//! - parsing is deterministic: the same arguments give the same command;
//! - a parsed command is well formed: a profile's country is upper case, a choice names
//!   at least one purpose or SDK, a source is never empty;
//! - the first argument, given as `profile --country CN --age <it>`, is either taken
//!   or refused with one fixed message: an age is personal data and is never echoed.
#![no_main]

use gatekeeper_cli::{parse_args, Command, Invocation};
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
            let kind = (f.status, f.code.as_str());
            assert!(kind == (2, "usage") || kind == (1, "invalid_argument"), "{kind:?}");
            assert!(!f.message.is_empty() && !f.message.contains('\n'), "{:?}", f.message);
            // A long value is quoted clipped (one without quotes or spaces, which could
            // split or reflow the quotation).
            let plain = |a: &&String| !a.contains('\'') && !a.chars().any(char::is_whitespace);
            for a in args.iter().filter(|a| a.chars().count() > 64).filter(plain) {
                assert!(!f.message.contains(a.as_str()), "{a:?} quoted in full: {}", f.message);
            }
        }
        Ok(Invocation::Help(text)) => assert!(!text.is_empty()),
        Ok(Invocation::Run(g, cmd)) => {
            let again = parse_args(args).expect("parsing is deterministic");
            assert_eq!(again, Invocation::Run(g, cmd.clone()));
            match cmd {
                Command::Profile(p) => assert_eq!(p.country, p.country.to_ascii_uppercase()),
                Command::Grant(c) => {
                    assert!(!(c.items.purposes.is_empty() && c.items.sdks.is_empty()));
                    assert!(!c.source.is_empty());
                }
                Command::Deny(c) => {
                    assert!(!(c.items.purposes.is_empty() && c.items.sdks.is_empty()));
                    assert!(!c.source.is_empty());
                }
                Command::Withdraw(c) => {
                    assert!(!(c.items.purposes.is_empty() && c.items.sdks.is_empty()));
                    assert!(!c.source.is_empty());
                }
                Command::AcceptPolicy(a) => assert!(!a.source.is_empty()),
                _ => {}
            }
        }
    }
});

/// What a bad `--age` may be told.
const AGE_MESSAGES: &[&str] = &["--age must be a whole number of years from 0 to 150"];
