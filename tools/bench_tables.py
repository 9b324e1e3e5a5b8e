"""Render the committed bench records into the docs' Performance tables, and draw plots.

    python tools/bench_tables.py            # rewrite docs/performance.md between its markers
    python tools/bench_tables.py --plots    # also docs/images/<env>-float64.png (matplotlib)

The records come from tools/bench_all.sh; this script only formats them. It imports
relucompat from this checkout, so it needs numpy.
"""

from __future__ import annotations

import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from relucompat.bench import contract_mark  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
ORDER = ["theano", "theano-pymc", "aesara", "pytensor"]


def records():
    found = []
    for path in glob.glob(os.path.join(ROOT, "bench", "*.json")):
        with open(path) as stream:
            record = json.load(stream)
        record["env"] = os.path.basename(path).rsplit("-", 1)[0]
        found.append(record)
    return sorted(
        found, key=lambda r: (r["dtype"] != "float64", ORDER.index(r["backend"]), r["version"])
    )


def classic(record):
    """One backend's candidates: ms and ratios, as in the classic benchmark."""
    lines = [
        f"**{record['backend']} {record['version']}** ({record['linker']}, `{record['env']}`), "
        f"{record['size']}x{record['size']} {record['dtype']}:",
        "",
        "| candidate | meets strict | forward ms | / fastest | / numpy | grad ms | / fastest "
        "| / numpy | grad·W ms | / fastest | / numpy |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in record["candidates"]:
        cells = [c["name"], contract_mark(c)]
        for key in ("forward", "grad", "grad_upstream"):
            cells += [
                f"{c['seconds'][key] * 1e3:.3f}",
                f"{c['vs_fastest'][key]:.2f}",
                f"{c['vs_numpy'][key]:.2f}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    refs = record["numpy_references"]
    lines.append("")
    lines.append(
        "NumPy in the same run: "
        + ", ".join(f"`{refs[k]['expression']}` {refs[k]['seconds'] * 1e3:.3f} ms" for k in refs)
        + "."
    )
    return lines


def summary(all_records):
    lines = [
        "| backend (linker) | dtype | strict / fastest: fwd, grad, grad·W "
        "| strict / NumPy: fwd, grad, grad·W | import ms (`from relucompat import relu`) "
        "| build / by hand | compile / by hand |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in all_records:
        o = r["overheads"]
        fastest = ", ".join(f"{v:.2f}" for v in r["strict_vs_fastest"].values())
        numpy = ", ".join(f"{v:.2f}" for v in r["strict_vs_numpy"].values())
        imports = f"{o['import_ms']:.1f} ({o['import_relu_ms']:.1f})"
        lines.append(
            f"| {r['backend']} {r['version']} ({r['linker']}) | {r['dtype']} | {fastest} "
            f"| {numpy} | {imports} | {o['build']['strict']['ratio']:.2f} "
            f"| {o['compile']['strict_vs_it']:.2f} |"
        )
    return lines


def main() -> int:
    found = records()
    body = ["", "Strict route against the targets (all figures from the records in `bench/`):", ""]
    body += summary(found)
    body += ["", "The classic table, per backend (float64):", ""]
    for record in found:
        if record["dtype"] == "float64":
            body += [*classic(record), ""]
    readme_path = os.path.join(ROOT, "docs", "performance.md")
    with open(readme_path) as stream:
        readme = stream.read()
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(readme_path, "w") as stream:
        stream.write(head + START + "\n" + "\n".join(body) + "\n" + END + tail)
    if "--plots" in sys.argv:
        from relucompat.bench import plot

        for record in found:
            if record["dtype"] == "float64":
                plot(record, os.path.join(ROOT, "docs", "images", f"{record['env']}-float64.png"))
    print(f"rendered {len(found)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
