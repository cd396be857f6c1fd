#!/usr/bin/env python3
"""Turns a Google Benchmark JSON file of bench/native into the markdown table of docs/benchmarks.md.

    build/bench/mada_step_benchmark --benchmark_out=step.json --benchmark_out_format=json
    python3 tools/bench_table.py step.json

For each (elements, threads): the stream-copy floor (MADA's 112 bytes per parameter over this
run's measured copy bandwidth), MADA's step, libtorch AdamW's step, and the two ratios.
"""
import json
import sys


def main(path):
    runs = json.load(open(path))["benchmarks"]
    table = {}
    extra = []
    for r in runs:
        name = r["name"].split("/")
        kind = name[0]
        args = dict(p.split(":") for p in name[1:] if ":" in p and p.split(":")[0] in ("elements", "threads"))
        if "elements" not in args:
            extra.append(r)
            continue
        key = (int(args["elements"]), int(args["threads"]))
        table.setdefault(key, {})[kind] = r
    print("| elements (requested) | params | threads | copy GB/s | floor ms | MADA ms | AdamW ms | MADA / floor | MADA / AdamW | MADA state B/param | RSS growth |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (n, t), k in sorted(table.items()):
        copy, mada, adamw = k.get("BM_StreamCopy"), k.get("BM_MadaStep"), k.get("BM_AdamWStep")
        if not (copy and mada and adamw):
            continue
        bandwidth = copy["bytes_per_second"]
        params = mada["elements"]
        floor_ms = 112.0 * params / bandwidth * 1e3
        print(f"| {n:,} | {int(params):,} | {t} | {bandwidth / 1e9:.2f} | {floor_ms:.2f} | {mada['real_time']:.2f} | "
              f"{adamw['real_time']:.2f} | {mada['real_time'] / floor_ms:.2f} | {mada['real_time'] / adamw['real_time']:.2f} | "
              f"{mada['state_bytes_per_param']:.0f} | {mada['rss_growth_bytes'] / 1e6:.1f} MB |")
    for r in extra:
        counters = {k: v for k, v in r.items() if k.endswith("_bytes") or k.endswith("_param")}
        print(f"\n{r['name']}: {r['real_time']:.0f} ms; " + ", ".join(f"{k} = {v:.0f}" for k, v in counters.items()))


if __name__ == "__main__":
    main(sys.argv[1])
