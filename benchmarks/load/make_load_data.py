"""The load benchmark's files: a 10 000 x 1 000 table (999 features and y) as CSV (%.17g, ~205 MB) and float32 .npy.

python make_load_data.py DIR
"""
import sys
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(0)
a = rng.standard_normal((10_000, 1_000))
header = ",".join([f"x{j}" for j in range(999)] + ["y"])
np.savetxt(f"{out}/table.csv", a, fmt="%.17g", delimiter=",", header=header, comments="")
np.save(f"{out}/table.npy", a.astype(np.float32))
