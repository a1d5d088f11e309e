"""Turn a pytest-benchmark JSON file into the ratio table of BENCHMARKS.md.

Each benchmark group holds one ``ocrprep`` run and one anchor run (any other
name in the ``impl`` parameter); the ratio is ocrprep's median time over the
anchor's, both measured in the same process.  A target per group may be given
in the test's ``extra_info["target"]`` (e.g. "<= 1.0").

    python benchmarks/ratios.py .benchmarks/kernels.json
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict


def table(path: str) -> str:
    data = json.load(open(path))
    groups = defaultdict(dict)
    targets = {}
    for b in data["benchmarks"]:
        impl = b["params"].get("impl", "ocrprep") if b.get("params") else "ocrprep"
        groups[b["group"]][impl] = b["stats"]["median"] * 1000
        if "target" in b.get("extra_info", {}):
            targets[b["group"]] = b["extra_info"]["target"]
    lines = ["| kernel | ocrprep ms | anchor | anchor ms | ratio | target | ok |", "|---|---|---|---|---|---|---|"]
    for group in sorted(groups):
        runs = groups[group]
        ours = runs.get("ocrprep")
        for anchor, ms in sorted(runs.items()):
            if anchor == "ocrprep" or ours is None:
                continue
            ratio = ours / ms
            target = targets.get(group, "")
            ok = ""
            if target.startswith("<="):
                ok = "yes" if ratio <= float(target[2:]) else "NO"
            elif target.startswith(">="):
                ok = "yes" if ratio >= float(target[2:]) else "NO"
            lines.append(f"| {group} | {ours:.2f} | {anchor} | {ms:.2f} | {ratio:.2f} | {target} | {ok} |")
    machine = data.get("machine_info", {})
    lines.append("")
    lines.append(f"Machine: {machine.get('cpu', {}).get('brand_raw', '?')}, {machine.get('cpu', {}).get('count', '?')} cores; "
                 f"Python {machine.get('python_version', '?')}; run {data.get('datetime', '?')}.")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1]))
