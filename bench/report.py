#!/usr/bin/env python3
"""Turns the measurements of bench/run into the side-by-side table and results.json.

  report.py RESULTS_DIR

Reads RESULTS_DIR/measurements.tsv (name<TAB>value<TAB>unit, written by bench/run),
RESULTS_DIR/ops_bench.json (Google Benchmark JSON) and RESULTS_DIR/meta.json; prints the table
and writes RESULTS_DIR/results.json. A missing measurement shows as "-" and fails no target.
"""
import json
import pathlib
import sys


def load(results: pathlib.Path) -> dict:
    values = {}
    for line in (results / "measurements.tsv").read_text().splitlines():
        name, value, unit = line.split("\t")
        values[name] = (float(value), unit)
    gb = results / "ops_bench.json"
    if gb.exists():
        for b in json.loads(gb.read_text()).get("benchmarks", []):
            # The median of the repetitions when there are several, else the one run.
            median = b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median"
            if "items_per_second" not in b or (b.get("run_type") == "aggregate" and not median):
                continue
            name = "gb." + b["name"].split("/")[0]  # TypedSet8Threads/real_time/threads:8
            if median or name not in values or values[name][1] != "ops/s (median)":
                values[name] = (b["items_per_second"], "ops/s (median)" if median else "ops/s")
    return values


# (label, keyspace measurement, baseline measurement, target ratio, higher_is_better)
COMPARISONS = [
    ("1a. generate (header + source), 1,000 keys vs flatc --cpp (s)", "gen.generate.1000", "flatc.1000", 1.0, False),
    ("1b. generate + docs, 1,000 keys vs flatc --cpp (s)", "gen.total.1000", "flatc.1000", 1.0, False),
    ("2a. set, 1 connection (ops/s)", "gb.TypedSet", "gb.RawSet", 0.95, True),
    ("2b. get, 1 connection (ops/s)", "gb.TypedGet", "gb.RawGet", 0.95, True),
    ("3a. set, instructions/op (callgrind)", "cg.typed.set", "cg.raw.set", 1.3, False),
    ("3b. get, instructions/op (callgrind)", "cg.typed.get", "cg.raw.get", 1.3, False),
    ("4a. get_many 100 vs redis-benchmark -P 100 (keys/s)", "gb.TypedGetMany100", "rb.p100.get", 0.8, True),
    ("4b. batch of 100 gets vs redis-benchmark -P 100 (keys/s)", "gb.TypedBatchGet100", "rb.p100.get", 0.8, True),
    ("5a. set, 8 threads vs redis-benchmark -c 8 (ops/s)", "gb.TypedSet8Threads", "rb.c8.set", 0.9, True),
    ("5b. get, 8 threads vs redis-benchmark -c 8 (ops/s)", "gb.TypedGet8Threads", "rb.c8.get", 0.9, True),
    ("6. compile a TU with the 1,000-key header vs flatc's (s)", "cc.keyspace", "cc.flatc", 1.0, False),
    ("7a. cluster set, 8 threads vs redis-benchmark --cluster -c 8 (ops/s)", "gb.ClusterSet8Threads", "rb.cluster.c8.set", 0.9, True),
    ("7b. cluster get, 8 threads vs redis-benchmark --cluster -c 8 (ops/s)", "gb.ClusterGet8Threads", "rb.cluster.c8.get", 0.9, True),
    ("7c. cluster get_many 100 over the slots vs redis-benchmark --cluster -c 1 -P 100 (keys/s)", "gb.ClusterGetMany100", "rb.cluster.p100.get", 0.9, True),
]


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,.0f}" if v >= 1000 else f"{v:.3g}"


def main() -> int:
    results = pathlib.Path(sys.argv[1])
    values = load(results)
    meta = json.loads((results / "meta.json").read_text())
    rows = []
    for label, ours, base, target, higher in COMPARISONS:
        a = values.get(ours, (None,))[0]
        b = values.get(base, (None,))[0]
        ratio = a / b if a is not None and b else None
        met = None if ratio is None else (ratio >= target if higher else ratio <= target)
        rows.append({"comparison": label, "keyspace": a, "baseline": b, "ratio": ratio,
                     "target": ("≥ " if higher else "≤ ") + f"{target}×", "met": met})
    width = max(len(r["comparison"]) for r in rows)
    print(f"{'comparison':<{width}}  {'keyspace':>12}  {'baseline':>12}  {'ratio':>6}  {'target':>7}  met")
    for r in rows:
        met = "-" if r["met"] is None else ("yes" if r["met"] else "NO")
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"{r['comparison']:<{width}}  {fmt(r['keyspace']):>12}  {fmt(r['baseline']):>12}  "
              f"{ratio:>6}  {r['target']:>7}  {met}")
    print("\nother measurements:")
    for name in sorted(values):
        print(f"  {name:<28} {fmt(values[name][0]):>14} {values[name][1]}")
    out = {"meta": meta, "comparisons": rows,
           "measurements": {k: {"value": v, "unit": u} for k, (v, u) in sorted(values.items())}}
    (results / "results.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults: {results / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
