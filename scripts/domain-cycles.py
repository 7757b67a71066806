#!/usr/bin/env python3
"""Fails when a new dependency makes two domain folders of app/src depend on each other, directly
or around a loop.

A folder depends on another when any of its files names `crate::<other>` (a `use` or a path).
Prints each offending edge with a file and line. `make lint` runs it."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
domains = sorted(p.name for p in root.iterdir() if p.is_dir())
ref = re.compile(r"\b(?:crate|super\s*::\s*super)\s*::\s*(\w+)")


def group_names(text, start):
    """The first segment of each path in the `{...}` group opening at `start`, nested or not."""
    names, depth, i, expect = [], 0, start, True
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
            expect = depth == 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                break
        elif c == "," and depth == 1:
            expect = True
        elif expect and (c.isalnum() or c == "_"):
            m = re.match(r"\w+", text[i:])
            names.append(m.group(0))
            i += len(m.group(0))
            expect = False
            continue
        i += 1
    return names


edges = {d: {} for d in domains}
for d in domains:
    for f in sorted((root / d).rglob("*.rs")):
        text = f.read_text()
        # Comments out, so a path named in a doc comment is no dependency.
        code = re.sub(r"//[^\n]*", "", text)
        where = lambda pos: f"{f.relative_to(root)}:{code[:pos].count(chr(10)) + 1}"
        for m in ref.finditer(code):
            other = m.group(1)
            if other in edges and other != d:
                edges[d].setdefault(other, where(m.start()))
        for m in re.finditer(r"\bcrate\s*::\s*\{", code):
            for name in group_names(code, m.end() - 1):
                if name in edges and name != d:
                    edges[d].setdefault(name, where(m.start()))

# Strongly connected components (Tarjan): every component of more than one folder is a cycle.
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        comps.append(sorted(comp))


sys.setrecursionlimit(10000)
for d in domains:
    if d not in index:
        visit(d)
# Edges that close a cycle today, each to be removed by moving code down (see README,
# "Architecture"); a new edge inside a cycle fails, and so does a listed edge that is gone (so the
# list only shrinks).
allow_file = pathlib.Path(__file__).with_suffix(".allow")
allowed = set()
for line in allow_file.read_text().splitlines() if allow_file.exists() else []:
    line = line.split("#")[0].strip()
    if line:
        a, b = (x.strip() for x in line.split("->"))
        allowed.add((a, b))
member = {d: i for i, c in enumerate(comps) for d in c if len(c) > 1}
in_cycle = {
    (a, b)
    for a in edges
    for b in edges[a]
    if a in member and member.get(b) == member[a]
}
new = sorted(in_cycle - allowed)
gone = sorted(allowed - in_cycle)
for a, b in new:
    print(f"new dependency closes a cycle between domain folders: {a} -> {b}  ({edges[a][b]})")
for a, b in gone:
    print(f"{a} -> {b} no longer closes a cycle: delete it from {allow_file.name}")
if new or gone:
    sys.exit(1)
print(
    f"domain folders: no new cycle ({len(in_cycle)} known edges in cycles, listed in {allow_file.name})"
)
