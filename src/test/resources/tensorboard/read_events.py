"""Reads every run under LOGDIR with TensorBoard's own EventAccumulator and prints one JSON object:
{run (folder relative to LOGDIR, "." for LOGDIR itself): {"scalars": {tag: [[step, value], ...]},
 "histograms": {tag: [[step, num], ...]}, "texts": {tag: text}}}.
Used by TensorBoardReaderTest: python3 read_events.py LOGDIR
"""
import json
import math
import os
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def read(run_dir):
    acc = EventAccumulator(run_dir, size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    tags = acc.Tags()
    out = {"scalars": {}, "histograms": {}, "texts": {}}
    for tag in tags.get("scalars", []):
        out["scalars"][tag] = [[e.step, None if math.isnan(e.value) else e.value] for e in acc.Scalars(tag)]
    for tag in tags.get("histograms", []):
        out["histograms"][tag] = [[e.step, e.histogram_value.num] for e in acc.Histograms(tag)]
    for tag in tags.get("tensors", []):
        t = acc.Tensors(tag)[0].tensor_proto
        if t.string_val:
            out["texts"][tag] = t.string_val[0].decode("utf-8")
    return out


def main(logdir):
    runs = {}
    for root, _, files in os.walk(logdir):
        if any("tfevents" in f for f in files):
            runs[os.path.relpath(root, logdir)] = read(root)
    json.dump(runs, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
