#!/usr/bin/env python3
"""Validates JSON Lines files against schema/exchange-record.schema.json with an independent
implementation (Python jsonschema), so the published schema and what Tianping generates cannot drift.

Usage: scripts/validate-schema.py FILE_OR_DIR...   (exit status 1 if any line is invalid)
"""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "schema" / "exchange-record.schema.json").read_text(encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)

files = []
for arg in sys.argv[1:]:
    p = pathlib.Path(arg)
    files += sorted(f for f in p.glob("*.jsonl") if f.name != "ground-truth.jsonl") if p.is_dir() else [p]

lines = invalid = 0
for f in files:
    with f.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            lines += 1
            error = next(validator.iter_errors(json.loads(line)), None)
            if error is not None:
                invalid += 1
                if invalid <= 5:
                    print(f"{f}:{number}: {error.message[:300]}", file=sys.stderr)
print(f"schema check: {lines} lines, {invalid} invalid")
sys.exit(1 if invalid or not lines else 0)
