"""``dlspectra plan --scale paper``: what each page needs before a GPU is booked.

Per page, from its presets (the scale's own and the smoke run's capped copy,
:func:`dlspectra.book.smoke.cap_preset`) and from the run record of its last smoke run
(``_build/pages/<scale>-smoke/<paper>/<stem>.run.json``, written by ``dlspectra book --scale
<scale> --smoke``):

- ``params``: the parameters of the largest curvature operator the page built (measured: the
  smoke run keeps every shape);
- ``samples``: the samples one product averages over at the scale (the uncapped count the smoke
  run logged, ``samples_full``; where only the capped count is known, ``>= n``);
- ``products``: the curvature products of the smoke run and an estimate at the scale: the smoke
  count times the ratio of the scale's step budget to the capped one (Lanczos steps, matvec
  budgets, iterations; a solver that converges stops earlier, so an upper estimate); where the
  page's probes, repeats or exact batch Hessians were capped too, their ratio is shown beside it
  (it multiplies the part of the products that are probes, which the log does not separate);
- ``s/product``: the smoke run's seconds per product scaled by ``samples / samples kept`` (one CPU
  thread, as the smoke ran; a GPU divides it);
- ``basis``: the bytes of the largest Krylov basis the page's settings allow (float64:
  ``min(max_steps, max_basis + 3) x params x 8``); ``cache``: the bytes the smoke run added to the
  cache (trained weights and checkpoints have their paper shapes; spectra can grow at the scale);
- ``peak``: the kernel's peak resident memory in the smoke run;
- the protein set's line adds the chains of the paper's set that are not on disk and the command
  that fetches them (:func:`protein_fetch`).

Where a page has no smoke record (not run yet, or failed before any product) its measured columns
are empty and the status says why; a run that failed or timed out shows the products it did before
it stopped, marked ``(partial)``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from dlspectra.book import pagecache
from dlspectra.book.catalog import Notebook

STEP_KEYS = ("max_steps", "num_steps", "log_steps", "top_k_steps", "max_matvecs", "subspace_iters", "max_iter",
             "normalization_steps")
"""Preset keys that bound how many products one solve takes."""
REPEAT_KEYS = ("trace_probes", "num_repeats", "batches", "batches_costly", "batches_train", "f32_batches")
"""Preset keys that count solves (probes, repeats, exact batch Hessians)."""
BASIS_KEYS = ("max_steps", "num_steps", "top_k_steps")
PAPER_PROTEIN_CHAINS = 9166
"""Chains of the paper's protein set (Xie et al., Sec. 5; the list is not published)."""
PROTEIN_SET_PAGES = ("xie/fig10", "xie/tab04", "xie/tab12", "xie/tab13")


def _walk(node: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a nested preset as ``{"a/b/key": value}``."""
    out: dict[str, Any] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            out.update(_walk(v, f"{path}/{k}" if path else str(k)))
    else:
        out[path] = node
    return out


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def budget_ratios(full: dict, capped: dict) -> tuple[float, float]:
    """(step ratio, repeat ratio): the largest ``full / capped`` over the :data:`STEP_KEYS` and over
    the :data:`REPEAT_KEYS` of a preset (1 where none is capped)."""
    a, b = _walk(full), _walk(capped)
    steps, reps = 1.0, 1.0
    for path, v in a.items():
        key = path.rsplit("/", 1)[-1]
        x, y = _num(v), _num(b.get(path))
        if x is None or y is None or y <= 0:
            continue
        if key in STEP_KEYS:
            steps = max(steps, x / y)
        elif key in REPEAT_KEYS:
            reps = max(reps, x / y)
    return steps, reps


def basis_vectors(full: dict) -> int | None:
    """The most Krylov vectors one solve of the preset may hold (None: the page sets no step budget)."""
    leaves = _walk(full)
    steps = [int(v) for p, v in leaves.items() if p.rsplit("/", 1)[-1] in BASIS_KEYS and _num(v)]
    basis = [int(v) + 3 for p, v in leaves.items() if p.rsplit("/", 1)[-1] == "max_basis" and _num(v)]
    if not steps and not basis:
        return None
    if basis and steps:
        return min(max(steps), max(basis))
    return max(basis or steps)


def protein_fetch(data_dir: str | Path | None) -> dict:
    """The protein set's chains: on disk (the C-alpha archives' qualifying chains), in the PISCES list
    on disk, the paper's 9,166, how many of them are not on disk, and the command that fetches the
    list's chains (needs network; RCSB)."""
    out: dict[str, Any] = {"paper": PAPER_PROTEIN_CHAINS, "on_disk": None, "list": None, "missing": None,
                           "bytes_per_chain": None, "command": None}
    if not data_dir:
        return out
    pdb = Path(data_dir) / "pdb"
    keys: set[str] = set()
    archive_bytes = 0
    for index in sorted(pdb.glob("*/*_ca_index.csv")):
        if index.parent.name not in ("pdownb", "pisces_extra"):
            continue
        import csv

        with index.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        qualifying = [r for r in rows if r.get("meets_all_criteria", "1") in ("1", "True", "true")]
        keys.update(r["key"] for r in qualifying)
        npz = index.with_name(index.name.replace("_index.csv", ".npz"))
        if npz.exists() and rows:
            archive_bytes += npz.stat().st_size * len(qualifying) / len(rows)
    out["on_disk"] = len(keys)
    if keys:
        out["bytes_per_chain"] = int(archive_bytes / len(keys))
    lists = sorted(pdb.glob("cullpdb_*"))
    if lists:
        from dlspectra.proteins.fetch import read_pisces_list

        listed = {f"{r['pdb_id']}_{r['chain']}" for r in read_pisces_list(lists[0])}
        out["list"] = len(listed)
        out["list_not_on_disk"] = len(listed - keys)
        out["command"] = f"python -m dlspectra.proteins fetch {lists[0]} <data>/pdb/pisces_fetched"
    out["missing"] = max(0, PAPER_PROTEIN_CHAINS - len(keys))
    return out


def page_plan(nb: Notebook, scale: str, root: Path) -> dict:
    """One page's line of the plan (see the module docstring)."""
    from dlspectra.book import smoke
    from dlspectra.book.scales import all_presets

    fid = nb.figure_id
    by_scale = all_presets().get(fid, {})
    full = by_scale.get(scale, {})
    capped = smoke.cap_preset(fid, full) if full else {}
    steps, reps = budget_ratios(full, capped)
    row: dict[str, Any] = {"page": fid, "status": "no smoke run", "smoke_seconds": None, "params": None,
                           "samples": None, "samples_capped": None, "smoke_products": None, "products": None,
                           "seconds_per_product": None, "basis_bytes": None, "cache_bytes": None, "peak_mb": None,
                           "step_ratio": steps, "repeat_ratio": reps}
    rec = pagecache.read_record(nb.executed(smoke.store(scale)))
    if rec:
        row["status"] = rec.get("status") if not rec.get("error") else f"{rec.get('status')}: {rec['error']}"
        row["smoke_seconds"] = rec.get("seconds")
        row["peak_mb"] = rec.get("peak_rss_mb")
        row["cache_bytes"] = rec.get("cache_bytes")
        groups = [g for g in rec.get("products") or [] if g.get("products")]
        if groups:
            big = max(groups, key=lambda g: (g.get("dim") or 0, g.get("seconds") or 0))
            row["params"] = big.get("dim")
            row["samples_capped"] = big.get("samples")
            full_n = big.get("samples_full")
            row["samples"] = full_n
            n_products = sum(int(g["products"]) for g in groups)
            row["smoke_products"] = n_products
            row["products"] = int(math.ceil(n_products * steps))
            spp = big.get("seconds_per_product")
            if spp is not None:
                scale_by = (full_n / big["samples"]) if full_n and big.get("samples") else 1.0
                row["seconds_per_product"] = spp * scale_by
    vectors = basis_vectors(full)
    if vectors and row["params"]:
        row["basis_bytes"] = vectors * int(row["params"]) * 8
    return row


def plan_rows(root: Path, notebooks: dict[str, Notebook], scale: str = "paper") -> list[dict]:
    """The plan's line of every page (in the catalog's order)."""
    return [page_plan(nb, scale, root) for nb in notebooks.values()]


def _bytes(n: float | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return "-"


def _int(n: Any) -> str:
    return "-" if n is None else f"{int(n):,}"


def render(rows: list[dict], protein: dict | None = None) -> str:
    """The plan as a plain-text table (one line a page, then the protein set's fetch)."""
    head = ("page", "params", "samples/prod", "products smoke->scale", "s/prod (1 CPU)", "basis", "cache",
            "peak", "smoke")
    lines = []
    for r in rows:
        samples = _int(r["samples"]) if r["samples"] else (f">= {r['samples_capped']:,}" if r["samples_capped"] else "-")
        prods = "-" if r["smoke_products"] is None else f"{r['smoke_products']:,} -> {r['products']:,}"
        if r["smoke_products"] is not None and r["repeat_ratio"] > 1:
            prods += f" (probes/batches x{r['repeat_ratio']:.3g})"  # the part of them that are probes or repeats
        if r["smoke_products"] is not None and r["status"] != "ok":
            prods += " (partial)"  # the run stopped early: products so far
        spp = "-" if r["seconds_per_product"] is None else f"{r['seconds_per_product']:.3g}"
        peak = "-" if r["peak_mb"] is None else f"{r['peak_mb'] / 1024:.1f} GB"
        status = r["status"] if r["status"] == "ok" else r["status"][:60]
        secs = "" if r["smoke_seconds"] is None else f" {r['smoke_seconds']:.0f} s"
        lines.append((r["page"], _int(r["params"]), samples, prods, spp, _bytes(r["basis_bytes"]),
                      _bytes(r["cache_bytes"]), peak, status + secs))
        if r["page"] in PROTEIN_SET_PAGES and protein and protein.get("on_disk") is not None:
            lines[-1] = (*lines[-1][:2], f"{protein['on_disk']:,} chains", *lines[-1][3:])
    widths = [max(len(h), *(len(str(ln[i])) for ln in lines)) if lines else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:{w}s}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*map(str, ln)) for ln in lines]
    if protein:
        out.append("")
        out.append(_protein_line(protein))
    return "\n".join(out)


def _protein_line(p: dict) -> str:
    if p.get("on_disk") is None:
        return "protein set: no data folder (DLSPECTRA_DATA) to count the chains on disk"
    text = (f"protein set ({', '.join(PROTEIN_SET_PAGES)}): {p['on_disk']:,} qualifying chains on disk; the paper's "
            f"set has {p['paper']:,} (list not published): {p['missing']:,} not on disk")
    if p.get("list") is not None:
        per = p.get("bytes_per_chain")
        text += (f". The PISCES list on disk names {p['list']:,} chains, {p['list_not_on_disk']:,} of them not in the "
                 f"archives; fetching them (network, RCSB): `{p['command']}`"
                 + (f", about {_bytes(per * p['list_not_on_disk'])} as C-alpha archives" if per else ""))
    return text


def write_json(path: Path, rows: list[dict], protein: dict) -> None:
    """The plan as JSON (rows and the protein set's counts)."""
    path.write_text(json.dumps({"pages": rows, "protein": protein}, indent=1))
