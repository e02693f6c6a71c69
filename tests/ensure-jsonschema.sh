#!/usr/bin/env bash
# Makes sure Python's `jsonschema` (the JSON Schema validator core/tests/manifest_schema.rs
# checks core/policy/manifest.schema.json with) is importable: installs it from PyPI with
# pip, for this user, when it is missing. No crate in the offline vendor bundle validates
# JSON Schema, so the Rust test calls tests/schema/validate.py.
set -uo pipefail
PY=${PYTHON:-python3}
if "$PY" -c 'import jsonschema' 2>/dev/null; then exit 0; fi
echo "installing the Python package jsonschema (for the manifest schema test)"
"$PY" -m pip install --user --quiet jsonschema 2>/dev/null \
  || "$PY" -m pip install --user --quiet --break-system-packages jsonschema \
  || { echo "could not install jsonschema: core/tests/manifest_schema.rs will fail"; exit 1; }
