#!/usr/bin/env python3
"""Fails when SQL or row reading appears outside a domain's store: in app/src, only `store.rs`
files (and the database plumbing in `db.rs` and the test builders in `testing.rs`) may run
queries (`sqlx::query`, `query_as`, `query_scalar`), read rows by name (`try_get`) or hold SQL
text. Prints each offending line with its file and line number. `make lint` runs it."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
allowed = {"db.rs", "testing.rs"}
code = re.compile(r"\bsqlx::query|\bquery_as\s*(::|\()|\bquery_scalar\s*(::|\()|\.try_get\s*(::|\()")
sql = re.compile(r'"\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s)')

found = []
for path in sorted(root.rglob("*.rs")):
    if path.name == "store.rs" or (path.parent == root and path.name in allowed):
        continue
    for n, line in enumerate(path.read_text().splitlines(), 1):
        text = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        if code.search(text) or sql.search(text):
            found.append(f"{path.relative_to(root.parent.parent)}:{n}: {line.strip()}")

if found:
    print("SQL outside a store.rs (move it into the domain's store):")
    print("\n".join(found))
    sys.exit(1)
