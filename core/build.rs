//! Link options for the shipped cdylib that cargo's profile cannot express (issue 18: the
//! library's size; `.ci/size` measures it).
//!
//! On Linux with glibc, the dynamic relocations of the cdylib (mostly the absolute pointers
//! in vtables and static tables, which the loader moves to where the library lands) are
//! written in the packed RELR format (`-z pack-relative-relocs`) instead of 24 bytes each:
//! GNU ld 2.38 and lld 15 support it (older linkers warn and ignore it), and glibc 2.36 loads
//! it. Only the cdylib is linked this way (`rustc-cdylib-link-arg`), not the tests or the
//! CLI. Android has its own packing (`--pack-dyn-relocs=android`, API 23 and up) and Apple
//! linkers use chained fixups already; neither is set here (see the README, Benchmarks).
//!
//! Two more options are passed where the linker takes them, which a trial link finds out
//! (see [`links_with`]), since which linker rustc drives depends on the host, the target
//! and the user's configuration:
//! - `--icf=all`: identical code folding, one copy of functions whose machine code is the
//!   same (generic code instantiated for types of one layout, mostly). lld (rustc's own
//!   linker on x86_64 Linux, and the Android NDK's) and gold have it; GNU ld does not.
//!   lld folds only executable sections at this setting, never data, and Rust promises no
//!   two functions distinct addresses.
//! - `-O2`: lld merges string literals that are the tail of another; GNU ld builds a
//!   better hash table.
//!
//! A linker that refuses an option fails the trial link, and the option is left out: the
//! library is then bigger, never unlinkable.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs");
    }
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let source = out.join("link_probe.rs");
    if std::fs::write(&source, "#[no_mangle]\npub extern \"C\" fn gatekeeper_link_probe() {}\n").is_err() {
        return;
    }
    for option in ["-Wl,--icf=all", "-Wl,-O2"] {
        if links_with(&source, &out, option) {
            println!("cargo:rustc-cdylib-link-arg={option}");
        }
    }
}

/// Whether rustc, as cargo drives it for this target (its linker, the configured
/// `RUSTFLAGS`), links the one-function cdylib `source` into `out` with the link argument
/// `option`.
fn links_with(source: &Path, out: &Path, option: &str) -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let mut cmd = Command::new(rustc);
    cmd.arg("--crate-type=cdylib").arg("--crate-name=link_probe").arg("--edition=2021");
    cmd.arg("-o").arg(out.join("link_probe.out")).arg(source);
    if let Ok(target) = std::env::var("TARGET") {
        cmd.arg("--target").arg(target);
    }
    if let Some(linker) = std::env::var_os("RUSTC_LINKER") {
        cmd.arg("-C").arg(format!("linker={}", linker.to_string_lossy()));
    }
    if let Ok(flags) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        cmd.args(flags.split('\u{1f}').filter(|f| !f.is_empty()));
    }
    cmd.arg("-C").arg(format!("link-arg={option}"));
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    cmd.status().map(|s| s.success()).unwrap_or(false)
}
