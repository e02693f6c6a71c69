#!/usr/bin/env bash
# Makes cargo able to resolve the project's crates on this machine, then gets out of the way.
#
# Sourced by the README's two commands (./gatekeeper, tests/run-all.sh) and by .ci/bench.
# - Where crates.io answers: nothing to do. A config this script wrote earlier is removed, so
#   plain cargo is what runs.
# - Where it does not (an offline machine): the vendored crates of the offline bundle beside
#   the clone (../shared/offline/crates-vendor.tgz, `cargo vendor --versioned-dirs` output) are
#   unpacked once into a cache folder outside the clone, and a git-ignored .cargo/offline.toml
#   points cargo at them, with `net.offline`. Nothing vendored enters the repository. The
#   committed .cargo/config.toml (the bundled SQLite's options, issue 18) includes that file
#   when it exists (cargo's `include`, cargo 1.94 or later), so plain cargo commands use it
#   too, until a run that reaches crates.io removes it.
# - Where neither works: a warning, and cargo tries with whatever its own cache holds.
#
# Environment: GATEKEEPER_CACHE (default ~/.cache/gatekeeper), GATEKEEPER_OFFLINE=1 (use the
# bundle without asking the registry), GATEKEEPER_OFFLINE=0 (never use it).
gatekeeper_cargo_source() {
  local root cache bundle config marker sum dir
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cache=${GATEKEEPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatekeeper}
  bundle="$root/../shared/offline/crates-vendor.tgz"
  config="$root/.cargo/offline.toml"
  marker="# written by tests/cargo-source.sh"

  registry_answers() {
    [ "${GATEKEEPER_OFFLINE:-}" = 1 ] && return 1
    [ "${GATEKEEPER_OFFLINE:-}" = 0 ] && return 0
    if command -v curl >/dev/null 2>&1; then
      curl -sf --max-time 8 -o /dev/null https://index.crates.io/config.json
    else
      timeout 20 cargo search --limit 1 serde >/dev/null 2>&1
    fi
  }

  if registry_answers; then
    if [ -f "$config" ] && head -n 1 "$config" | grep -qF "$marker"; then rm -f "$config"; fi
    return 0
  fi
  if [ ! -f "$bundle" ]; then
    echo "note: crates.io does not answer and $bundle is absent; cargo uses its own cache" >&2
    return 0
  fi
  if [ -f "$config" ] && ! head -n 1 "$config" | grep -qF "$marker"; then
    echo "note: $config was not written by tests/cargo-source.sh; leaving it as it is" >&2
    return 0
  fi
  sum=$(sha256sum "$bundle" | cut -c1-16)
  dir="$cache/crates-vendor-$sum"
  if [ ! -d "$dir/vendor" ]; then
    echo "== crates.io does not answer: unpacking the vendored crates into $dir" >&2
    mkdir -p "$cache"
    rm -rf "$dir.partial.$$" && mkdir -p "$dir.partial.$$"
    tar xzf "$bundle" -C "$dir.partial.$$" || { rm -rf "$dir.partial.$$"; echo "could not unpack $bundle" >&2; return 1; }
    rm -rf "$dir" && mv "$dir.partial.$$" "$dir"
  fi
  mkdir -p "$root/.cargo"
  cat >"$config.tmp.$$" <<CONFIG
$marker (crates.io did not answer); it is git-ignored,
# included by .cargo/config.toml, and removed again by the next run that reaches crates.io.
[source.crates-io]
replace-with = "gatekeeper-vendored"

[source.gatekeeper-vendored]
directory = "$dir/vendor"

[net]
offline = true
CONFIG
  mv -f "$config.tmp.$$" "$config"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  gatekeeper_cargo_source
else
  gatekeeper_cargo_source || true
fi
