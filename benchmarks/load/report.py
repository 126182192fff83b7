"""Markdown table of benchmarks/load/results/load.jsonl: medians over rounds (Java: the first load in a fresh JVM,
and the second load in the same JVM; numpy: one load per process)."""
import json
import statistics
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| reader | file | rounds | first load s | second load s | peak RSS growth MB, first load | second load | float32 size MB |")
print("|---|---|---|---|---|---|---|---|")
groups = {}
for r in rows:
    key = ("ndopt DataFiles.load float32", r["file"]) if "file" in r else (r["reader"], "table.npy" if "npy" in r["reader"] else "table.csv")
    groups.setdefault(key, []).append(r)
for (reader, f), rs in groups.items():
    first = statistics.median(r["seconds"][0] for r in rs)
    second = [r["seconds"][1] for r in rs if len(r["seconds"]) > 1]
    g = [r["peak_rss_growth_mb"] if isinstance(r["peak_rss_growth_mb"], list) else [r["peak_rss_growth_mb"]]
         for r in rs]
    grow1 = statistics.median(x[0] for x in g)
    grow2 = [x[1] for x in g if len(x) > 1]
    size = rs[0].get("float32_mb", 40.0)
    s2 = f"{statistics.median(second):.2f}" if second else "—"
    g2 = f"{statistics.median(grow2):.0f}" if grow2 else "—"
    print(f"| {reader} | {f} | {len(rs)} | {first:.2f} | {s2} | {grow1:.0f} | {g2} | {size:.0f} |")
