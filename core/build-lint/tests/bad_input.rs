//! Hostile and broken build files: each gets one clear error naming the file (and line when
//! there is one), the other files are still linted, and nothing panics, hangs or exhausts
//! memory.

mod common;

use common::*;
use gatekeeper_build_lint::{lint_build, lint_paths, BuildFile, Code, Declared, FileKind, Report, MAX_FILE_BYTES};

fn lint_one(kind: FileKind, path: &str, bytes: &[u8]) -> Report {
    lint_build(&Declared::default(), &[BuildFile::new(kind, path, bytes)])
}

/// The single error of a report, which must be `code` at `path`.
fn only_error(report: &Report, code: Code, path: &str) -> String {
    assert_eq!(report.errors().len(), 1, "{report}");
    let f = &report.errors()[0];
    assert_eq!((f.code, f.path.as_str()), (code, path), "{report}");
    f.message.clone()
}

#[test]
fn malformed_xml_names_the_file_and_line_and_the_other_files_are_still_linted() {
    let text = fixture_text(MERGED);
    let broken = text.replacen("</activity>", "</actvity>", 1);
    let line = line_of(&broken, "</actvity>");
    let plist = fixture(INFO_PLIST);
    let report = lint_build(
        &pinshop(),
        &[
            BuildFile::new(FileKind::AndroidManifest, MERGED, broken.as_bytes()),
            BuildFile::new(FileKind::InfoPlist, INFO_PLIST, &plist),
        ],
    );
    let message = only_error(&report, Code::MalformedFile, &format!("{MERGED}:{line}"));
    assert!(message.contains(MERGED) && message.contains("not well-formed XML"), "{message}");
    // A truncated file too.
    let truncated = &text[..text.len() / 2];
    let report = lint_one(FileKind::AndroidManifest, "m.xml", truncated.as_bytes());
    assert_eq!(report.errors()[0].code, Code::MalformedFile);
    assert!(report.errors()[0].path.starts_with("m.xml:"));
}

#[test]
fn an_invalid_plist_value_names_its_line() {
    let text = fixture_text(INFO_PLIST).replacen("<true/>", "<integer>yes</integer>", 1);
    let line = line_of(&text, "<integer>yes</integer>");
    let report = lint_one(FileKind::InfoPlist, "Info.plist", text.as_bytes());
    let message = only_error(&report, Code::MalformedFile, &format!("Info.plist:{line}"));
    assert!(message.contains("not a valid property list"), "{message}");

    let missing_value = "<plist><dict><key>A</key></dict></plist>";
    let report = lint_one(FileKind::PrivacyManifest, "PrivacyInfo.xcprivacy", missing_value.as_bytes());
    assert!(only_error(&report, Code::MalformedFile, "PrivacyInfo.xcprivacy:1").contains("`A` has no value"));
}

#[test]
fn the_wrong_kind_of_file_is_a_clear_error() {
    let plist = fixture(INFO_PLIST);
    let report = lint_one(FileKind::AndroidManifest, "Info.plist", &plist);
    assert!(only_error(&report, Code::MalformedFile, "Info.plist:3").contains("not <manifest>"));
    let manifest = fixture(MERGED);
    let report = lint_one(FileKind::InfoPlist, "AndroidManifest.xml", &manifest);
    assert_eq!(report.errors()[0].code, Code::MalformedFile, "{report}");
    let report = lint_one(FileKind::InfoPlist, "Info.plist", b"{ CFBundleName = Shop; }");
    assert!(only_error(&report, Code::MalformedFile, "Info.plist:1").contains("plutil"));
    for empty in [&b""[..], b"   \n"] {
        assert_eq!(lint_one(FileKind::AndroidManifest, "m.xml", empty).errors()[0].code, Code::MalformedFile);
        assert_eq!(lint_one(FileKind::InfoPlist, "p.plist", empty).errors()[0].code, Code::MalformedFile);
    }
}

#[test]
fn non_utf8_and_utf16_and_apk_binary_xml_are_named() {
    let mut bytes = fixture(MERGED);
    let at = bytes.iter().position(|&b| b == b'P').unwrap(); // in the comment on line 3
    bytes[at] = 0xFF;
    let report = lint_one(FileKind::AndroidManifest, "m.xml", &bytes);
    assert!(only_error(&report, Code::MalformedFile, "m.xml:3").contains("not UTF-8"));

    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("<manifest/>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let report = lint_one(FileKind::AndroidManifest, "m.xml", &utf16);
    assert!(only_error(&report, Code::MalformedFile, "m.xml:0").contains("UTF-16"));

    // The chunk header of Android's binary XML (as inside an APK).
    let axml = [0x03, 0x00, 0x08, 0x00, 0x10, 0x2C, 0x00, 0x00, 0x01, 0x00, 0x1C, 0x00];
    let report = lint_one(FileKind::AndroidManifest, "AndroidManifest.xml", &axml);
    assert!(only_error(&report, Code::MalformedFile, "AndroidManifest.xml:0").contains("apktool"));
}

#[test]
fn billion_laughs_is_refused_at_once() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    let mut previous = "lol".to_string();
    for i in 1..=9 {
        doc.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{previous};").repeat(10)));
        previous = format!("lol{i}");
    }
    doc.push_str(&format!("]>\n<manifest>&{previous};</manifest>\n"));
    let report = lint_one(FileKind::AndroidManifest, "lol.xml", doc.as_bytes());
    assert!(only_error(&report, Code::MalformedFile, "lol.xml:3").contains("<!ENTITY"));

    // One large entity referenced many times: linear in the DTD, quadratic when expanded.
    let big = "A".repeat(1 << 20);
    let mut doc = format!("<!DOCTYPE plist [<!ENTITY a \"{big}\">]><plist><dict><key>k</key><string>");
    doc.push_str(&"&a;".repeat(1000));
    doc.push_str("</string></dict></plist>");
    let report = lint_one(FileKind::InfoPlist, "Info.plist", doc.as_bytes());
    only_error(&report, Code::MalformedFile, "Info.plist:1");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    // A million levels: roxmltree alone would overflow this test thread's stack and abort.
    let deep = format!("<manifest>{}{}</manifest>", "<a>".repeat(1_000_000), "</a>".repeat(1_000_000));
    let report = lint_one(FileKind::AndroidManifest, "deep.xml", deep.as_bytes());
    assert!(only_error(&report, Code::MalformedFile, "deep.xml:1").contains("levels deep"));
    let deep = format!("<plist>{}</plist>", "<array>".repeat(300_000));
    let report = lint_one(FileKind::InfoPlist, "deep.plist", deep.as_bytes());
    only_error(&report, Code::MalformedFile, "deep.plist:1");
}

#[test]
fn a_binary_plist_whose_shared_objects_expand_without_end_is_cut_off() {
    // 43 objects describing 2^40 values (see plist_tree's unit test for the layout).
    let mut objects: Vec<Vec<u8>> = vec![vec![0x51, b'a'], vec![0x51, b'x']];
    for k in 1..=40u8 {
        objects.push(vec![0xA2, k, k]);
    }
    objects.push(vec![0xD1, 0, 41]);
    let mut bytes = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    for o in &objects {
        offsets.push(bytes.len() as u16);
        bytes.extend(o);
    }
    let table = bytes.len() as u64;
    offsets.iter().for_each(|o| bytes.extend(o.to_be_bytes()));
    bytes.extend([0, 0, 0, 0, 0, 0, 2, 1]);
    bytes.extend((objects.len() as u64).to_be_bytes());
    bytes.extend((objects.len() as u64 - 1).to_be_bytes());
    bytes.extend(table.to_be_bytes());
    let report = lint_one(FileKind::InfoPlist, "Info.plist", &bytes);
    assert!(only_error(&report, Code::MalformedFile, "Info.plist:0").contains("more than"));
    // And a corrupt binary plist.
    let report = lint_one(FileKind::InfoPlist, "Info.plist", &bytes[..bytes.len() - 5]);
    only_error(&report, Code::MalformedFile, "Info.plist:0");
}

#[test]
fn paths_that_are_not_readable_files_are_reported_by_lint_paths() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("AndroidManifest.xml");
    std::fs::write(&huge, vec![b' '; MAX_FILE_BYTES as usize + 1]).unwrap();
    let missing = dir.path().join("Info.plist");
    let report = lint_paths(
        &Declared::default(),
        &[
            (FileKind::AndroidManifest, huge.clone()),
            (FileKind::InfoPlist, missing.clone()),
            (FileKind::PrivacyManifest, dir.path().to_path_buf()),
            (FileKind::InfoPlist, fixture_path(INFO_PLIST)),
        ],
    );
    let codes: Vec<(Code, String)> = report.errors().iter().take(3).map(|f| (f.code, f.path.clone())).collect();
    assert_eq!(
        codes,
        [
            (Code::FileTooLarge, format!("{}:0", huge.display())),
            (Code::FileNotFound, format!("{}:0", missing.display())),
            (Code::NotAFile, format!("{}:0", dir.path().display())),
        ]
    );
    // The readable Info.plist is still linted (six undeclared usage descriptions).
    assert_eq!(report.errors().len(), 3 + 6, "{report}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"][0]["code"], "file_too_large");
}
