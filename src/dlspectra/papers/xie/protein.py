"""Page helpers of Xie's protein pages (Section 5, App. C-D): the shared computations, setup rows, tables and plots."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from dlspectra.fits import PowerLawFit
from dlspectra.proteins import (SET_VERSION, Chain, ProteinSpectrum, SetResult, load_ca_archive, load_ca_entries, load_pdb,
                                process_chains, protein_spectrum, rule_label)

# ----------------------------------------------------------------------------- page helpers (Xie's protein pages)

PAPER_4HHB = {"k": 1000, "d_ks": 0.0145, "d_c": 0.0430, "accepted": True, "beta": 2.008, "sigma": 0.032, "s": 0.992}
"""Xie Table 11 (= Figs. 8/9)."""
PAPER_SET = {
    "n_proteins": 9166,
    "beta": {"mean": [1.976, 1.973, 2.004, 1.975], "sd": [0.143, 0.103, 0.080, 0.128]},
    "s": {"mean": [1.050, 1.041, 1.002, 1.045], "sd": [0.175, 0.119, 0.084, 0.155]},
    "ratio": {"mean": [0.304, 0.292, 0.317, 0.300]},
    "accepted": 1.0,
}
"""Xie Tables 4/12/13 per 3N bin [300,1000], [1000,3000], [3000,6000] and overall [300,6000]."""


def structure_spectra(p: dict, *, cache: Any = None) -> dict[str, ProteinSpectrum]:
    """4HHB's ANM spectrum through ProDy and through the batched path, cached (shared by fig08/fig09/tab11).

    ``p``: a page preset with a ``structure`` entry (see ``papers/xie/presets/protein.py``). Returns
    ``{"prody": ..., "batched": ...}``. Raises ``DataMissingError`` when the PDB file is absent.
    """
    from dlspectra.cache import Cache
    from dlspectra.data import require_file, sha256_file

    s = p["structure"]
    path = require_file(s["pdb"])
    cache = Cache() if cache is None else cache
    chain: list[Chain] = []

    def get_chain() -> Chain:
        if not chain:
            chain.append(load_pdb(path, name=s["protein"]))
        return chain[0]

    out = {}
    for method in ("prody", "batched"):
        cfg = {"pdb_sha256": sha256_file(path), "method": method, **s["anm"], "version": SET_VERSION}

        def compute(method: str = method) -> dict:
            t0 = time.perf_counter()
            spec = protein_spectrum(get_chain(), method=method, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"])
            return {"eigenvalues": spec.eigenvalues, "n_residues": np.array(spec.n_residues),
                    "seconds": np.array(time.perf_counter() - t0)}

        payload = cache.get_or_compute("anm_structure", cfg, compute, kind="npz")
        out[method] = ProteinSpectrum(s["protein"], int(payload["n_residues"]), payload["eigenvalues"],
                                      seconds=float(payload["seconds"]))
    return out


def protein_set(p: dict, *, which: str = "set", device: str = "cpu", progress: bool = True,
                cache: Any = None) -> SetResult:
    """The large-set computation of a page preset (fig10, tab04, tab12, tab13 share it).

    ``which="set"``: single chains (``p["set"]``); ``which="entries"``: whole PDB entries, chains
    joined as for 4HHB (``p["entries"]``, see :func:`load_ca_entries`). Loads the archive
    (``DataMissingError`` when absent), takes the seeded subset and runs :func:`process_chains` with
    the preset's settings; identical presets give identical cache keys.
    """
    s = p[which]
    if which == "entries":
        chains = load_ca_entries(s["archive"], qualifying_only=s["qualifying_only"], n=s["n_chains"], seed=s["seed"],
                                 max_residues=s.get("subset_max_residues"))
        res = process_chains(chains, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"], jobs=s["jobs"],
                             chunk_size=s["chunk_size"], device=str(device), min_residues=s["min_residues"],
                             max_residues=s["max_residues"], cache=cache, progress=progress, desc="ANM spectra (entries)")
        res.config["archive"] = s["archive"]
        return res
    chains = load_ca_archive(s["archive"], qualifying_only=s["qualifying_only"], n=s["n_chains"], seed=s["seed"])
    res = process_chains(chains, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"], jobs=s["jobs"],
                         chunk_size=s["chunk_size"], device=str(device), min_residues=s["min_residues"],
                         max_residues=s["max_residues"], cache=cache, progress=progress)
    res.config["archive"] = s["archive"]
    res.config["n_available"] = len(load_ca_archive(s["archive"], qualifying_only=s["qualifying_only"])) \
        if s["n_chains"] is not None else len(chains)
    return res


READINGS = {"chains": "single chains", "entries": "whole PDB entries (chains joined, like 4HHB)"}
"""The two readings of the paper's "protein molecule" used on the set pages."""


def protein_sets(p: dict, *, device: str = "cpu", progress: bool = True, cache: Any = None) -> dict[str, SetResult]:
    """Both readings of the large set: ``{"chains": ..., "entries": ...}`` (see :func:`protein_set`)."""
    return {"chains": protein_set(p, which="set", device=device, progress=progress, cache=cache),
            "entries": protein_set(p, which="entries", device=device, progress=progress, cache=cache)}


def structure_setup_rows(p: dict) -> list[list]:
    """Setup table rows (paper vs this run) of the 4HHB pages."""
    s = p["structure"]
    return [["structure", "PDB 4HHB (deoxyhaemoglobin, 4 chains)", f"{s['protein']} from the data folder ({s['pdb']})"],
            ["nodes", "one per residue (574)", "C-alpha atoms, all chains joined"],
            ["model", "ANM, r_C = 9.0 Å, κ = 1", f"ANM, cutoff {s['anm']['cutoff']} Å, gamma {s['anm']['gamma']}"],
            ["spectrum fitted", "σ_i = 1/λ̃_i of H (App. D.2)", "σ_i = 1/λ̃_i over the non-zero modes (H⁺)"],
            ["K (tested values)", "1000 (Table 11); 'top 1/10' (App. D.4)",
             ", ".join(rule_label(r) for r in s["k_rules"])],
            ["eigensolver", "not stated", "ProDy calcModes (all modes); checked against our batched torch path"]]


def set_setup_rows(p: dict) -> list[list]:
    """Setup table rows (paper vs this run) of the large-set pages."""
    s = p["set"]
    n = "all qualifying chains (747)" if s["n_chains"] is None else f"seeded subset of {s['n_chains']} of the 747 (seed {s['seed']})"
    return [["structures", "9,166 PDB entries (list not published)", f"{n} chains of the data folder's `{s['archive']}` archive"],
            ["selection", "X-ray ≤ 2.0 Å, < 30 % identity, 100 ≤ N_AA ≤ 2000, exactly 6 zero modes",
             "in the PISCES list pc30 / ≤ 2.0 Å / R ≤ 0.25 (2018), "
             f"{s['min_residues']} ≤ N ≤ {s['max_residues']}, exactly 6 zero modes (others counted, excluded)"],
            ["model", "ANM, r_C = 9.0 Å, κ = 1", f"C-alpha ANM, cutoff {s['anm']['cutoff']} Å, gamma {s['anm']['gamma']}"],
            ["spectrum fitted", "σ_i = 1/λ̃_i (App. D.2)", "σ_i = 1/λ̃_i over the non-zero modes (H⁺)"],
            ["K (tested values)", "λ_cutoff = top 1/10 (App. D.4)",
             ", ".join(rule_label(r) for r in s["k_rules"]) + " (K capped at n)"],
            ["eigensolver", "not stated", f"batched torch eigvalsh (float64), jobs = {s['jobs'] or 'all cores'}"]]


def entries_setup_rows(p: dict) -> list[list]:
    """Setup table rows of the second reading: whole PDB entries (chains joined, like 4HHB)."""
    s = p["entries"]
    n = "all" if s["n_chains"] is None else f"a seeded subset of {s['n_chains']} (seed {s['seed']})"
    cap = "" if s.get("subset_max_residues") is None else f" among those with ≤ {s['subset_max_residues']} residues"
    return [["structures", "9,166 PDB entries", f"{n}{cap} of the 730 `{s['archive']}` entries with a qualifying chain"],
            ["nodes", "residues of the protein molecule", "C-alpha atoms of all the entry's chains in the archive, joined"],
            ["selection", "100 ≤ N_AA ≤ 2000, exactly 6 zero modes",
             f"{s['min_residues']} ≤ N ≤ {s['max_residues']}, exactly 6 zero modes (others counted, excluded)"],
            ["K", "top 1/10", ", ".join(rule_label(r) for r in s["k_rules"]) + " (K capped at n)"]]


def fit_markdown(rows: Sequence[tuple[str, PowerLawFit | dict]], paper: dict | None = None) -> str:
    """Markdown table of Xie's KS statistics (Table 11 layout): one row per (label, fit), paper first."""
    from dlspectra.book.results import markdown_table

    head = ["", "K", "d_ks", "d_c", "power law", "β̂ ± σ", "ŝ (= 1/(β̂−1))", "ŝ_OLS"]
    body = []
    if paper is not None:
        body.append(["paper (Table 11)", str(paper["k"]), f"{paper['d_ks']:.4f}", f"{paper['d_c']:.4f}",
                     "Yes" if paper["accepted"] else "No", f"{paper['beta']:.3f} ± {paper['sigma']:.3f}",
                     f"{paper['s']:.3f}", "—"])
    for label, f in rows:
        body.append([label, str(f.k), f"{f.d_ks:.4f}", f"{f.d_c:.4f}", "Yes" if f.accepted else "No",
                     f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}", f"{f.s_ols:.3f}"])
    return markdown_table(head, body)


def bin_label(b: tuple[int, int]) -> str:
    return f"{b[0]} ≤ 3N ≤ {b[1]}"


def summary_markdown(summary: Sequence[dict], *, what: Sequence[str] = ("beta", "s", "ratio"),
                     paper: dict | None = PAPER_SET) -> str:
    """Markdown table in Table 13's layout: rows = statistic (paper and ours), columns = 3N bins + overall."""
    from dlspectra.book.results import markdown_table

    head = ["", *[bin_label(r["bin"]) for r in summary]]
    body = [["structures (this run)", *[str(r["count"]) for r in summary]]]
    names = {"beta": "β̂", "s": "ŝ", "ratio": "d_ks/d_c", "accepted": "fraction accepted"}
    for w in what:
        if paper is not None and isinstance(paper.get(w), dict):
            pm = paper[w]["mean"]
            sd = paper[w].get("sd")
            body.append([f"{names[w]} paper", *[f"{pm[i]:.3f}" + (f" ± {sd[i]:.3f}" if sd else "") for i in range(len(pm))]])
        cells = []
        for r in summary:
            if r["count"] == 0:
                cells.append("—")
            elif w == "ratio":
                cells.append(f"{r['mean_ratio']:.3f} (max {r['max_ratio']:.3f})")
            elif w == "accepted":
                cells.append(f"{r['accepted']:.3f}")
            else:
                m, sd = r[f"mean_{w}"], r[f"sd_{w}"]
                cells.append(f"{m:.3f}" + (f" ± {sd:.3f}" if np.isfinite(sd) else ""))
        body.append([f"{names[w]} this run", *cells])
    return markdown_table(head, body)


def counts_markdown(res: SetResult) -> str:
    """Markdown table: how many chains per status, and the reasons of the failures (grouped)."""
    from collections import Counter

    from dlspectra.book.results import markdown_table

    c = res.counts()
    body = [[k, str(v)] for k, v in c.items() if k != "total" and (v or k == "ok")]
    body.append(["total", str(c["total"])])
    text = markdown_table(["status", "structures"], body)
    def group(r: dict) -> str:
        if r["status"] == "extra_zero_modes":
            return "connected, > 6 zero modes, fewest contacts of a node: " + r["reason"].rsplit(":", 1)[-1].strip(" )")
        if r["status"] == "disconnected":
            return "disconnected: " + r["reason"].rsplit("has", 1)[-1].strip()
        return f"{r['status']}: {r['reason']}"

    fails = Counter(group(r) for r in res.failures())
    if fails:
        text += "\n\nExcluded structures by reason (most common first):\n\n" + markdown_table(
            ["reason", "structures"], [[k, str(v)] for k, v in fails.most_common(12)])
    return text


def plot_inverse_spectrum(ax: Any, spec: ProteinSpectrum, rules: Sequence[str | int] = ("tenth", 1000)) -> None:
    """Xie Fig. 8b: normalised σ̂_i = σ_i/σ_1 against i (log-log), with the fitted line of each K rule."""
    from dlspectra.book.plotting import rank_plot

    fits = [spec.fit(r) for r in rules]
    rank_plot(ax, spec.sigma, label=f"{spec.id}: σ̂_i = σ_i/σ_1 (n = {spec.n_modes})", fit=fits[0], normalise=True,
              color="C0")
    sigma1 = spec.sigma[0]
    for j, (r, f) in enumerate(zip(rules[1:], fits[1:])):
        kk = np.arange(1, f.k + 1)
        ax.loglog(kk, f.lambda_max / sigma1 * kk ** (-f.s_mle), "--", lw=1.2, color=f"C{j + 1}",
                  label=f"fit K = {f.k}: ŝ = {f.s_mle:.3f}")
    ax.set_xlabel("rank i")
    ax.set_ylabel("σ̂_i = σ_i / σ_1")
    ax.legend(fontsize=8)


