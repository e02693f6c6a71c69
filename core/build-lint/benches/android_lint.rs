//! What linting a large merged AndroidManifest.xml costs next to parsing it with roxmltree
//! alone (the target: at most about 2x). Run with `cargo bench -p gatekeeper-build-lint`;
//! it prints one line per case with the fastest of 101 alternating runs and the ratio. It is a
//! measurement, not a test: `.ci/bench` is where a target is enforced.
//!
//! The manifest is the fixture app's merged manifest with its SDK components repeated
//! (renamed, so each is a distinct class) until it is 5,000 lines long.

use std::time::{Duration, Instant};

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

/// Runs `a` and `b` alternately (so that load from other processes hits both alike) and
/// returns the fastest run of each: the least disturbed measure of what each costs.
fn fastest_of(runs: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration) {
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        t.elapsed()
    };
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        best_a = best_a.min(time(&mut a));
        best_b = best_b.min(time(&mut b));
    }
    (best_a, best_b)
}

fn main() {
    let text = big_manifest(5_000);
    println!("manifest: {} lines, {} bytes", text.lines().count(), text.len());
    let parse = || {
        let doc = roxmltree::Document::parse(&text).expect("valid");
        std::hint::black_box(doc.root_element());
    };
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
        let (parse_time, lint_time) = fastest_of(101, parse, lint);
        println!(
            "{case}: roxmltree parse {parse_time:?}, lint {lint_time:?} ({findings} findings): {:.2}x",
            lint_time.as_secs_f64() / parse_time.as_secs_f64()
        );
    }
}
