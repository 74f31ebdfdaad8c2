"""Markdown of Xie's protein pages: setup rows, the 4HHB fit table, the set's counts and per-bin statistics.

Every function returns text (or rows); the pages display it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from dlspectra.fits import PowerLawFit
from dlspectra.papers.xie.protein_study import PAPER_SET, Hemoglobin, ProteinSet, bin_statistics
from dlspectra.papers.xie.reference import KsRow
from dlspectra.papers.xie.reference.protein import HEMOGLOBIN, PROTEIN_SET
from dlspectra.proteins import SIZE_BINS, STATUSES, rule_label, screen_counts


def bin_label(b: tuple[int, int], first: bool = False) -> str:
    return f"{b[0]} {'≤' if first or b[0] == SIZE_BINS[0][0] else '<'} 3N ≤ {b[1]}"


BIN_LABELS = [bin_label(b) for b in SIZE_BINS]


def md(head: list[str], rows: list[list]) -> str:
    from dlspectra.book.results import markdown_table

    return markdown_table(head, [[str(c) for c in r] for r in rows])


# ----------------------------------------------------------------------------- 4HHB

def structure_setup_rows(p: dict) -> list[list]:
    """Setup table rows (paper vs this run) of the 4HHB pages."""
    s = p["structure"]
    return [["structure", "PDB 4HHB (deoxyhaemoglobin, 4 chains)", f"{s['protein']} from the data folder ({s['pdb']})"],
            ["nodes", "one per residue (574)", "C-alpha atoms, all chains joined"],
            ["model", "ANM, r_C = 9.0 Å, κ = 1", f"ANM, cutoff {s['anm']['cutoff']} Å, gamma {s['anm']['gamma']}"],
            ["spectrum fitted", "σ_i = 1/λ̃_i of H (App. D.2)", "σ_i = 1/λ̃_i over the non-zero modes (H⁺)"],
            ["K (tested values)", "1000 (Table 11); 'top 1/10' (App. D.4)",
             ", ".join(rule_label(r) for r in s["k_rules"])],
            ["eigensolver", "not stated", "ProDy calcModes (all modes); checked against our own ANM eigenvalues"]]


def hemoglobin_summary(h: Hemoglobin) -> str:
    s = h.spec
    return (f"{s.id}: {s.n_residues} residues, {s.n_zero_modes} zero modes, n = {s.n_modes} non-zero modes; "
            f"ProDy vs batched path: largest eigenvalue difference {h.path_difference:.2e} "
            f"(λ_max = {s.eigenvalues.max():.2f})")


def fit_markdown(rows: Sequence[tuple[str, PowerLawFit]], paper: KsRow | None = HEMOGLOBIN) -> str:
    """Xie's KS statistics in Table 11's layout: the paper's row first, then one row per (label, fit)."""
    head = ["", "K", "d_ks", "d_ks textbook", "d_c", "power law", "β̂ ± σ", "ŝ (= 1/(β̂−1))", "ŝ_OLS"]
    body = []
    if paper is not None:
        body.append([f"paper ({paper.d_ks.where})", str(paper.k), paper.d_ks.text, "—", paper.d_c.text,
                     "Yes" if paper.power_law else "No", f"{paper.beta} ± {paper.sigma}", paper.s.text, "—"])
    for label, f in rows:
        body.append([label, str(f.k), f"{f.d_ks:.4f}", f"{f.d_ks_textbook:.4f}", f"{f.d_c:.4f}",
                     "Yes" if f.accepted else "No", f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}", f"{f.s_ols:.3f}"])
    return md(head, body)


def hemoglobin_table(h: Hemoglobin, extra: Sequence[tuple[str, PowerLawFit]] = (), prefix: str = "this run") -> str:
    """:func:`fit_markdown` of every K rule of ``h`` (and ``extra`` rows), with the paper's Table 11 row."""
    return fit_markdown([(f"{prefix}, {rule_label(r)}", f) for r, f in h.fits.items()] + list(extra))


# ----------------------------------------------------------------------------- the set

def _sample_text(s: dict) -> str:
    parts = []
    for b, n in enumerate(s["per_bin"]):
        parts.append(f"{BIN_LABELS[b]}: {'all' if n is None else f'a seeded sample of {n}'}")
    return "; ".join(parts) + f" (seed {s['seed']})"


def set_setup_rows(p: dict) -> list[list]:
    """Setup table rows (paper vs this run) of the set pages."""
    s = p["set"]
    return [["structures", "9,166 PDB protein molecules (list not published)",
             f"the offline set: the qualifying chains of {' and '.join(f'`{a}`' for a in s['archives'])} "
             "(747 + 2,451 = 3,198 chains, 35 % of the paper's number)"],
            ["chains used", "all", _sample_text(s)],
            ["selection", "X-ray ≤ 2.0 Å, < 30 % identity, 100 ≤ N_AA ≤ 2000, exactly 6 zero modes",
             "in the PISCES list pc30 / ≤ 2.0 Å / R ≤ 0.25 (2018), "
             f"{s['min_residues']} ≤ N ≤ {s['max_residues']}, a connected 9 Å network with exactly 6 zero modes "
             "(others counted and excluded)"],
            ["model", "ANM, r_C = 9.0 Å, κ = 1", f"C-alpha ANM, cutoff {s['anm']['cutoff']} Å, gamma {s['anm']['gamma']}"],
            ["spectrum fitted", "σ_i = 1/λ̃_i (App. D.2)", "σ_i = 1/λ̃_i over the non-zero modes (H⁺)"],
            ["K (tested values)", "λ_cutoff = top 1/10 (App. D.4)",
             ", ".join(rule_label(r) for r in s["k_rules"]) + " (K capped at n)"],
            ["eigensolver", "not stated", f"all 3N eigenvalues, float64 (CPU: NumPy's LAPACK per chain; GPU: padded "
                                          f"batches through torch), jobs = {s['jobs'] or 'all cores'}"]]


def _reason(r: dict) -> str:
    if r["status"] == "extra_zero_modes":
        return "connected, > 6 zero modes, fewest contacts of a node: " + r["reason"].rsplit(":", 1)[-1].strip(" )")
    if r["status"] == "disconnected":
        return "disconnected 9 Å network: " + r["reason"].rsplit("has", 1)[-1].strip()
    return f"{r['status']}: {r['reason']}"


def counts_markdown(study: ProteinSet) -> str:
    """Per archive and 3N bin: chains on disk, in this scale's set, kept (six zero modes) and dropped by
    status; then the reasons of the dropped chains (grouped, most common first)."""
    rows = study.result.rows
    dropped = [s for s in STATUSES if s != "ok" and any(r["status"] == s for r in rows)]
    head = ["archive", "3N bin", "on disk", "in this set", "kept (6 zero modes)", *[f"dropped: {s}" for s in dropped]]
    body = []
    tot = Counter()
    for c in screen_counts(rows):
        label = BIN_LABELS[c["bin"]] if c["bin"] >= 0 else "outside the bins"
        disk = study.on_disk.get((c["archive"], c["bin"]), 0)
        body.append([c["archive"], label, disk, c["total"], c["ok"], *[c[s] for s in dropped]])
        tot.update({"disk": disk, "total": c["total"], "ok": c["ok"], **{s: c[s] for s in dropped}})
    body.append(["**all**", "", sum(study.on_disk.values()), tot["total"], tot["ok"], *[tot[s] for s in dropped]])
    text = md(head, body)
    fails = Counter(_reason(r) for r in rows if r["status"] != "ok")
    src = Counter((r.get("source", "?"), r["status"] == "ok") for r in rows)
    sources = sorted({k[0] for k in src})
    text += "\n\nBy source (kept / in this set): " + ", ".join(
        f"`{s}` {src[(s, True)]} / {src[(s, True)] + src[(s, False)]}" for s in sources) + "."
    if fails:
        text += "\n\nDropped chains by reason (most common first):\n\n" + md(
            ["reason", "chains"], [[k, v] for k, v in fails.most_common(12)])
    return text


def _cell(d: dict, k: str, with_ci: bool = True) -> str:
    e, sd = d[k]["mean"], d[k]["sd"]
    if d["count"] == 0 or not np.isfinite(d[k]["point"]):
        return "—"
    text = f"{d[k]['point']:.3f}" + (f" ± {sd:.3f}" if np.isfinite(sd) else "")
    if with_ci and np.isfinite(e.lo):
        text += f" [{e.lo:.3f}, {e.hi:.3f}]"
    return text


def bin_table(study: ProteinSet, what: Sequence[str] = ("beta", "s", "ratio"), rule: str | int = "tenth") -> str:
    """Table 13's layout: per 3N bin and overall, the chains, then per statistic the paper's
    mean ± sd and ours as mean ± sd [95 % interval of the mean] (K = ``rule``)."""
    stats = bin_statistics(study.fits[rule])
    head = ["", *BIN_LABELS, f"{SIZE_BINS[0][0]} ≤ 3N ≤ {SIZE_BINS[-1][1]}"]
    body = [["chains (paper: 9,166 in all)", *[d["count"] for d in stats]]]
    names = {"beta": "β̂", "s": "ŝ", "ratio": "d_ks/d_c"}
    for w in what:
        if rule == "tenth":
            pm, sd = PAPER_SET[w]["mean"], PAPER_SET[w].get("sd")
            body.append([f"{names[w]} paper", *[f"{pm[i]:.3f}" + (f" ± {sd[i]:.3f}" if sd else "")
                                                for i in range(len(pm))]])
        body.append([f"{names[w]} this run", *[_cell(d, w) for d in stats]])
    if "ratio" in what:
        body.append(["fraction accepted (d_ks/d_c < 1)", *[("—" if not d["count"] else f"{d['accepted']:.3f}")
                                                            for d in stats]])
    note = ("± is the standard deviation across chains, [ ] the 95 % t interval of the mean. The paper "
            "calls its ± a standard error; with thousands of proteins per bin it can only be the spread.")
    return f"**{rule_label(rule)}**\n\n" + md(head, body) + "\n\n" + note


def textbook_line(study: ProteinSet) -> str:
    """One line: mean d_ks/d_c and the fraction accepted with the paper's KS distance and the textbook one."""
    ours, tb = study.summary["tenth"][-1], study.textbook["tenth"][-1]
    return (f"With K = ⌊n/10⌋: mean d_ks/d_c {ours['mean_ratio']:.3f} (textbook two-sided KS distance: "
            f"{tb['mean_ratio']:.3f}), accepted {ours['accepted']:.3f} (textbook: {tb['accepted']:.3f}); "
            f"{study.result.computed_chunks} chunks computed, {study.result.cached_chunks} from the cache "
            f"({study.result.seconds:.0f} s).")


def paper_n_line() -> str:
    return f"The paper: {PROTEIN_SET['n_proteins']} protein molecules."
