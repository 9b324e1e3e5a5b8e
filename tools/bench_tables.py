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
from relucompat.bench import by_hand, contract_mark  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
MODELS_START, MODELS_END = "<!-- bench-models:start -->", "<!-- bench-models:end -->"
# The envs a model step is compared across: Theano's own ops, then relucompat's on the
# C and numba linkers (docs/performance.md, "A training step").
REFERENCE_ENV = "py38-theano"
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


def model_records():
    found = []
    for path in glob.glob(os.path.join(ROOT, "bench", "models", "*.json")):
        with open(path) as stream:
            record = json.load(stream)
        record["env"] = os.path.basename(path).split(f"-{record['model']}-")[0]
        found.append(record)
    return sorted(found, key=lambda r: (r["model"], ORDER.index(r["backend"]), r["version"]))


def models(found):
    """Per model and batch: each route's step (or, for a model without relu, the program's)
    against the fastest hand formulation on its backend and against Theano 1.0.5's own step,
    cold compile and peak memory (same candidate)."""
    theano_rows = {
        (r["model"], row["batch"], c["name"]): (c["step_seconds"], row)
        for r in found
        if r["env"] == REFERENCE_ENV
        for row in r["batches"]
        for c in row["candidates"]
    }
    lines = [
        "| model | batch | backend (linker) | route | step ms | / fastest by hand "
        "| compile / fastest by hand | / Theano 1.0.5's step | cold compile s (/ Theano's) "
        "| next run's compile s (/ Theano's) | peak MiB (/ Theano's) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def against(value, theano_value, scale, digits):
        if value is None:
            return "-"
        cell = f"{value / scale:.{digits}f}"
        return cell + (f" ({value / theano_value:.2f})" if theano_value else "")

    for r in found:
        for row in r["batches"]:
            for c in row["candidates"]:
                if "fastest_by_hand" in row and by_hand(c["name"]):
                    continue
                theano_step, theano_row = theano_rows.get(
                    (r["model"], row["batch"], c["name"]), (None, {})
                )
                vs_theano = f"{c['step_seconds'] / theano_step:.2f}" if theano_step else "-"
                by_hand_cell = (
                    f"{c['step_vs_fastest_by_hand']:.2f} ({row['fastest_by_hand']}) "
                    f"| {c['compile_vs_fastest_by_hand']:.2f}"
                    if "fastest_by_hand" in row
                    else "- | -"
                )
                cold = against(
                    row.get("cold_compile_seconds"), theano_row.get("cold_compile_seconds"), 1, 2
                )
                rerun = against(
                    row.get("rerun_compile_seconds"), theano_row.get("rerun_compile_seconds"), 1, 2
                )
                peak = against(row["peak_step_bytes"], theano_row.get("peak_step_bytes"), 2**20, 1)
                lines.append(
                    f"| {r['model']} | {row['batch']} | {r['backend']} {r['version']} "
                    f"({r['linker']}) | {c['name'].split()[-1]} | {c['step_seconds'] * 1e3:.2f} "
                    f"| {by_hand_cell} | {vs_theano} | {cold} | {rerun} | {peak} |"
                )
    dtypes = sorted({r["dtype"] for r in found})
    return [
        f"All {', '.join(dtypes)}; cold compile and peak memory are the theano route's.",
        "",
        *lines,
    ]


def _replace(text, start, end, body):
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + "\n" + "\n".join(body) + "\n" + end + tail


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
    page_path = os.path.join(ROOT, "docs", "performance.md")
    with open(page_path) as stream:
        page = stream.read()
    page = _replace(page, START, END, body)
    if MODELS_START in page:
        page = _replace(page, MODELS_START, MODELS_END, ["", *models(model_records()), ""])
    with open(page_path, "w") as stream:
        stream.write(page)
    if "--plots" in sys.argv:
        from relucompat.bench import plot

        for record in found:
            if record["dtype"] == "float64":
                plot(record, os.path.join(ROOT, "docs", "images", f"{record['env']}-float64.png"))
    print(f"rendered {len(found)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
