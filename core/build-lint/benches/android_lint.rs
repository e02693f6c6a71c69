//! What linting a large merged AndroidManifest.xml costs next to parsing it with roxmltree
//! alone: the `lint_android` row of `.ci/bench` (target: at most 2x the parse).
//!
//! ```text
//! cargo bench -p gatekeeper-build-lint --bench android_lint -- [--quick] [--out DIR]
//! ```
//!
//! It measures two cases, both against the same floor (`roxmltree::Document::parse` of the
//! same text, which is what every lint starts with): a manifest whose SDKs are all declared
//! (the case a CI run of a well-kept app is in; it is the row), and an empty manifest,
//! where every one of the SDK elements is a finding (the cost of building the messages;
//! printed, and named in the row's note). The method is costs.rs's (core/benches): the lint
//! and the parse run alternately, the order swapped every rep, after one warm-up run each,
//! and the medians are compared. It writes `lint-rows.json` (one row, in costs.rs's row
//! format without `ratio` and `met`, which `costs --summary` computes) into `--out` (default
//! `target/bench`). It is a measurement, not a test: `.ci/bench` is where a target is judged.
//!
//! The manifest is the fixture app's merged manifest with its SDK components repeated
//! (renamed, so each is a distinct class) until it is 5,000 lines long.

use std::path::PathBuf;

#[path = "../../benches/common/measure.rs"]
mod measure;

use gatekeeper_build_lint::{lint_build, BuildFile, Declared, DeclaredPermission, DeclaredSdk, FileKind};

const FIXTURE: &str = include_str!("../tests/fixtures/android/merged/AndroidManifest.xml");

fn big_manifest(lines: usize) -> String {
    let start = FIXTURE.find("        <!-- WeChat").expect("fixture layout");
    let end = FIXTURE.find("        <!-- AndroidX").expect("fixture layout");
    let block = &FIXTURE[start..end];
    let mut out = FIXTURE[..start].to_string();
    let mut copy = 0;
    while out.lines().count() < lines {
        out.push_str(
            &block
                .replace("Activity\"", &format!("Activity{copy}\""))
                .replace("Service\"", &format!("Service{copy}\"")),
        );
        copy += 1;
    }
    out.push_str(&FIXTURE[end..]);
    out
}

fn declared() -> Declared {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let sdk = |id: &str, packages: &[&str]| DeclaredSdk {
        id: id.into(),
        name: id.into(),
        packages: strings(packages),
        ..Default::default()
    };
    Declared {
        purposes: vec![],
        permissions: vec![DeclaredPermission {
            id: "all".into(),
            android: strings(&[
                "android.permission.CAMERA",
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.ACCESS_COARSE_LOCATION",
                "android.permission.READ_MEDIA_IMAGES",
                "android.permission.READ_MEDIA_VIDEO",
                "android.permission.READ_EXTERNAL_STORAGE",
                "android.permission.WRITE_EXTERNAL_STORAGE",
                "android.permission.RECORD_AUDIO",
                "android.permission.POST_NOTIFICATIONS",
                "android.permission.READ_PHONE_STATE",
                "android.permission.ACCESS_BACKGROUND_LOCATION",
            ]),
            ios: vec![],
        }],
        sdks: vec![
            sdk("wechat", &["com.tencent.mm.opensdk"]),
            sdk("alipay", &["com.alipay.sdk"]),
            sdk("huawei", &["com.huawei.hms", "com.huawei.agconnect"]),
            sdk("xiaomi", &["com.xiaomi.mipush.sdk", "com.xiaomi.push"]),
            sdk("jpush", &["cn.jpush", "cn.jiguang"]),
            sdk("umeng", &["com.umeng"]),
            sdk("amap", &["com.amap.api"]),
            sdk("sensors", &["com.sensorsdata.analytics"]),
            sdk("facebook", &["com.facebook"]),
            sdk("google", &["com.google.android.gms"]),
        ],
    }
}

struct Opts {
    quick: bool,
    out: PathBuf,
}

fn parse_args() -> Opts {
    let mut o = Opts { quick: false, out: PathBuf::from("target/bench") };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--out" => o.out = PathBuf::from(args.next().expect("--out DIR")),
            // `cargo bench` passes --bench to every bench target.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    o
}

/// Microseconds to one decimal, as costs.rs writes them.
fn us(ns: f64) -> f64 {
    (ns / 100.0).round() / 10.0
}

fn main() {
    let o = parse_args();
    let reps = if o.quick { 41 } else { 201 };
    let text = big_manifest(5_000);
    let lines = text.lines().count();
    println!("manifest: {lines} lines, {} bytes", text.len());
    let parse = || {
        let doc = roxmltree::Document::parse(&text).expect("valid");
        std::hint::black_box(doc.root_element());
    };
    let mut measured = Vec::new();
    for (case, declared) in
        [("matching manifest", declared()), ("empty manifest (every SDK element a finding)", Declared::default())]
    {
        let mut findings = 0;
        let lint = || {
            let report = lint_build(
                &declared,
                &[BuildFile::new(FileKind::AndroidManifest, "AndroidManifest.xml", text.as_bytes())],
            );
            findings = report.findings().count();
        };
        let (mut lint, mut parse) = (lint, parse);
        // One warm-up call each, then single calls, alternately.
        lint();
        parse();
        let (lint_ns, parse_ns) = measure::interleaved(reps, 1, &mut lint, &mut parse);
        println!(
            "{case}: lint {:.1} us ({findings} findings), roxmltree parse {:.1} us: {:.2}x (medians of {reps})",
            lint_ns / 1000.0,
            parse_ns / 1000.0,
            lint_ns / parse_ns
        );
        measured.push((lint_ns, parse_ns, findings));
    }
    let (lint_ns, parse_ns, findings) = measured[0];
    let (all_lint, all_parse, all_findings) = measured[1];
    let row = serde_json::json!({
        "name": "lint_android",
        "value": us(lint_ns),
        "unit": "us",
        "floor": us(parse_ns),
        "target": 2.0,
        "note": format!(
            "lint_build of a {lines}-line merged AndroidManifest.xml whose SDKs are declared ({findings} finding); \
             floor: roxmltree::Document::parse of the same text. With an empty manifest ({all_findings} findings): \
             {:.2}x",
            all_lint / all_parse
        ),
    });
    std::fs::create_dir_all(&o.out).unwrap_or_else(|e| panic!("{}: {e}", o.out.display()));
    let path = o.out.join("lint-rows.json");
    let json = serde_json::to_string_pretty(&serde_json::json!([row])).expect("serialise");
    std::fs::write(&path, json + "\n").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("wrote {}", path.display());
}
