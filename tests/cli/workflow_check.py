#!/usr/bin/env python3
"""`tessera run` with typed steps, checked from outside.

  workflow_check.py TESSERA REPO WORKDIR CASE

CASE is one of:
  main-generated  the main job (examples/workflows/graph-report.yaml) on a small Kronecker graph:
                  the .tsr and CSV outputs agree, component sizes add up to the vertex count,
                  the top vertex is the one of highest rank;
  main-csv        the main job on an edge list written here: one row per vertex, PageRank's top
                  vertex and the weak components equal `tessera graph pagerank` / `graph wcc` on
                  the same file, BFS levels equal `tessera graph bfs` from the same source;
  errors          bad workflows exit 2 with the file, line and reason, before any step runs;
  csv-tsr         `tessera csv IN --to OUT.tsr` reads back unchanged with `tessera cat`.
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys

TESSERA, REPO, WORKDIR, CASE = sys.argv[1:5]
MAIN_JOB = os.path.join(REPO, "examples", "workflows", "graph-report.yaml")
UNREACHED = "9223372036854775807"  # `tessera graph bfs` for an unreachable vertex


def fail(message):
    print("FAILED: " + message)
    sys.exit(1)


def run(*args, expect=0):
    p = subprocess.run([TESSERA, *args], capture_output=True, text=True)
    if p.returncode != expect:
        fail(f"tessera {' '.join(args)}: exit {p.returncode}, expected {expect}\n"
             f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def read_tsr(path):
    """A .tsr file through `tessera cat`, as a list of dicts (values as text)."""
    return list(csv.DictReader(io.StringIO(run("cat", path).stdout)))


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def fresh_dir(name):
    d = os.path.join(WORKDIR, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def check_outputs(out):
    """Checks that hold for any input; returns the vertex table."""
    vertices = read_tsr(os.path.join(out, "vertices.tsr"))
    if vertices != read_csv(os.path.join(out, "vertices.csv")):
        fail("vertices.tsr and vertices.csv differ")
    if not vertices or list(vertices[0]) != ["vertex", "rank", "level", "component", "degree"]:
        fail(f"unexpected vertex table columns: {list(vertices[0]) if vertices else 'no rows'}")
    keys = [v["vertex"] for v in vertices]
    if len(set(keys)) != len(keys):
        fail("a vertex appears twice in vertices.tsr")
    components = read_tsr(os.path.join(out, "components.tsr"))
    if components != read_csv(os.path.join(out, "components.csv")):
        fail("components.tsr and components.csv differ")
    if sum(int(c["size"]) for c in components) != len(vertices):
        fail("component sizes do not add up to the vertex count")
    sizes = {}
    for v in vertices:
        sizes[v["component"]] = sizes.get(v["component"], 0) + 1
    if {c["component"]: int(c["size"]) for c in components} != sizes:
        fail("components.tsr does not count the vertices of each component")
    total = sum(float(v["rank"]) for v in vertices)
    if abs(total - 1.0) > 1e-9:
        fail(f"ranks sum to {total}, not 1")
    top = read_csv(os.path.join(out, "top-per-component.csv"))
    best = max(vertices, key=lambda v: (float(v["rank"]), -int(v["vertex"])))
    if not top or top[0]["vertex"] != best["vertex"]:
        fail(f"top-per-component.csv starts with {top[0] if top else None}, "
             f"expected the top-ranked vertex {best['vertex']}")
    return vertices


def main_generated():
    out = fresh_dir("main-generated")
    p = run("--threads", "2", "run", MAIN_JOB, "--set", "scale=8", "--set", "edge_factor=8",
            "--set", f"out={out}")
    for needle in ["Top vertices by PageRank", "Largest weak components", "steps succeeded",
                   "parallelism"]:
        if needle not in p.stdout + p.stderr:
            fail(f"the main job's output lacks '{needle}':\n{p.stdout}\n{p.stderr}")
    check_outputs(out)
    # A second run into the same directory must not replace the results silently.
    p = run("run", MAIN_JOB, "--set", "scale=8", "--set", f"out={out}", expect=1)
    if "exists already" not in p.stderr:
        fail("a second run replaced the results without `overwrite: true`:\n" + p.stderr)
    run("-q", "run", MAIN_JOB, "--set", "scale=8", "--set", f"out={out}", "--set",
        "overwrite=true")


def ldbc_pairs(text):
    return dict(line.split() for line in text.splitlines())


def main_csv():
    out = fresh_dir("main-csv")
    edges = os.path.join(WORKDIR, "main-csv-edges.csv")
    # Two components (keys 10..16 and 100..102) with a clear PageRank winner (13), a vertex only
    # reachable from some (16), and a dangling vertex (102).
    pairs = [(10, 13), (11, 13), (12, 13), (14, 13), (13, 15), (15, 10), (15, 11), (15, 14),
             (12, 16), (100, 101), (101, 102), (12, 14), (11, 12)]
    with open(edges, "w") as f:
        f.writelines(f"{u},{v}\n" for u, v in pairs)
    run("-q", "run", MAIN_JOB, "--set", f"input={edges}", "--set", "header=false", "--set",
        f"out={out}")
    vertices = check_outputs(out)
    keys = sorted({k for e in pairs for k in e})
    if [int(v["vertex"]) for v in vertices] != keys:
        fail(f"vertices {[v['vertex'] for v in vertices]}, expected {keys}")
    ranks = ldbc_pairs(run("graph", "pagerank", edges).stdout)
    expected_top = max(ranks, key=lambda k: float(ranks[k]))
    got_top = max(vertices, key=lambda v: float(v["rank"]))["vertex"]
    if got_top != expected_top or got_top != "13":
        fail(f"top-ranked vertex {got_top}, `tessera graph pagerank` says {expected_top}")
    for v in vertices:
        if abs(float(v["rank"]) - float(ranks[v["vertex"]])) > 1e-12:
            fail(f"rank of {v['vertex']}: {v['rank']}, `tessera graph pagerank` says "
                 f"{ranks[v['vertex']]}")
    wcc = ldbc_pairs(run("graph", "wcc", edges).stdout)
    if {v["vertex"]: v["component"] for v in vertices} != wcc:
        fail("weak components differ from `tessera graph wcc`")
    # The BFS source is the vertex of highest out-degree (12: three edges; the smallest key
    # among ties).
    degree = {v["vertex"]: int(v["degree"]) for v in vertices}
    source = min(degree, key=lambda k: (-degree[k], int(k)))
    levels = ldbc_pairs(run("graph", "bfs", edges, "--source", source).stdout)
    got = {v["vertex"]: v["level"] or UNREACHED for v in vertices}
    if source != "12" or got != levels:
        fail(f"BFS from {source}: {got}, `tessera graph bfs` says {levels}")


def errors():
    d = fresh_dir("errors")
    marker = os.path.join(d, "ran")
    first = f"  - {{name: first, type: shell, params: {{command: 'touch {marker}'}}}}\n"
    cases = {
        # name: (workflow text after the first step, extra args, expected message)
        "unknown_type": ("  - {name: g, type: pagerankk}\n", [],
                         r"unknown_type.yaml:4:21: parse error: step 'g': unknown step type "
                         "'pagerankk'"),
        "unknown_param": ("  - name: g\n    type: generate_graph\n"
                          "    params: {scale: 4, sclae: 5}\n", [],
                          "unknown_param.yaml:6:24: parse error: unknown key 'sclae' in the "
                          "params of step 'g' \\(a generate_graph step\\)"),
        "wrong_kind": ("  - {name: t, type: read_csv, params: {path: x.csv}}\n"
                       "  - {name: pr, type: pagerank, params: {input: t}}\n", [],
                       "wrong_kind.yaml:5:48: parse error: step 'pr': its input 't' \\(a read_csv "
                       "step\\) gives a table, but a pagerank step takes a graph"),
        "unknown_variable": ("  - {name: g, type: generate_graph, params: {scale: '${sacle}'}}\n",
                             [], "unknown_variable.yaml:4:53: parse error: step 'g': unknown "
                                 "variable 'sacle' \\(declared in `vars:`: scale\\)"),
        "unknown_set": ("  - {name: g, type: generate_graph, params: {scale: '${scale}'}}\n",
                        ["--set", "scael=3"], "the workflow declares no variable 'scael'"),
        "input_cycle": ("  - {name: a, type: sort, params: {input: c, by: x}}\n"
                        "  - {name: b, type: sort, params: {input: a, by: x}}\n"
                        "  - {name: c, type: sort, params: {input: b, by: x}}\n", [],
                        "cycle: the steps' inputs form a cycle: a -> c -> b -> a"),
        "bad_value": ("  - {name: g, type: generate_graph, params: {scale: many}}\n", [],
                      "bad_value.yaml:4:53: parse error: step 'g': `scale` must be an integer, "
                      "not 'many'"),
        "missing_input": ("  - {name: s, type: sort, params: {input: nowhere, by: x}}\n", [],
                          "step 's': its input 'nowhere' is not a step of this workflow"),
        "bad_where": ("  - {name: t, type: read_csv, params: {path: x.csv}}\n"
                      "  - {name: f, type: filter, params: {input: t, where: 'a >'}}\n", [],
                      "bad_where.yaml:5:55: parse error: step 'f': `where`: "),
    }
    for name, (body, args, message) in cases.items():
        path = os.path.join(d, name + ".yaml")
        with open(path, "w") as f:
            f.write("vars: {scale: 4}\nsteps:\n" + first + body)
        p = run("run", path, *args, expect=2)
        if not re.search(message, p.stderr):
            fail(f"{name}: stderr does not match '{message}':\n{p.stderr}")
        if os.path.exists(marker):
            fail(f"{name}: a step ran although the workflow is invalid")
    # --check accepts the main job without running it.
    run("run", "--check", MAIN_JOB, "--set", f"out={d}/never")
    if os.path.exists(os.path.join(d, "never")):
        fail("run --check wrote output")


def csv_tsr():
    d = fresh_dir("csv-tsr")
    src = os.path.join(d, "in.csv")
    text = "id,name,score,ok\n1,alpha,0.5,true\n2,beta,,false\n3,gamma delta,-2.25,true\n"
    with open(src, "w") as f:
        f.write(text)
    tsr = os.path.join(d, "out.tsr")
    run("csv", src, "--to", tsr)
    got = run("cat", tsr).stdout
    if got != text:
        fail(f"round trip through .tsr changed the table:\n{got!r}\nexpected\n{text!r}")
    schema = run("meta", tsr).stdout
    for col in ("id", "name", "score", "ok"):
        if f'"{col}"' not in schema:
            fail(f"`tessera meta` does not list column {col}:\n{schema}")
    run("csv", src, "--to", os.path.join(d, "out.parquet"), expect=2)


{"main-generated": main_generated, "main-csv": main_csv, "errors": errors,
 "csv-tsr": csv_tsr}[CASE]()
print(f"workflow_check {CASE}: ok")
