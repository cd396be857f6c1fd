#!/usr/bin/env python3
"""Turns a Google Benchmark JSON file of bench/native into the markdown table of docs/benchmarks.md.

    build/bench/mada_step_benchmark --benchmark_out=step.json --benchmark_out_format=json
    python3 tools/bench_table.py step.json

For each (elements, threads): the stream-copy floor (MADA's 112 bytes per parameter over this
run's measured copy bandwidth), MADA's step, libtorch AdamW's step, and the two ratios; then,
when the run has BM_TorchSharpAdamChain, the same rows against TorchSharp's op-by-op AdamW.
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
    chains = {key: k for key, k in table.items() if "BM_TorchSharpAdamChain" in k}
    if chains:
        # bench/native/adam_chain_benchmark.cpp: the unfused op-by-op AdamW that TorchSharp runs.
        print("\n| elements (requested) | params | threads | libtorch AdamW ms | TorchSharp AdamW chain ms | chain / AdamW | MADA ms | MADA / chain |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (n, t), k in sorted(chains.items()):
            chain, mada, adamw = k["BM_TorchSharpAdamChain"], k.get("BM_MadaStep"), k.get("BM_AdamWStep")
            ms = lambda r: f"{r['real_time']:.2f}" if r else "-"
            ratio = lambda a, b: f"{a['real_time'] / b['real_time']:.2f}" if a and b else "-"
            print(f"| {n:,} | {int(chain['elements']):,} | {t} | {ms(adamw)} | {ms(chain)} | {ratio(chain, adamw)} | "
                  f"{ms(mada)} | {ratio(mada, chain)} |")
    for r in extra:
        counters = {k: v for k, v in r.items() if k.endswith("_bytes") or k.endswith("_param")}
        print(f"\n{r['name']}: {r['real_time']:.0f} ms; " + ", ".join(f"{k} = {v:.0f}" for k, v in counters.items()))


if __name__ == "__main__":
    main(sys.argv[1])
