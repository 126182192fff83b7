"""Replaces one "## " section of benchmarks/RESULTS.md in place (or puts it first when absent), keeping the others."""
import os


def replace_section(md, head, out):
    """md: the RESULTS.md path; head: the section's heading prefix; out: its new lines (heading first)."""
    text = open(md).read() if os.path.exists(md) else "# Benchmark results\n"
    lines = text.splitlines()
    out = list(out)
    start = next((i for i, l in enumerate(lines) if l.startswith(head)), None)
    if start is None:
        start = end = next((i for i, l in enumerate(lines) if l.startswith("## ")), len(lines))
        out += [""]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        out += [""] if end < len(lines) else []
    lines[start:end] = out
    tmp = md + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, md)
