"""numpy's side of the load benchmark: numpy.loadtxt of the CSV, numpy.load of the .npy (and pandas.read_csv
when pandas is installed); one JSON line per reader with the seconds of each load and the peak-RSS growth.

python bench_numpy_load.py DIR REPEATS
"""
import json
import resource
import sys
import time

import numpy as np


def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def bench(name, fn, repeats):
    before = rss()
    secs, grown = [], None
    for i in range(repeats):
        t0 = time.perf_counter()
        a = fn()
        secs.append(time.perf_counter() - t0)
        if i == 0:
            grown = (peak() - before) / 1e6
        del a
    print(json.dumps({"reader": name, "seconds": secs, "peak_rss_growth_mb": round(grown, 1),
                      "numpy": np.__version__}), flush=True)


d, repeats = sys.argv[1], int(sys.argv[2])
which = sys.argv[3] if len(sys.argv) > 3 else "all"
if which in ("all", "loadtxt"):
    bench("numpy.loadtxt float64", lambda: np.loadtxt(f"{d}/table.csv", delimiter=",", skiprows=1), repeats)
if which in ("all", "loadtxt32"):
    bench("numpy.loadtxt float32", lambda: np.loadtxt(f"{d}/table.csv", delimiter=",", skiprows=1,
                                                      dtype=np.float32), repeats)
if which in ("all", "npy"):
    bench("numpy.load .npy", lambda: np.load(f"{d}/table.npy"), repeats)
if which in ("all", "pandas"):
    try:
        import pandas as pd
        bench("pandas.read_csv (C engine)", lambda: pd.read_csv(f"{d}/table.csv").to_numpy(np.float32), repeats)
    except ImportError:
        pass
