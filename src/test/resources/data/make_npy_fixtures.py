"""Writes the NumPy fixtures DataFilesTest reads (numpy.save / savez_compressed, as users write them).

Run from this folder: python make_npy_fixtures.py
"""
import numpy as np

table = np.array([[1.5, -2.0, 0.25], [3.0, 4.5, 1.0], [-0.125, 6.0, 0.0], [7.0, 8.0, 1.0]])
np.save("table_f4.npy", table.astype(np.float32))
np.save("table_f8_be.npy", table.astype(">f8"))
np.save("table_i8.npy", (table * 8).astype(np.int64))
np.save("fortran.npy", np.asfortranarray(table))
np.savez_compressed("xy.npz", X=table[:, :2], y=table[:, 2])
np.savez("single.npz", table)
