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
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs");
    }
}
