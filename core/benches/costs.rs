//! What Gatekeeper costs, each figure measured against a floor taken in the same run.
//!
//! The machines this runs on are noisy (shared cores, other builds), so absolute times
//! say little; the ratio of a measurement to a floor measured in the same process,
//! interleaved with it, holds. Run it through `.ci/bench`, which builds the shipped
//! release profile, runs this, runs the Kotlin bench (`tests/kotlin/bench`), then runs
//! this again with `--summary` to write `target/bench/summary.json`.
//!
//! ```text
//! cargo bench -p gatekeeper --bench costs -- [--quick] [--out DIR] [--cdylib PATH]
//! cargo bench -p gatekeeper --bench costs -- --summary [--out DIR]
//! ```
//!
//! Rows (see the README's benchmark section for the targets):
//! - `decide_warm`: a repeated decision through the exported `Gatekeeper` object (an SDK
//!   with three purposes, a permission with pacing state), against a
//!   `HashMap<String, Decision>` get plus clone of the same decisions;
//! - `decide_access`: a repeated allowed data access (§9.2) through the exported object,
//!   `decide_access(clipboard)`, with its recording (a repeat of the decision-log row, the
//!   access's time kept for the interval); `clipboard` has no interval in the bench manifest,
//!   which is the case where the hot path must do no disk I/O (an access with an interval is
//!   written through, once per interval). Against the same floor as `decide_warm`;
//! - `cold_open`: open the simulated-year store, parse the manifest, first decision,
//!   against rusqlite opening the same file and running one SELECT;
//! - `write_grant`: a grant, committed, against a bare INSERT + COMMIT of a row of the
//!   same shape on the same file with the same pragmas;
//! - `tcf_decode`: decoding a TC string with 1,000 vendors in bit-field and range sections,
//!   publisher restrictions and a disclosed vendors segment, against base64url-decoding the
//!   same string's segments into bytes;
//! - `store_size`: the bytes of the store after the simulated year (retention applied);
//! - `cdylib_size`: the bytes of the stripped release cdylib (`--cdylib`).
//!
//! The store holds a **simulated year** made through the real `Store` API with a fixed
//! clock moved forward: 10 launches a day (each opens the store, makes 20 decisions and
//! closes it), a consent change a week, and permission results. The manifest is the
//! example manifest with one change: the `facebook` SDK serves three purposes
//! (analytics, personalised_ads, account_login) instead of one, so the decision measured
//! walks three purposes; it has the example's size.
//!
//! It prints figures and writes rows; it asserts nothing about time (no timed tests).

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, Engine};
use gatekeeper::ffi::{Gatekeeper, GatekeeperOptions};
use gatekeeper::manifest::{self, EXAMPLE_MANIFEST};
use gatekeeper::tcf::{
    AlphaCode, IdBits, PublisherRestriction, PublisherRestrictions, RestrictionType, TcString, VendorSet,
};
use gatekeeper::time::{MS_PER_DAY, MS_PER_HOUR};
use gatekeeper::{EventKind, FixedClock, PermissionResult, Store, Subject, Trigger};
use rusqlite::{params, Connection};
use serde_json::{json, Value};

#[path = "common/measure.rs"]
mod measure;
use measure::{alternate, interleaved, median};

const MIB: f64 = 1024.0 * 1024.0;

/// One row of `summary.json`. `ratio` and `met` are computed here, from the figures.
struct Row {
    name: String,
    value: f64,
    unit: String,
    floor: Option<f64>,
    /// A ratio to the floor when there is a floor, else an absolute bound in `unit`.
    target: f64,
    note: String,
}

impl Row {
    fn to_json(&self) -> Value {
        // The ratio of the figures as written, so that ratio = value / floor in the file.
        let (value, floor) = (round(self.value), self.floor.map(round));
        let ratio = floor.map(|f| value / f);
        let met = match ratio {
            Some(r) => r <= self.target,
            None => value <= self.target,
        };
        json!({
            "name": self.name,
            "value": value,
            "unit": self.unit,
            "floor": floor,
            "ratio": ratio.map(|r| (r * 1000.0).round() / 1000.0),
            "target": self.target,
            "met": met,
            "note": self.note,
        })
    }
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The `tcf_decode` row's string: a large but realistic TCF v2.2 string. 1,000 vendor
/// consents scattered over ids 1-3,000 (a bit field is the shorter encoding), 1,000
/// legitimate interests in 20 runs of 50 (ranges), 8 publisher restrictions of 25 ranges
/// each, and a disclosed vendors segment of 1,000 vendors.
fn big_tc_string() -> String {
    let day = 1_767_225_600_000u64 / 100;
    let restrictions = (1..=8u8).map(|purpose| PublisherRestriction {
        purpose,
        restriction_type: RestrictionType::from_bits(purpose % 3),
        vendors: VendorSet::from_ranges((0..25u16).map(|i| (1 + i * 100 + u16::from(purpose), 10 + i * 100))),
    });
    let tc = TcString {
        created_ds: day,
        last_updated_ds: day,
        cmp_id: 300,
        cmp_version: 2,
        consent_screen: 1,
        consent_language: AlphaCode::new("EN").unwrap(),
        vendor_list_version: 80,
        tcf_policy_version: 4,
        is_service_specific: true,
        use_non_standard_texts: false,
        special_feature_opt_ins: IdBits::from_ids([1]),
        purpose_consents: IdBits::from_ids(1..=11),
        purpose_legitimate_interests: IdBits::from_ids([2, 7, 8, 9, 10]),
        purpose_one_treatment: false,
        publisher_cc: AlphaCode::new("DE").unwrap(),
        vendor_consents: VendorSet::from_ids((1..=1000u16).map(|i| i * 3)),
        vendor_legitimate_interests: VendorSet::from_ranges((0..20u16).map(|i| (1 + i * 150, 50 + i * 150))),
        publisher_restrictions: PublisherRestrictions::new(restrictions),
        disclosed_vendors: Some(VendorSet::from_ids((1..=1000u16).map(|i| i * 3 + 1))),
        allowed_vendors: None,
        publisher_tc: None,
    };
    tc.encode().expect("the bench's TC string encodes")
}

/// The bench manifest: the example, with `facebook` serving three purposes.
fn bench_manifest() -> String {
    let mut m: Value = serde_json::from_str(EXAMPLE_MANIFEST).expect("example manifest is JSON");
    let sdks = m["sdks"].as_array_mut().expect("sdks");
    let fb = sdks.iter_mut().find(|s| s["id"] == "facebook").expect("facebook in the example");
    fb["purposes"] = json!(["analytics", "personalised_ads", "account_login"]);
    // decide_access measures an access that may repeat at once: no interval.
    let access = m["data_access"].as_array_mut().expect("data_access");
    let clipboard = access.iter_mut().find(|a| a["id"] == "clipboard").expect("clipboard in the example");
    clipboard["min_interval_seconds"] = json!(0);
    serde_json::to_string_pretty(&m).expect("serialise")
}

/// The 10-year rows' manifest: the bench manifest grown to 200 SDKs, 50 purposes and 40
/// permissions, as a large app's would be. The added items are copies of the example's
/// (each SDK with its own packages, each permission with its own OS names), so every one
/// is checked, cross-referenced and folded as a hand-written one is.
fn big_manifest() -> String {
    let mut m: Value = serde_json::from_str(&bench_manifest()).expect("the bench manifest is JSON");
    let grow = |list: &mut Vec<Value>, to: usize, copy: &dyn Fn(&Value, usize) -> Value| {
        let originals = list.clone();
        let mut n = 0;
        while list.len() < to {
            list.push(copy(&originals[n % originals.len()], n / originals.len() + 2));
            n += 1;
        }
    };
    let rename = |v: &Value, k: usize| -> Value {
        let mut v = v.clone();
        v["id"] = json!(format!("{}_{k}", v["id"].as_str().unwrap()));
        v
    };
    // Copies of the consent purposes: contract and legal-obligation ones stay as they are.
    let consent: Vec<Value> =
        m["purposes"].as_array().unwrap().iter().filter(|p| p["basis"] == "consent").cloned().collect();
    let purposes = m["purposes"].as_array_mut().unwrap();
    let mut extra = consent.clone();
    grow(&mut extra, consent.len() + 50 - purposes.len(), &|v, k| rename(v, k));
    purposes.extend(extra.into_iter().skip(consent.len()));
    let purpose_ids: Vec<String> =
        m["purposes"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect();
    grow(m["permissions"].as_array_mut().unwrap(), 40, &|v, k| {
        let mut v = rename(v, k);
        for os in ["android", "ios"] {
            if let Some(names) = v[os].as_array_mut() {
                for n in names.iter_mut() {
                    *n = json!(format!("{}{k}", n.as_str().unwrap()));
                }
            }
        }
        v
    });
    grow(m["sdks"].as_array_mut().unwrap(), 200, &|v, k| {
        let mut v = rename(v, k);
        if let Some(packages) = v["packages"].as_array_mut() {
            for p in packages.iter_mut() {
                *p = json!(format!("{}.copy{k}", p.as_str().unwrap()));
            }
        }
        if let Some(modules) = v["ios_modules"].as_array_mut() {
            for p in modules.iter_mut() {
                *p = json!(format!("{}Copy{k}", p.as_str().unwrap()));
            }
        }
        // Spread the copies over the added purposes as well.
        if let Some(ps) = v["purposes"].as_array_mut() {
            for p in ps.iter_mut() {
                let copy = format!("{}_{k}", p.as_str().unwrap());
                if purpose_ids.contains(&copy) {
                    *p = json!(copy);
                }
            }
        }
        v
    });
    serde_json::to_string_pretty(&m).expect("serialise")
}

/// What a large app decides at each launch: every SDK and every permission (on a user
/// action), then the three purposes the example app asks about.
fn all_subjects(m: &gatekeeper::Manifest) -> Vec<Subject> {
    let mut s: Vec<Subject> = m.sdks.iter().map(|x| Subject::Sdk(x.id.clone())).collect();
    s.extend(m.permissions.iter().map(|p| Subject::Permission(p.id.clone(), Trigger::UserAction)));
    for p in ["analytics", "push_notifications", "personalised_ads"] {
        s.push(Subject::Purpose(p.into()));
    }
    s
}

/// The 20 subjects an app asks about at each launch: every SDK, every permission (on a user
/// action), then purposes, the first 20 of them.
fn launch_subjects(m: &gatekeeper::Manifest) -> Vec<Subject> {
    let mut s: Vec<Subject> = m.sdks.iter().map(|x| Subject::Sdk(x.id.clone())).collect();
    s.extend(m.permissions.iter().map(|p| Subject::Permission(p.id.clone(), Trigger::UserAction)));
    for p in ["analytics", "push_notifications", "personalised_ads"] {
        s.push(Subject::Purpose(p.into()));
    }
    s.truncate(20);
    assert_eq!(s.len(), 20, "the example manifest declares at least 17 SDKs and permissions");
    s
}

/// The weekly consent change: a cycle of grants, withdrawals and denials.
fn weekly_change(store: &mut Store, week: i64) {
    let (kind, purposes, sdks, separate): (EventKind, &[&str], &[&str], bool) = match week % 6 {
        0 => (EventKind::Withdrawn, &["analytics"], &[], false),
        1 => (EventKind::Granted, &["analytics", "personalised_ads"], &["facebook"], true),
        2 => (EventKind::Denied, &["push_notifications"], &[], false),
        3 => (EventKind::Granted, &["push_notifications", "location_services"], &["amap"], true),
        4 => (EventKind::Withdrawn, &["location_services"], &["amap"], false),
        _ => (EventKind::Granted, &["location_services", "account_login"], &["google_sign_in"], true),
    };
    let p: Vec<String> = purposes.iter().map(|s| s.to_string()).collect();
    let s: Vec<String> = sdks.iter().map(|s| s.to_string()).collect();
    store.record_choice(kind, &p, &s, separate, false, "settings").expect("weekly consent change");
}

/// The grant every history starts with: facebook's three purposes and its separate consent.
fn grant_facebook(s: &mut Store, source: &str) {
    s.record_choice(
        EventKind::Granted,
        &["analytics".into(), "personalised_ads".into(), "account_login".into()],
        &["facebook".into()],
        true,
        false,
        source,
    )
    .expect("facebook's grant");
}

/// What the simulated history did.
#[derive(Default)]
struct Year {
    launches: u64,
    decisions: u64,
    consent_changes: u64,
    permission_results: u64,
    secs: f64,
}

/// Writes `years` years of history into a new store at `path`, ending at `end_ms`.
///
/// The last year is lived in full: 10 launches a day, each opening the store and deciding
/// `subjects`. The years before it keep only what outlives them in a store: every consent
/// change and every permission result, each at a launch of its own (which decides
/// `subjects` too). The launches in between would only have added decision-log repeats, and
/// the log keeps a row no longer than its retention (400 days in the bench manifests), so
/// after ten years the store holds what it would hold had they been simulated.
fn simulate_years(path: &Path, manifest_json: &str, end_ms: i64, years: i64, subjects: &[Subject]) -> Year {
    let manifest = Arc::new(manifest::parse(manifest_json).expect("bench manifest"));
    let start = end_ms - years * 365 * MS_PER_DAY;
    let full_from = end_ms - 365 * MS_PER_DAY;
    let clock = Arc::new(FixedClock::new(start));
    let t0 = Instant::now();
    let mut y = Year { launches: 0, decisions: 0, consent_changes: 0, permission_results: 0, secs: 0.0 };
    {
        let mut s = Store::open(path, manifest.clone(), clock.clone()).expect("open the history's store");
        s.set_profile(Some("CN"), Some(30)).expect("profile");
        s.accept_policy(false, "first_run_dialog").expect("accept");
        grant_facebook(&mut s, "first_run_dialog");
        y.consent_changes += 1;
    }
    let permissions = ["camera", "location", "photos", "microphone"];
    for day in 0..years * 365 {
        let day_start = start + day * MS_PER_DAY;
        for launch in 0..10 {
            let change = launch == 3 && day % 7 == 6;
            let prompt = launch == 5 && day % 3 == 0;
            if day_start < full_from && !change && !prompt {
                continue;
            }
            // Launches from 08:00, every 80 minutes.
            clock.set(day_start + 8 * MS_PER_HOUR + launch * 80 * 60_000);
            let mut s = Store::open(path, manifest.clone(), clock.clone()).expect("open at launch");
            if change {
                weekly_change(&mut s, day / 7);
                y.consent_changes += 1;
            }
            if prompt {
                // A permission prompt's OS answer every third day: mostly granted, some
                // denials (which start the re-prompt pacing).
                let n = (day / 3) as usize;
                let result = if n % 4 == 1 { PermissionResult::Denied } else { PermissionResult::Granted };
                s.record_permission_result(permissions[n % permissions.len()], result).expect("permission result");
                y.permission_results += 1;
            }
            for subject in subjects {
                black_box(s.decide(subject));
                clock.advance(1_000);
                y.decisions += 1;
            }
            y.launches += 1;
            // Dropping the store flushes the repeat counts and closes it, as an app does.
        }
    }
    y.secs = t0.elapsed().as_secs_f64();
    y
}

/// Simulates the history on a RAM file system when there is one (every launch's close is a
/// durable write; the figures are taken later, on a copy in the output directory), and
/// leaves the store at `path` with retention applied and its WAL checkpointed.
fn simulated_store(path: &Path, manifest_json: &str, end: i64, years: i64, subjects: &[Subject]) -> Year {
    remove_store(path);
    let shm = Path::new("/dev/shm");
    let scratch = if shm.is_dir() {
        shm.join(format!("gatekeeper-bench-{}-{}", std::process::id(), path.file_name().unwrap().to_string_lossy()))
    } else {
        path.to_path_buf()
    };
    remove_store(&scratch);
    let y = simulate_years(&scratch, manifest_json, end, years, subjects);
    {
        // Opening applies retention; closing checkpoints the WAL, as at the next launch.
        let manifest = Arc::new(manifest::parse(manifest_json).unwrap());
        let s = Store::open(&scratch, manifest, Arc::new(FixedClock::new(end))).expect("reopen the history");
        drop(s);
    }
    if scratch != path {
        copy_store(&scratch, path);
        remove_store(&scratch);
    }
    y
}

/// A simulated history and what it left in its store.
struct History {
    y: Year,
    bytes: u64,
    events: i64,
    log_rows: i64,
}

/// Simulates `years` of history into `path` (or keeps the one there, with `--reuse-year`),
/// and reports what the store holds.
fn history(o: &Opts, path: &Path, manifest_json: &str, end: i64, years: i64, subjects: &[Subject]) -> History {
    let y = if o.reuse_year && path.exists() {
        Year::default()
    } else {
        simulated_store(path, manifest_json, end, years, subjects)
    };
    let bytes = store_bytes(path);
    let c = Connection::open(path).unwrap();
    let events: i64 = c.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    let log_rows: i64 = c.query_row("SELECT count(*) FROM decision_log", [], |r| r.get(0)).unwrap();
    println!(
        "simulated {years} year(s): {} launches, {} decisions, {} consent changes, {} permission results in \
         {:.1} s; {events} events, {log_rows} decision-log rows, {bytes} bytes",
        y.launches, y.decisions, y.consent_changes, y.permission_results, y.secs
    );
    History { y, bytes, events, log_rows }
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Bytes of the store: the database and any WAL and shared-memory file beside it.
fn store_bytes(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn copy_store(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(from, to).expect("copy the year store");
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_millis() as i64
}

fn open_ffi(path: &Path, manifest_json: &str) -> Arc<Gatekeeper> {
    Gatekeeper::open(path.display().to_string(), manifest_json.to_owned(), GatekeeperOptions { time_source: None })
        .expect("open the gatekeeper")
}

/// Median µs of opening the store at `path` with `manifest_json` and making one decision,
/// and of the floor: rusqlite opening the same file and running one SELECT from `meta`.
/// Closing (the log flush, the checkpoint, the end of the audit thread) is not timed.
fn cold_open(path: &Path, manifest_json: &str, reps: usize) -> (f64, f64) {
    let open_once = || {
        let t = Instant::now();
        let g = open_ffi(path, manifest_json);
        black_box(g.decide_sdk("facebook".into()));
        let ns = t.elapsed().as_nanos() as f64;
        drop(g);
        ns
    };
    let floor_once = || {
        let t = Instant::now();
        let c = Connection::open(path).expect("rusqlite open");
        let x: String =
            c.query_row("SELECT value FROM meta WHERE key = 'policy_id'", [], |r| r.get(0)).expect("select");
        black_box(x);
        let ns = t.elapsed().as_nanos() as f64;
        drop(c);
        ns
    };
    // `alternate` warms the page cache first: both sides then read a cached file.
    let (mut v, mut f) = alternate(reps, open_once, floor_once);
    (median(&mut v) / 1000.0, median(&mut f) / 1000.0)
}

/// The two decisions `decide_warm` repeats: an SDK with three purposes and a permission
/// denied an hour ago (its re-prompt pacing applies).
fn decide_pair(g: &Gatekeeper) {
    black_box(g.decide_sdk(black_box("facebook").to_owned()));
    black_box(g.decide_permission(black_box("camera").to_owned(), Trigger::UserAction));
}

struct Opts {
    quick: bool,
    out: PathBuf,
    cdylib: Option<PathBuf>,
    summary: bool,
    /// Profiling aid: keep `year.db` from an earlier run instead of simulating again.
    reuse_year: bool,
    /// Profiling aid: measure only this row (and the year it needs).
    only: Option<String>,
}

impl Opts {
    fn runs(&self, row: &str) -> bool {
        self.only.as_deref().is_none_or(|r| r == row)
    }
}

fn parse_args() -> Opts {
    let mut o = Opts {
        quick: false,
        out: PathBuf::from("target/bench"),
        cdylib: None,
        summary: false,
        reuse_year: false,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--summary" => o.summary = true,
            "--reuse-year" => o.reuse_year = true,
            "--only" => o.only = Some(args.next().expect("--only ROW")),
            "--out" => o.out = PathBuf::from(args.next().expect("--out DIR")),
            "--cdylib" => o.cdylib = Some(PathBuf::from(args.next().expect("--cdylib PATH"))),
            // `cargo bench` passes --bench to every bench target.
            "--bench" => {}
            other => {
                eprintln!("costs: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    o
}

fn main() {
    let o = parse_args();
    std::fs::create_dir_all(&o.out).expect("create the output directory");
    if o.summary {
        summary(&o.out);
        return;
    }
    let manifest_json = bench_manifest();
    std::fs::write(o.out.join("bench-manifest.json"), &manifest_json).expect("write the bench manifest");
    let (reps, batch) = if o.quick { (101, 2_000) } else { (401, 5_000) };
    let (open_reps, write_reps) = if o.quick { (201, 201) } else { (601, 601) };
    let mut rows = Vec::new();

    // --- the simulated year ------------------------------------------------------------
    let year_path = o.out.join("year.db");
    let end = now_ms() - MS_PER_HOUR;
    let manifest = manifest::parse(&manifest_json).expect("bench manifest");
    let History { y, bytes: year_bytes, events, log_rows } =
        history(&o, &year_path, &manifest_json, end, 1, &launch_subjects(&manifest));
    rows.push(Row {
        name: "store_size".into(),
        value: year_bytes as f64,
        unit: "bytes".into(),
        floor: None,
        target: MIB,
        note: format!(
            "{} launches x 20 decisions, {} consent changes, {} permission results: {events} events, {log_rows} log rows",
            y.launches, y.consent_changes, y.permission_results
        ),
    });

    // A permission denied an hour ago: its decisions now run the re-prompt pacing rule.
    {
        let manifest = Arc::new(manifest::parse(&manifest_json).unwrap());
        let mut s = Store::open(&year_path, manifest, Arc::new(FixedClock::new(end))).unwrap();
        s.record_permission_result("camera", PermissionResult::Denied).unwrap();
    }
    // Kept for the Kotlin bench, which opens a copy of the same store.
    copy_store(&year_path, &o.out.join("year-kotlin.db"));

    // --- decide_warm ---------------------------------------------------------------------
    if o.runs("decide_warm") {
        let path = o.out.join("warm.db");
        copy_store(&year_path, &path);
        let g = open_ffi(&path, &manifest_json);
        let sdk = g.decide_sdk("facebook".into());
        let perm = g.decide_permission("camera".into(), Trigger::UserAction);
        println!(
            "decide_warm subjects: {} {:?}/{:?}, {} {:?}/{:?}",
            sdk.subject, sdk.verdict, sdk.reason, perm.subject, perm.verdict, perm.reason
        );
        let mut floor_map: HashMap<String, gatekeeper::ffi::Decision> = HashMap::new();
        // The same decisions, keyed as the app would key them.
        for d in [&sdk, &perm] {
            floor_map.insert(d.subject.clone(), d.clone());
        }
        let (k1, k2) = (sdk.subject.clone(), perm.subject.clone());
        let (v, f) = interleaved(
            reps,
            batch,
            || decide_pair(&g),
            || {
                black_box(floor_map.get(black_box(k1.as_str())).cloned());
                black_box(floor_map.get(black_box(k2.as_str())).cloned());
            },
        );
        rows.push(Row {
            name: "decide_warm".into(),
            value: v / 2.0,
            unit: "ns".into(),
            floor: Some(f / 2.0),
            target: 2.0,
            note: format!(
                "Gatekeeper.decide_sdk(facebook: 3 purposes, {:?}) and decide_permission(camera: denied 1 h ago, {:?}), \
                 per decision, logged; floor: HashMap<String, Decision> get + clone",
                sdk.reason, perm.reason
            ),
        });
        g.close();
    }

    // --- decide_access -------------------------------------------------------------------
    if o.runs("decide_access") {
        let path = o.out.join("access.db");
        copy_store(&year_path, &path);
        let g = open_ffi(&path, &manifest_json);
        let first = g.decide_access("clipboard".into(), false);
        println!("decide_access subject: {} {:?}/{:?}", first.subject, first.verdict, first.reason);
        assert_eq!(first.verdict, gatekeeper::Verdict::Allow, "the bench's access must be allowed");
        let floor_map: HashMap<String, gatekeeper::ffi::Decision> =
            HashMap::from([(first.subject.clone(), first.clone())]);
        let key = first.subject.clone();
        let (v, f) = interleaved(
            reps,
            batch,
            || {
                black_box(g.decide_access(black_box("clipboard").to_owned(), false));
            },
            || {
                black_box(floor_map.get(black_box(key.as_str())).cloned());
            },
        );
        let last = g.decide_access("clipboard".into(), false);
        assert_eq!(last.verdict, gatekeeper::Verdict::Allow, "every repeat is an allowed access");
        rows.push(Row {
            name: "decide_access".into(),
            value: v,
            unit: "ns".into(),
            floor: Some(f),
            target: 3.0,
            note: format!(
                "Gatekeeper.decide_access(clipboard, foreground: {:?}, no interval), repeated: each an allowed, \
                 recorded and logged access; floor: HashMap<String, Decision> get + clone",
                first.reason
            ),
        });
        g.close();
    }

    // --- cold_open -------------------------------------------------------------------
    if o.runs("cold_open") {
        let path = o.out.join("cold.db");
        copy_store(&year_path, &path);
        let (value, floor) = cold_open(&path, &manifest_json, open_reps);
        rows.push(Row {
            name: "cold_open".into(),
            value,
            unit: "us".into(),
            floor: Some(floor),
            target: 2.0,
            note:
                "Gatekeeper.open(year store, manifest JSON) + decide_sdk; floor: rusqlite Connection::open + one SELECT"
                    .into(),
        });
    }

    // --- write_grant -----------------------------------------------------------------
    if o.runs("write_grant") {
        let path = o.out.join("write.db");
        copy_store(&year_path, &path);
        let g = open_ffi(&path, &manifest_json);
        // The floor's connection: the same file, the store's pragmas, a table shaped like
        // the ledger's, and a row as large as a grant's event.
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;
             CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,
               kind TEXT NOT NULL, body TEXT NOT NULL, hash TEXT NOT NULL);",
        )
        .unwrap();
        let body: String = c
            .query_row("SELECT body FROM events WHERE kind = 'granted' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let hash = "0".repeat(64);
        let mut next = 0i64;
        let grant = || {
            let t = Instant::now();
            black_box(g.grant(vec!["analytics".into()], vec![], false, false, "settings".into()).unwrap());
            t.elapsed().as_nanos() as f64
        };
        let insert = || {
            next += 1;
            let t = Instant::now();
            c.execute_batch("BEGIN").unwrap();
            c.execute(
                "INSERT INTO bench_floor (id, ts, kind, body, hash) VALUES (?1, ?2, 'granted', ?3, ?4)",
                params![next, next, body, hash],
            )
            .unwrap();
            c.execute_batch("COMMIT").unwrap();
            t.elapsed().as_nanos() as f64
        };
        let (mut v, mut f) = alternate(write_reps, grant, insert);
        rows.push(Row {
            name: "write_grant".into(),
            value: median(&mut v) / 1000.0,
            unit: "us".into(),
            floor: Some(median(&mut f) / 1000.0),
            target: 1.2,
            note: "Gatekeeper.grant(analytics), durable, with its notification sweep; \
                   floor: BEGIN; INSERT of an event-sized row; COMMIT (WAL, synchronous=FULL, secure_delete)"
                .into(),
        });
        g.close();
    }

    // --- tcf_decode ------------------------------------------------------------------
    if o.runs("tcf_decode") {
        let text = big_tc_string();
        let tc = TcString::decode(&text).expect("the bench's TC string decodes");
        println!(
            "tcf_decode string: {} bytes, {} segments; {} vendor consents, {} legitimate interests, \
             {} disclosed, {} restrictions",
            text.len(),
            text.split('.').count(),
            tc.vendor_consents.len(),
            tc.vendor_legitimate_interests.len(),
            tc.disclosed_vendors.as_ref().map_or(0, VendorSet::len),
            tc.publisher_restrictions.len()
        );
        // The floor: the same segments base64url-decoded into bytes, each into a new
        // vector as the decoder's buffer is, and nothing read from them.
        const BASE64URL: GeneralPurpose = GeneralPurpose::new(
            &base64::alphabet::URL_SAFE,
            GeneralPurposeConfig::new()
                .with_decode_padding_mode(DecodePaddingMode::RequireNone)
                .with_decode_allow_trailing_bits(true),
        );
        let floor_once = || {
            for segment in black_box(text.as_str()).split('.') {
                black_box(BASE64URL.decode(segment).expect("the bench's segments are base64url"));
            }
        };
        floor_once();
        let batch = if o.quick { 200 } else { 500 };
        let (v, f) = interleaved(
            reps,
            batch,
            || {
                black_box(TcString::decode(black_box(text.as_str())).unwrap());
            },
            floor_once,
        );
        rows.push(Row {
            name: "tcf_decode".into(),
            value: v / 1000.0,
            unit: "us".into(),
            floor: Some(f / 1000.0),
            target: 3.0,
            note: format!(
                "TcString::decode of a {}-byte string: 1,000 vendor consents (bit field), 1,000 legitimate \
                 interests (ranges), {} publisher restrictions, 1,000 disclosed vendors; floor: base64url-decoding \
                 its segments into bytes",
                text.len(),
                tc.publisher_restrictions.len()
            ),
        });
    }

    // --- ten years: how cost grows ----------------------------------------------------
    if ["store_size_10y", "cold_open_10y", "decide_warm_10y"].iter().any(|r| o.runs(r)) {
        ten_years(&o, end, open_reps, reps, batch, &mut rows);
    }

    // --- cdylib_size ---------------------------------------------------------------
    if let Some(lib) = &o.cdylib {
        let bytes = std::fs::metadata(lib).map(|m| m.len()).unwrap_or_else(|e| panic!("{}: {e}", lib.display()));
        rows.push(Row {
            name: "cdylib_size".into(),
            value: bytes as f64,
            unit: "bytes".into(),
            floor: None,
            target: 1.75 * MIB,
            note: format!(
                "{} (release profile: opt-level s, fat LTO, 1 codegen unit, stripped; SQLite's options in \
                 .cargo/config.toml; where the bytes go: .ci/size)",
                lib.display()
            ),
        });
    }

    let out: Vec<Value> = rows.iter().map(Row::to_json).collect();
    print_rows(&out);
    std::fs::write(o.out.join("rust-rows.json"), serde_json::to_string_pretty(&out).unwrap()).expect("write rows");
}

/// The rows `summary.json` must hold, in the order it lists them. A row that no bench wrote
/// is listed as not measured, and not met.
const ROWS: [&str; 15] = [
    "decide_warm",
    "decide_warm_10y",
    "decide_access",
    "cold_open",
    "cold_open_10y",
    "write_grant",
    "tcf_decode",
    "lint_android",
    "kotlin_decide",
    "kotlin_cached",
    "swift_decide",
    "swift_cached",
    "store_size",
    "store_size_10y",
    "cdylib_size",
];

/// The rows of a store ten years old, with the large manifest ([`big_manifest`]):
/// `store_size_10y`, `cold_open_10y`, and `decide_warm_10y`, which holds the same two
/// decisions as `decide_warm` against the same decisions on a store a day old (same manifest,
/// same choices), interleaved: a decision must not cost more as the ledger grows.
fn ten_years(o: &Opts, end: i64, open_reps: usize, reps: usize, batch: usize, rows: &mut Vec<Row>) {
    let big_json = big_manifest();
    std::fs::write(o.out.join("bench-manifest-10y.json"), &big_json).expect("write the 10-year manifest");
    let big = Arc::new(manifest::parse(&big_json).expect("the 10-year manifest is valid"));
    println!(
        "10-year manifest: {} bytes, {} SDKs, {} purposes, {} permissions",
        big_json.len(),
        big.sdks.len(),
        big.purposes.len(),
        big.permissions.len()
    );
    let path = o.out.join("years10.db");
    let History { bytes, events, log_rows, .. } = history(o, &path, &big_json, end, 10, &all_subjects(&big));
    rows.push(Row {
        name: "store_size_10y".into(),
        value: bytes as f64,
        unit: "bytes".into(),
        floor: None,
        target: 4.0 * MIB,
        note: format!(
            "ten years, 200 SDKs: {events} events, {log_rows} decision-log rows (a year of full launches of {} \
             decisions each, and before it every consent change and permission result)",
            all_subjects(&big).len()
        ),
    });
    // The last state both stores of decide_warm_10y share: facebook's purposes granted with
    // its separate consent, camera denied an hour ago.
    let last_choices = |s: &mut Store| {
        grant_facebook(s, "settings");
        s.record_permission_result("camera", PermissionResult::Denied).expect("camera denied");
    };
    let clock = Arc::new(FixedClock::new(end));
    last_choices(&mut Store::open(&path, big.clone(), clock.clone()).expect("open ten years"));

    if o.runs("cold_open_10y") {
        let cold = o.out.join("cold10.db");
        copy_store(&path, &cold);
        let (value, floor) = cold_open(&cold, &big_json, open_reps);
        rows.push(Row {
            name: "cold_open_10y".into(),
            value,
            unit: "us".into(),
            floor: Some(floor),
            target: 2.5,
            note: format!(
                "Gatekeeper.open(ten-year store, {}-byte manifest: 200 SDKs, 50 purposes, 40 permissions) + \
                 decide_sdk; floor: rusqlite Connection::open + one SELECT",
                big_json.len()
            ),
        });
    }

    if o.runs("decide_warm_10y") {
        let day = o.out.join("day.db");
        remove_store(&day);
        {
            let mut s = Store::open(&day, big.clone(), Arc::new(FixedClock::new(end - MS_PER_DAY))).expect("day store");
            s.set_profile(Some("CN"), Some(30)).expect("profile");
            s.accept_policy(false, "first_run_dialog").expect("accept");
        }
        last_choices(&mut Store::open(&day, big.clone(), clock.clone()).expect("open the day store"));
        let warm = o.out.join("warm10.db");
        copy_store(&path, &warm);
        let (old, young) = (open_ffi(&warm, &big_json), open_ffi(&day, &big_json));
        for g in [&old, &young] {
            let (sdk, perm) =
                (g.decide_sdk("facebook".into()), g.decide_permission("camera".into(), Trigger::UserAction));
            println!("decide_warm_10y: {:?}/{:?}, {:?}/{:?}", sdk.verdict, sdk.reason, perm.verdict, perm.reason);
        }
        let same = |g: &Gatekeeper| {
            let d = g.decide_sdk("facebook".into());
            let p = g.decide_permission("camera".into(), Trigger::UserAction);
            (d.verdict, d.reason, p.verdict, p.reason)
        };
        assert_eq!(same(&old), same(&young), "both stores must give the same two decisions");
        let (v, f) = interleaved(reps, batch, || decide_pair(&old), || decide_pair(&young));
        rows.push(Row {
            name: "decide_warm_10y".into(),
            value: v / 2.0,
            unit: "ns".into(),
            floor: Some(f / 2.0),
            target: 1.25,
            note: format!(
                "decide_warm's two decisions on the ten-year store ({events} events); floor: the same decisions on a \
                 store a day old, same manifest and choices"
            ),
        });
        old.close();
        young.close();
    }
}

/// Merges the rows every bench wrote into `out` (`rust-rows.json` from this bench, and
/// `kotlin-rows.json`, `swift-rows.json`, `lint-rows.json` from the others: any file named
/// `*-rows.json`) into `summary.json`, computing every ratio (value / floor) and whether its
/// target is met.
fn summary(out: &Path) {
    let read = |p: &Path| -> Vec<Value> {
        let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("-rows.json")))
        .collect();
    files.sort();
    let mut rows: Vec<Value> = Vec::new();
    for r in files.iter().flat_map(|p| read(p)) {
        let row = Row {
            name: r["name"].as_str().expect("name").to_owned(),
            value: r["value"].as_f64().expect("value"),
            unit: r["unit"].as_str().expect("unit").to_owned(),
            floor: r["floor"].as_f64(),
            target: r["target"].as_f64().expect("target"),
            note: r["note"].as_str().unwrap_or_default().to_owned(),
        };
        rows.push(row.to_json());
    }
    for name in ROWS {
        if !rows.iter().any(|r| r["name"] == name) {
            rows.push(json!({
                "name": name, "value": null, "unit": "", "floor": null, "ratio": null,
                "target": null, "met": false, "note": "not measured: no bench wrote this row",
            }));
        }
    }
    rows.sort_by_key(|r| ROWS.iter().position(|n| r["name"] == *n).unwrap_or(ROWS.len()));
    print_rows(&rows);
    let path = out.join("summary.json");
    std::fs::write(&path, serde_json::to_string_pretty(&rows).unwrap() + "\n").expect("write summary.json");
    let missed: Vec<&str> = rows.iter().filter(|r| r["met"] != true).filter_map(|r| r["name"].as_str()).collect();
    println!(
        "wrote {} ({} rows; targets missed: {})",
        path.display(),
        rows.len(),
        if missed.is_empty() { "none".to_owned() } else { missed.join(", ") }
    );
}

fn print_rows(rows: &[Value]) {
    println!("{:<26} {:>14} {:<6} {:>14} {:>8} {:>10}  met", "row", "value", "unit", "floor", "ratio", "target");
    for r in rows {
        let num = |v: &Value| v.as_f64().map_or("-".to_owned(), |x| format!("{x}"));
        println!(
            "{:<26} {:>14} {:<6} {:>14} {:>8} {:>10}  {}",
            r["name"].as_str().unwrap_or("?"),
            num(&r["value"]),
            r["unit"].as_str().unwrap_or(""),
            num(&r["floor"]),
            num(&r["ratio"]),
            num(&r["target"]),
            r["met"]
        );
    }
}
