//! Lints build files against an empty manifest and prints the report: a quick way to see
//! what build lint says about a file (`cargo run -p gatekeeper-build-lint --example lint --
//! --android app/build/.../AndroidManifest.xml`). The CLI's `lint FILE --android …` is the
//! real entry point; this example has no manifest, so everything is undeclared.

use gatekeeper_build_lint::{lint_paths, Declared, FileKind};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut files = Vec::new();
    let mut json = false;
    while let Some(flag) = args.next() {
        let kind = match flag.as_str() {
            "--json" => {
                json = true;
                continue;
            }
            "--android" => FileKind::AndroidManifest,
            "--ios" => FileKind::InfoPlist,
            "--privacy-manifest" => FileKind::PrivacyManifest,
            other => {
                eprintln!("usage: lint [--json] [--android P]... [--ios P]... [--privacy-manifest P]... (got {other})");
                std::process::exit(2);
            }
        };
        let Some(path) = args.next() else {
            eprintln!("{flag} needs a path");
            std::process::exit(2);
        };
        files.push((kind, path));
    }
    let report = lint_paths(&Declared::default(), &files);
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("{e}"),
        }
    } else {
        println!("{report}");
    }
    std::process::exit(if report.is_ok() { 0 } else { 1 });
}
