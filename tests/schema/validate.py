#!/usr/bin/env python3
"""Validates JSON files against core/policy/manifest.schema.json (JSON Schema draft
2020-12) with Python's `jsonschema`, for core/tests/manifest_schema.rs.

usage: validate.py SCHEMA FILE...
Prints one JSON object on stdout: {"FILE": ["error at /json/pointer: message", ...]},
an empty list for a file the schema accepts. Exit 0 when it could check every file
(whatever the verdicts), 2 when jsonschema is missing or the schema itself is invalid.
tests/ensure-jsonschema.sh installs jsonschema when it is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: the Python package jsonschema is missing (pip install jsonschema, or run tests/ensure-jsonschema.sh)", file=sys.stderr)
    sys.exit(2)


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"validate.py: the schema is invalid: {e.message}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    out = {}
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
        out[name] = sorted(f"error at {pointer(e.absolute_path) or '/'}: {e.message}" for e in validator.iter_errors(doc))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
