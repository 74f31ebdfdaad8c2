"""Page helpers of Xie's protein pages (Section 5, App. C-D): the shared computations, setup rows, tables and plots."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlspectra.errors import DataCorruptError, DataMissingError
from dlspectra.fits import PowerLawFit
from dlspectra.proteins import (SET_VERSION, Chain, ProteinSpectrum, SetResult, load_ca_archive, load_ca_entries, load_pdb,
                                process_chains, protein_spectrum, rule_label)

from dlspectra.papers.xie.reference import KsRow, values
from dlspectra.papers.xie.reference.protein import HEMOGLOBIN, PROTEIN_SET

PAPER_SET = values(PROTEIN_SET)
"""Xie Table 13 as floats: per 3N bin [300,1000], [1000,3000], [3000,6000] and overall [300,6000]
(``{"beta"|"s": {"mean", "sd"}, "ratio": {"mean"}, "n_proteins"}``; the data with its places lives
in :mod:`dlspectra.papers.xie.reference.protein`)."""

MISSING_NOTE = ("**Data missing**: the {what} is not in the data folder (`DLSPECTRA_DATA`; see the data README). "
                "This page records its claims as *not run*.")
CORRUPT_NOTE = ("**Data corrupt**: the {what} in the data folder does not match its checksum (replace it; see the "
                "data README). This page records its claims as *not run*.")


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


def fit_markdown(rows: Sequence[tuple[str, PowerLawFit]], paper: KsRow | None = HEMOGLOBIN) -> str:
    """Markdown table of Xie's KS statistics (Table 11 layout): the paper's row first, then one row per (label, fit).

    ``d_ks`` is the paper's convention (the ``powerlaw`` package's), which decides the verdict; the
    textbook two-sided value is shown beside it.
    """
    from dlspectra.book.results import markdown_table

    head = ["", "K", "d_ks", "d_ks textbook", "d_c", "power law", "β̂ ± σ", "ŝ (= 1/(β̂−1))", "ŝ_OLS"]
    body = []
    if paper is not None:
        body.append([f"paper ({paper.d_ks.where})", str(paper.k), paper.d_ks.text, "—", paper.d_c.text,
                     "Yes" if paper.power_law else "No", f"{paper.beta} ± {paper.sigma}", paper.s.text, "—"])
    for label, f in rows:
        body.append([label, str(f.k), f"{f.d_ks:.4f}", f"{f.d_ks_textbook:.4f}", f"{f.d_c:.4f}",
                     "Yes" if f.accepted else "No", f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}", f"{f.s_ols:.3f}"])
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
    """Xie Fig. 8b: normalised σ̂_i = σ_i/σ_1 against i (log-log), with the fitted line of each K rule
    (σ̂_K (K/i)^ŝ over the K tested values, through the smallest of them)."""
    from dlspectra.book.plotting import rank_plot

    fits = [spec.fit(r) for r in rules]
    rank_plot(ax, spec.sigma, label=f"{spec.id}: σ̂_i = σ_i/σ_1 (n = {spec.n_modes})", fit=fits[0], normalise=True,
              color="C0")
    ax.get_lines()[-1].set_label(f"fit K = {fits[0].k}: ŝ = {fits[0].s_mle:.3f}")
    sigma1 = spec.sigma[0]
    for j, f in enumerate(fits[1:]):
        kk = np.arange(1, f.k + 1)
        ax.loglog(kk, f.lambda_cutoff / sigma1 * (f.k / kk) ** f.s_mle, "--", lw=1.2, color=f"C{j + 1}",
                  label=f"fit K = {f.k}: ŝ = {f.s_mle:.3f}")
    ax.set_xlabel("rank i")
    ax.set_ylabel("σ̂_i = σ_i / σ_1")
    ax.legend(fontsize=8)


# ----------------------------------------------------------------------------- 4HHB: fig08, fig09, tab11

@dataclass(frozen=True)
class Hemoglobin:
    """4HHB's inverse-ANM spectrum (ProDy path, checked against the batched one) and its fits per K rule."""

    spectra: dict[str, ProteinSpectrum]     # {"prody", "batched"}
    fits: dict[str | int, PowerLawFit]      # K rule -> fit of σ = 1/λ̃ (the preset's k_rules)

    @property
    def spec(self) -> ProteinSpectrum:
        return self.spectra["prody"]

    @property
    def path_difference(self) -> float:
        """Largest |λ_ProDy − λ_batched| over all modes."""
        return float(np.abs(self.spectra["prody"].eigenvalues - self.spectra["batched"].eigenvalues).max())

    def summary(self) -> str:
        s = self.spec
        return (f"{s.id}: {s.n_residues} residues, {s.n_zero_modes} zero modes, n = {s.n_modes} non-zero modes; "
                f"ProDy vs batched path: largest eigenvalue difference {self.path_difference:.2e} "
                f"(λ_max = {s.eigenvalues.max():.2f})")

    def table(self, extra: Sequence[tuple[str, PowerLawFit]] = (), prefix: str = "this run") -> str:
        """:func:`fit_markdown` of every K rule (and ``extra`` rows), with the paper's Table 11 row."""
        return fit_markdown([(f"{prefix}, {rule_label(r)}", f) for r, f in self.fits.items()] + list(extra))


def hemoglobin(p: dict, *, cache: Any = None) -> Hemoglobin | None:
    """The 4HHB study of a structure preset (fig08, fig09, tab11 call it with their own presets).

    Returns None, after displaying :data:`MISSING_NOTE`, when the PDB file is absent.
    """
    try:
        spectra = structure_spectra(p, cache=cache)
    except (DataMissingError, DataCorruptError) as exc:
        note = CORRUPT_NOTE if isinstance(exc, DataCorruptError) else MISSING_NOTE
        show_markdown(note.format(what=f"structure file `{p['structure']['pdb']}`"))
        return None
    spec = spectra["prody"]
    return Hemoglobin(spectra, {rule: spec.fit(rule) for rule in p["structure"]["k_rules"]})


def hemoglobin_figure(h: Hemoglobin, rules: Sequence[str | int], *, contrast: bool = False) -> Any:
    """Fig. 8b / 9b: the normalised spectrum of H⁺ with the fitted lines; ``contrast`` adds a panel
    with the ANM Hessian's own top-1000 eigenvalues (not a power law, App. D.2)."""
    import matplotlib.pyplot as plt

    from dlspectra.book.plotting import rank_plot

    if not contrast:
        fig, ax = plt.subplots(figsize=(5.2, 4.0))
        plot_inverse_spectrum(ax, h.spec, rules)
        ax.set_title("4HHB, ANM (C-alpha, 9 Å): spectrum of H⁺")
    else:
        fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.8))
        plot_inverse_spectrum(axes[0], h.spec, rules)
        axes[0].set_title("4HHB: spectrum of H⁺ (Fig. 9b)")
        lam = h.spec.eigenvalues[h.spec.eigenvalues > 1e-6]
        rank_plot(axes[1], lam, label="eigenvalues of H", fit=h.spec.fit(1000, of="hessian"), normalise=True, color="C3")
        axes[1].set_title("4HHB: spectrum of H itself (contrast)")
        axes[1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _hb_claims(h: Hemoglobin) -> dict[str, Callable[[], dict]]:
    """Rule and evaluation of every 4HHB claim (Table 11's values from the reference data)."""
    ref = HEMOGLOBIN
    f, ften = h.fits[1000], h.fits.get("tenth")
    return {
        "s-0.992": lambda: dict(rule=f"|ŝ − {ref.s}| ≤ {ref.sigma}", holds=abs(f.s_mle - ref.s.value) <= ref.sigma.value,
                                paper=ref.s.value, measured=f.s_mle),
        "accepted-k1000": lambda: dict(rule="d_ks < d_c", holds=f.accepted,
                                       paper={"d_ks": ref.d_ks.value, "d_c": ref.d_c.value},
                                       measured={"d_ks": f.d_ks, "d_c": f.d_c, "d_ks textbook": f.d_ks_textbook}),
        "accepted-tenth": lambda: dict(rule="d_ks < d_c", holds=ften.accepted, paper="accepted (rule of D.4)",
                                       measured={"K": ften.k, "d_ks": ften.d_ks, "d_c": ften.d_c, "s": ften.s_mle,
                                                 "d_ks textbook": ften.d_ks_textbook}),
        "six-zero-modes": lambda: dict(rule="n_zero_modes == 6", holds=h.spec.n_zero_modes == 6, paper=6,
                                       measured=h.spec.n_zero_modes),
        "beta": lambda: dict(rule=f"|β̂ − {ref.beta}| ≤ {ref.sigma}", holds=abs(f.beta - ref.beta.value) <= ref.sigma.value,
                             paper=f"{ref.beta} ± {ref.sigma}", measured={"beta": f.beta, "sigma": f.sigma}),
        "d_ks": lambda: dict(rule=f"|d_ks − {ref.d_ks}| ≤ 0.005", holds=abs(f.d_ks - ref.d_ks.value) <= 0.005,
                             paper=ref.d_ks.value, measured={"d_ks": f.d_ks, "d_ks textbook": f.d_ks_textbook}),
        "verdict": lambda: dict(rule="d_ks < d_c", holds=f.accepted, paper="Yes",
                                measured={"d_ks": f.d_ks, "d_c": f.d_c, "d_ks textbook": f.d_ks_textbook}),
    }


def hemoglobin_claims(claims: Any, h: Hemoglobin | None, texts: dict[str, str]) -> None:
    """Record the 4HHB claims ``texts`` names (claim id -> text): checked, or not run when ``h`` is None.

    Ids: ``s-0.992`` (|ŝ − 0.992| ≤ 0.032 at K = 1000), ``accepted-k1000``, ``accepted-tenth``
    (d_ks < d_c at K = 1000 / ⌊n/10⌋), ``six-zero-modes``, ``beta`` (|β̂ − 2.008| ≤ 0.032),
    ``d_ks`` (within 0.005 of 0.0145), ``verdict`` (Table 11's "Yes").
    """
    for cid, text in texts.items():
        if h is None:
            claims.not_run(cid, text, reason="data missing")
        else:
            claims.check(cid, text, **_hb_claims(h)[cid]())


# ----------------------------------------------------------------------------- the set: fig10, tab04, tab12, tab13

@dataclass(frozen=True)
class ProteinSets:
    """Both readings of the large set with their fits and Table 13 summaries, per K rule.

    ``fits[(reading, rule)]``: rows of :meth:`SetResult.fits`; ``summary[(reading, rule)]``:
    :func:`~dlspectra.proteins.summarize_by_size` of them; ``textbook[(reading, rule)]``: the same
    summary with the textbook KS distance in place of the paper's (d_ks, ratio, accepted).
    """

    sets: dict[str, SetResult]
    rules: tuple
    fits: dict[tuple[str, str | int], list[dict]] = field(default_factory=dict)
    summary: dict[tuple[str, str | int], list[dict]] = field(default_factory=dict)
    textbook: dict[tuple[str, str | int], list[dict]] = field(default_factory=dict)

    def overall(self, reading: str, rule: str | int = "tenth") -> dict:
        """The summary row of all structures (the last one) of ``reading`` under ``rule``."""
        return self.summary[(reading, rule)][-1]


def textbook_rows(res: SetResult, rule: str | int) -> list[dict]:
    """:meth:`SetResult.fits` rows with d_ks, ratio and accepted from the textbook KS distance."""
    out = []
    for r in res.fits(rule):
        if r["status"] == "ok":
            spec = ProteinSpectrum(r["id"], r["n_residues"], res.spectra[r["id"]], res.config["zero_tol"])
            f = spec.fit(rule)
            r = dict(r, d_ks=f.d_ks_textbook, ratio=f.d_ks_textbook / f.d_c, accepted=bool(f.accepted_textbook))
        out.append(r)
    return out


def protein_set_study(p: dict, *, device: str = "cpu", progress: bool = True, cache: Any = None) -> ProteinSets | None:
    """The large-set study of a set preset (fig10, tab04, tab12, tab13 share it and its cache entries).

    Returns None, after displaying :data:`MISSING_NOTE`, when the archive is absent.
    """
    from dlspectra.proteins import summarize_by_size

    try:
        sets = protein_sets(p, device=device, progress=progress, cache=cache)
    except (DataMissingError, DataCorruptError) as exc:
        note = CORRUPT_NOTE if isinstance(exc, DataCorruptError) else MISSING_NOTE
        show_markdown(note.format(what=f"C-alpha archive `{p['set']['archive']}`"))
        return None
    rules = tuple(p["set"]["k_rules"])
    out = ProteinSets(sets, rules)
    for name, res in sets.items():
        for r in rules:
            out.fits[(name, r)] = res.fits(r)
            out.summary[(name, r)] = summarize_by_size(out.fits[(name, r)])
            out.textbook[(name, r)] = summarize_by_size(textbook_rows(res, r))
    return out


def sets_summary(study: ProteinSets) -> str:
    """Markdown lines: structures per reading, cache use, and the textbook-KS contrast (K = ⌊n/10⌋)."""
    lines = []
    for name, res in study.sets.items():
        c, tb, ours = res.counts(), study.textbook[(name, "tenth")][-1], study.overall(name)
        lines.append(f"* {READINGS[name]}: {c['total']} structures, {c['ok']} with exactly six zero modes "
                     f"({res.computed_chunks} chunks computed, {res.cached_chunks} from the cache); mean d_ks/d_c "
                     f"{ours['mean_ratio']:.3f} (textbook statistic: {tb['mean_ratio']:.3f}), accepted "
                     f"{ours['accepted']:.3f} (textbook: {tb['accepted']:.3f}).")
    return "\n".join(lines)


def summary_tables(study: ProteinSets, what: Sequence[str]) -> str:
    """Markdown: :func:`sets_summary`, then :func:`summary_markdown` per reading and K rule (the paper's
    row beside the D.4 rule only)."""
    parts = [sets_summary(study)]
    for name in study.sets:
        for r in study.rules:
            ref = PAPER_SET if r == "tenth" else None  # the paper's set numbers use the D.4 rule
            parts.append(f"**{READINGS[name]}, {rule_label(r)}**\n\n" + summary_markdown(study.summary[(name, r)],
                                                                                       what=what, paper=ref))
    return "\n\n".join(parts)


def set_setup(page: Any) -> Any:
    """The setup tables of a set page: single chains, then whole entries (paper vs this run)."""
    from dlspectra.book.page import Markdown

    return Markdown(page.setup(set_setup_rows(page.preset)).text + "\n\nThe second reading of \"protein molecule\" "
                    "(the paper's own example, 4HHB, is a four-chain entry): whole PDB entries, all chains of the entry "
                    "joined.\n\n" + page.setup(entries_setup_rows(page.preset)).text)


def slope_by_size_claims(claims: Any, study: ProteinSets | None) -> None:
    """The claims of Tables 4 and 12 (the same table, printed twice): mean ŝ ≈ 1 per size bin, spread shrinking."""
    from dlspectra.proteins import SIZE_BINS

    sd = " → ".join(r.text for r in PROTEIN_SET["s"]["sd"][:3])
    set_claims(claims, study, {**{f"s-bin{b + 1}": f"mean ŝ ≈ 1 for {bin_label(SIZE_BINS[b])}" for b in range(len(SIZE_BINS))},
                               "spread-shrinks": f"the spread of ŝ shrinks as proteins grow ({sd})"})


def slope_by_size_figure(study: ProteinSets | None) -> Any:
    """Tables 4/12 as a figure: ŝ per size bin for each reading (paper's bin means dashed), and ŝ against 3N.

    None (no figure) when ``study`` is None (data missing).
    """
    import matplotlib.pyplot as plt

    from dlspectra.proteins import SIZE_BINS, size_bin

    if study is None:
        return None
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    for ax, name in zip(axes[:2], study.sets):
        ok = [r for r in study.fits[(name, "tenth")] if np.isfinite(r["s"])]
        for b, (lo, hi) in enumerate(SIZE_BINS):
            s_bin = np.array([r["s"] for r in ok if size_bin(r["dof"]) == b])
            if s_bin.size:
                ax.hist(s_bin, bins=25, alpha=0.6, color=f"C{b}", label=f"{bin_label((lo, hi))} ({s_bin.size})")
            ax.axvline(PAPER_SET["s"]["mean"][b], color=f"C{b}", ls="--", lw=1)
        ax.set_xlabel("ŝ = 1/(β̂−1)")
        ax.set_ylabel("structures")
        ax.legend(fontsize=7)
        ax.set_title(READINGS[name].split(" (")[0])
        axes[2].scatter([r["dof"] for r in ok], [r["s"] for r in ok], s=8, alpha=0.5, label=READINGS[name].split(" (")[0])
    axes[2].axhline(1.0, color="k", lw=0.8)
    axes[2].set_xlabel("3N")
    axes[2].set_ylabel("ŝ")
    axes[2].legend(fontsize=7)
    axes[2].set_title("ŝ against size")
    fig.tight_layout()
    return fig


MIN_PER_BIN = 10
"""Structures a size bin needs before a claim about it is decided (fewer: inconclusive)."""


def _usable(summ: list[dict]) -> list[dict]:
    return [r for r in summ[:-1] if r["count"] >= MIN_PER_BIN]


def _set_claim(study: ProteinSets, name: str, cid: str) -> dict:
    """Rule and evaluation of one set claim (id without the reading prefix) for reading ``name`` (K = ⌊n/10⌋)."""
    from dlspectra.proteins import SIZE_BINS

    ref = PAPER_SET
    summ = study.summary[(name, "tenth")]
    allr, tb = summ[-1], study.textbook[(name, "tenth")][-1]
    n_total = study.sets[name].counts()["total"]
    if cid == "all-pass":
        return dict(rule="fraction with d_ks/d_c < 1 = 1 (K = ⌊n/10⌋)", holds=allr["accepted"] == 1.0,
                    paper=f"{PROTEIN_SET['n_proteins']} of {PROTEIN_SET['n_proteins']}",
                    measured={"accepted": f"{int(round(allr['accepted'] * allr['count']))} of {allr['count']}",
                              "max ratio": allr["max_ratio"], "accepted, textbook d_ks": tb["accepted"]},
                    note=f"{n_total - allr['count']} structures excluded before the test (see the counts table)")
    if cid == "mean-ratio":
        return dict(rule=f"|mean d_ks/d_c − {ref['ratio']['mean'][3]:.3f}| ≤ 0.10",
                    holds=abs(allr["mean_ratio"] - ref["ratio"]["mean"][3]) <= 0.10, paper=ref["ratio"]["mean"][3],
                    measured={"mean ratio": allr["mean_ratio"], "textbook": tb["mean_ratio"]})
    if cid in ("mean-beta", "mean-s"):
        w = cid.split("-")[1]
        m, sd = ref[w]["mean"][3], ref[w]["sd"][3]
        return dict(rule=f"|mean {'β̂' if w == 'beta' else 'ŝ'} − {m:.3f}| ≤ 0.05", holds=abs(allr[f"mean_{w}"] - m) <= 0.05,
                    paper=f"{m:.3f} ± {sd:.3f}", measured={"mean": allr[f"mean_{w}"], "sd": allr[f"sd_{w}"]})
    if cid.startswith("s-bin"):
        b = int(cid[len("s-bin"):]) - 1
        row, enough = summ[b], summ[b]["count"] >= MIN_PER_BIN
        return dict(rule=f"0.85 ≤ mean ŝ ≤ 1.25 (needs ≥ {MIN_PER_BIN} structures)",
                    holds=(0.85 <= row["mean_s"] <= 1.25) if enough else None,
                    paper=f"{ref['s']['mean'][b]:.3f} ± {ref['s']['sd'][b]:.3f}",
                    measured={"mean": row["mean_s"], "sd": row["sd_s"], "n": row["count"]},
                    note="" if enough else f"only {row['count']} structures of {bin_label(SIZE_BINS[b])} here")
    usable = _usable(summ)
    few = "" if len(usable) >= 2 else f"fewer than two size bins hold {MIN_PER_BIN} structures"
    if cid == "spread-shrinks":
        return dict(rule=f"sd(ŝ) decreases across bins with ≥ {MIN_PER_BIN} structures (at least two such bins)",
                    holds=(all(a["sd_s"] > c["sd_s"] for a, c in zip(usable, usable[1:])) if len(usable) >= 2 else None),
                    paper=ref["s"]["sd"][:3], measured={"sd": [r["sd_s"] for r in summ[:-1]],
                                                         "n": [r["count"] for r in summ[:-1]]}, note=few)
    if cid == "size-trend":
        trend = None
        if len(usable) >= 2:
            trend = all(abs(a["mean_s"] - 1) > abs(c["mean_s"] - 1) and a["sd_s"] > c["sd_s"]
                        for a, c in zip(usable, usable[1:]))
        return dict(rule=f"|mean ŝ − 1| and sd(ŝ) decrease across bins with ≥ {MIN_PER_BIN} structures", holds=trend,
                    paper={"mean": ref["s"]["mean"][:3], "sd": ref["s"]["sd"][:3]},
                    measured={"mean": [r["mean_s"] for r in summ[:-1]], "sd": [r["sd_s"] for r in summ[:-1]],
                              "n": [r["count"] for r in summ[:-1]]}, note=few)
    raise KeyError(f"unknown protein-set claim {cid!r}")


def set_claims(claims: Any, study: ProteinSets | None, texts: dict[str, str]) -> None:
    """Record the set claims ``texts`` names (id -> text) for both readings (entry-reading ids prefixed
    ``entries-``, texts tagged with the reading); not run when ``study`` is None.

    Ids (all with K = ⌊n/10⌋): ``all-pass`` (every structure d_ks/d_c < 1), ``mean-ratio`` (within
    0.10 of 0.300), ``mean-beta`` / ``mean-s`` (within 0.05 of 1.975 / 1.045), ``s-bin1..3`` (mean ŝ
    in [0.85, 1.25], bins of ≥ 10 structures), ``spread-shrinks`` (sd(ŝ) decreases with size),
    ``size-trend`` (|mean ŝ − 1| and sd(ŝ) decrease with size).

    A claim that fails or cannot be decided carries the :func:`set_claim_trend` of its statistic over
    nested subsets of the set (no new spectra); the trend never changes the verdict.
    """
    for name, prefix in [("chains", ""), ("entries", "entries-")]:
        trend = set_trend(study, name) if study is not None else None
        for cid, text in texts.items():
            tagged = f"{text} [{READINGS[name]}]"
            if study is None:
                claims.not_run(prefix + cid, tagged, reason="data missing")
            else:
                d = _set_claim(study, name, cid)
                if d["holds"] is not True:
                    d["trend"] = set_claim_trend(study, name, cid, trend)
                claims.check(prefix + cid, tagged, **d)


def show_markdown(text: str) -> None:
    """Display ``text`` as Markdown in a notebook (printed elsewhere)."""
    from dlspectra.book.page import Markdown

    try:
        from IPython.display import display

        display(Markdown(text))
    except ImportError:  # pragma: no cover - IPython is part of the book environment
        print(text)


# ----------------------------------------------------------------------------- scale trends in the set size (issue 13)

TREND_FRACTIONS = (0.25, 0.5, 1.0)
"""Settings of the set-size trend: nested seeded subsets holding these fractions of a reading's structures."""


def nested_subsets(ids: Sequence[str], fractions: Sequence[float] = TREND_FRACTIONS, *, seed: int = 0) -> list[list[str]]:
    """Nested seeded subsets of ``ids``: the first ``round(f n)`` of one seeded permutation for each
    fraction ``f`` of ``fractions`` (ascending, in (0, 1]), each returned in the order of ``ids``.

    Each subset contains the previous one; the last is all of ``ids`` when the last fraction is 1.
    """
    f = [float(x) for x in fractions]
    if not f or any(not 0 < x <= 1 for x in f) or any(b <= a for a, b in zip(f, f[1:])):
        raise ValueError(f"fractions must be strictly increasing in (0, 1], got {fractions!r}")
    ids = list(ids)
    order = np.random.default_rng(seed).permutation(len(ids))
    out = []
    for x in f:
        chosen = set(order[:max(1, int(round(x * len(ids))))].tolist())
        out.append([ids[i] for i in range(len(ids)) if i in chosen])
    return out


@dataclass(frozen=True)
class SetTrend:
    """The Table 13 summary (K = ⌊n/10⌋) of one reading on nested subsets of its structures."""

    reading: str
    sizes: list[int]                 # structures in each subset (all statuses, as in the counts table)
    summaries: list[list[dict]]      # summarize_by_size of the subset's fit rows, per subset


def set_trend(study: ProteinSets, reading: str, *, seed: int = 0,
              fractions: Sequence[float] = TREND_FRACTIONS) -> SetTrend:
    """:class:`SetTrend` of ``reading`` over :func:`nested_subsets` of all its structures (those excluded
    before the test included, so a subset is a smaller set drawn the same way). No new spectra: the
    fits of the cached computation are re-summarised."""
    from dlspectra.proteins import summarize_by_size

    ids = [r["id"] for r in study.sets[reading].rows]
    rows = study.fits[(reading, "tenth")]
    subsets = nested_subsets(ids, fractions, seed=seed)
    return SetTrend(reading, [len(s) for s in subsets],
                    [summarize_by_size([r for r in rows if r["id"] in set(s)]) for s in subsets])


def _pair_margins(summ: list[dict], bins: Sequence[int]) -> tuple[float, float]:
    """Over consecutive bins of ``bins``: the largest increase of |mean ŝ − 1| and the largest
    increase of sd(ŝ) (both < 0: the size trend holds). NaN when a bin holds fewer than 2 structures."""
    if len(bins) < 2 or any(summ[b]["count"] < 2 for b in bins):
        return math.nan, math.nan
    dm = max(abs(summ[c]["mean_s"] - 1) - abs(summ[a]["mean_s"] - 1) for a, c in zip(bins, bins[1:]))
    ds = max(summ[c]["sd_s"] - summ[a]["sd_s"] for a, c in zip(bins, bins[1:]))
    return float(dm), float(ds)


def set_claim_trend(study: ProteinSets, reading: str, cid: str, trend: SetTrend | None = None) -> dict:
    """The :func:`~dlspectra.book.results.scale_trend` of a set claim (id without the reading prefix)
    over the nested subsets of :func:`set_trend`.

    When the full set cannot decide the claim (too few structures in a bin), the statistic is the
    number of structures in the bin(s) it needs, "no clear trend" (a count says nothing about the
    paper's value; it shows how far the set is from deciding). Otherwise: ``s-binB`` the distance of
    mean ŝ to [0.85, 1.25] (toward the paper when it falls); ``spread-shrinks`` the largest increase
    of sd(ŝ) between usable bins, ``size-trend`` the larger of the largest increases of |mean ŝ − 1|
    and of sd(ŝ) (< 0: holds; toward when it falls); ``all-pass`` the fraction accepted (toward when
    it rises); ``mean-*`` the distance to the paper's mean (toward when it falls).
    """
    from dlspectra.book.results import scale_trend
    from dlspectra.papers.xie.eigengaps import monotone_moves
    from dlspectra.proteins import SIZE_BINS

    t = trend or set_trend(study, reading)
    full = t.summaries[-1]
    axis = f"structures in the set ({READINGS[reading].split(' (')[0]}; nested seeded subsets)"
    usable = [b for b in range(len(SIZE_BINS)) if full[b]["count"] >= MIN_PER_BIN]

    def counts(bins: Sequence[int], what: str) -> dict:
        vals = [sum(s[b]["count"] for b in bins) for s in t.summaries]
        return scale_trend(axis, t.sizes, vals, moves="no clear trend",
                           statistic=f"structures with {what} (the claim needs ≥ {MIN_PER_BIN}{' each' if len(bins) > 1 else ''})")

    def judged(vals: list[float], toward_if: str, name: str) -> dict:
        return scale_trend(axis, t.sizes, [None if not np.isfinite(v) else round(float(v), 4) for v in vals],
                           moves=monotone_moves(vals, toward_if=toward_if), statistic=name)

    if cid.startswith("s-bin"):
        b = int(cid[len("s-bin"):]) - 1
        if b not in usable:
            return counts([b], bin_label(SIZE_BINS[b]))
        dist = [max(0.85 - s[b]["mean_s"], s[b]["mean_s"] - 1.25, 0.0) for s in t.summaries]
        return judged(dist, "down", f"distance of mean ŝ ({bin_label(SIZE_BINS[b])}) to [0.85, 1.25]")
    if cid in ("spread-shrinks", "size-trend"):
        if len(usable) < 2:
            missing = [b for b in range(1, len(SIZE_BINS)) if b not in usable][:1]
            return counts(missing, bin_label(SIZE_BINS[missing[0]]) + ", the second bin to compare")
        m = [_pair_margins(s, usable) for s in t.summaries]
        if cid == "spread-shrinks":
            return judged([x[1] for x in m], "down", "largest increase of sd(ŝ) to a larger bin (< 0: holds)")
        return judged([max(x) for x in m], "down",
                      "larger of the largest increases of |mean ŝ − 1| and of sd(ŝ) to a larger bin (< 0: holds)")
    if cid == "all-pass":
        return judged([s[-1]["accepted"] for s in t.summaries], "up", "fraction accepted (K = ⌊n/10⌋)")
    if cid.startswith("mean-"):
        w = cid.split("-")[1]
        key, ref = ("mean_ratio", PAPER_SET["ratio"]["mean"][3]) if w == "ratio" else (f"mean_{w}", PAPER_SET[w]["mean"][3])
        return judged([abs(s[-1][key] - ref) for s in t.summaries], "down", f"|{key} − {ref:.3f}|")
    raise KeyError(f"unknown protein-set claim {cid!r}")


def set_trend_markdown(study: ProteinSets | None, readings: Sequence[str] = ("chains", "entries")) -> str:
    """Markdown: per reading and nested subset, the structures, and per 3N bin the count, mean ŝ and sd(ŝ)."""
    from dlspectra.book.results import markdown_table
    from dlspectra.proteins import SIZE_BINS

    if study is None:
        return ""
    head = ["reading", "structures", *[f"{bin_label(b)}: n, mean ŝ ± sd" for b in SIZE_BINS]]
    body = []
    for name in readings:
        t = set_trend(study, name)
        for n, summ in zip(t.sizes, t.summaries):
            cells = []
            for r in summ[:-1]:
                if r["count"] == 0:
                    cells.append("0")
                else:
                    sd = f" ± {r['sd_s']:.3f}" if np.isfinite(r["sd_s"]) else ""
                    cells.append(f"{r['count']}, {r['mean_s']:.3f}{sd}")
            body.append([READINGS[name].split(" (")[0], str(n), *cells])
    return markdown_table(head, body)


def archive_size_counts(p: dict) -> dict[str, list[int]]:
    """How many of all the archive's qualifying chains (and entries, chains joined) fall in each 3N bin
    by size alone (before the six-zero-mode screen, no spectra): the most any offline set could hold.

    ``{"chains": [n per bin], "entries": [n per bin]}`` for the preset's archive.
    """
    from dlspectra.proteins import SIZE_BINS, size_bin

    s, e = p["set"], p["entries"]
    chains = load_ca_archive(s["archive"], qualifying_only=s["qualifying_only"])
    entries = load_ca_entries(e["archive"], qualifying_only=e["qualifying_only"])
    out = {}
    for name, items, lo, hi in (("chains", chains, s["min_residues"], s["max_residues"]),
                                ("entries", entries, e["min_residues"], e["max_residues"])):
        dofs = [3 * len(c.coords) for c in items if lo <= len(c.coords) <= hi]
        out[name] = [sum(1 for d in dofs if size_bin(d) == b) for b in range(len(SIZE_BINS))]
    return out


def set_trend_sentence(study: ProteinSets | None, p: dict, cids: Sequence[str]) -> str:
    """Prose: what the set-size trends of those claims of ``cids`` (ids without the reading prefix) show
    that fail or cannot be decided, for both readings, with the archive's size-only counts (what a
    larger offline set could add)."""
    if study is None:
        return ""
    from dlspectra.proteins import SIZE_BINS

    caps = archive_size_counts(p)
    parts = []
    for name in ("chains", "entries"):
        t = set_trend(study, name)
        for cid in cids:
            if _set_claim(study, name, cid)["holds"] is True:
                continue
            tr = set_claim_trend(study, name, cid, t)
            vals = " → ".join("—" if v is None else (f"{v:g}" if isinstance(v, int) else f"{v:.3f}") for v in tr["values"])
            parts.append(f"{READINGS[name].split(' (')[0]} `{cid}`: {tr['statistic']} at "
                         f"{' → '.join(map(str, t.sizes))} structures: {vals} ({tr['moves']})")
    bins = ", ".join(f"{bin_label(b)}: {caps['chains'][i]} chains / {caps['entries'][i]} entries"
                     for i, b in enumerate(SIZE_BINS))
    cap = p["entries"].get("subset_max_residues")
    cap_text = ("" if cap is None else f"; this scale's entry subset is capped at {cap} residues (3N ≤ {3 * cap}), "
                "which keeps whole entries out of the bins above that (the cost of an entry's dense ANM "
                "eigenproblem grows as (3N)³)")
    lead = "; ".join(parts) + "." if parts else "Every claim of this page is decided and holds: no trend needed."
    return (lead + " By size alone (before the six-zero-mode screen) the whole offline archive "
            f"holds {bins}: a bin with fewer than {MIN_PER_BIN} there cannot be decided from the data on disk "
            f"at any scale{cap_text}.")


def set_trend_section(study: ProteinSets | None, p: dict, cids: Sequence[str]) -> Any:
    """The page's scale-trend output: :func:`set_trend_markdown` and :func:`set_trend_sentence` of ``cids``
    as one Markdown block (None when the data is missing)."""
    from dlspectra.book.page import Markdown

    if study is None:
        return None
    return Markdown(set_trend_markdown(study) + "\n\n" + set_trend_sentence(study, p, cids))
