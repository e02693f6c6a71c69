//! Fuzzes `gatekeeper::ledger::verify_chain`, which reads ledger rows back from the
//! database (a file on the device that may be corrupt or edited) and recomputes the
//! hash chain.
//!
//! The input is cut into rows by hand (no `arbitrary`): it is read as text
//! (`String::from_utf8_lossy`) and split into lines, and every 5 lines make one row:
//! `id`, `ts`, `kind`, `body`, `hash` (`id` and `ts` are parsed as i64, 0 when they are
//! not numbers); at most 8 rows. A `hash` line of exactly `*` is replaced by the
//! correct chain hash of that row, so the fuzzer can get past the first row and
//! exercise whole chains. Checked on every input:
//! - `verify_chain` never panics;
//! - it counts every row, and the broken row it names is one of the rows;
//! - a chain it calls intact is one whose every body is the canonical text of an
//!   event with the row's id, ts and kind.
#![no_main]

use gatekeeper::ledger::{chain_hash, to_hex, verify_chain, Event, StoredEvent, GENESIS_HASH};
use libfuzzer_sys::fuzz_target;

const MAX_ROWS: usize = 8;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut rows = Vec::new();
    let mut prev = GENESIS_HASH;
    for chunk in lines.chunks_exact(5).take(MAX_ROWS) {
        let [id, ts, kind, body, hash] = chunk else { unreachable!() };
        let hash = match *hash {
            "*" => {
                let h = chain_hash(&prev, body);
                prev = h;
                to_hex(&h)
            }
            other => {
                // The chain continues from what the row claims, as verify_chain does
                // when the row is intact.
                if let Some(h) = gatekeeper::ledger::from_hex(other) {
                    prev = h;
                }
                other.to_owned()
            }
        };
        rows.push(StoredEvent {
            id: id.parse().unwrap_or(0),
            ts: ts.parse().unwrap_or(0),
            kind: (*kind).to_owned(),
            body: (*body).to_owned(),
            hash,
        });
    }

    let report = verify_chain(&rows);
    assert_eq!(report.events, rows.len() as u64);
    match report.first_broken {
        Some(id) => assert!(rows.iter().any(|r| r.id == id), "broken id {id} is not a row"),
        None => {
            for row in &rows {
                let event: Event =
                    serde_json::from_str(&row.body).expect("verify_chain accepted a body that is not an event");
                assert_eq!(event.canonical(), row.body);
                assert_eq!((event.id, event.ts, event.kind.as_str()), (row.id, row.ts, row.kind.as_str()));
            }
        }
    }
});
