"""Xie's protein studies (Section 5, App. C-D), computation only: every function returns data.

* 4HHB (fig08, fig09, tab11): :func:`hemoglobin` -> :class:`Hemoglobin` (ProDy's spectrum checked
  against the batched path, the fits per K rule).
* The structure set (fig10, tab04, tab12, tab13): :func:`protein_set_study` -> :class:`ProteinSet`,
  one computation shared by the four pages through the cache: the offline set of
  :func:`~dlspectra.proteins.load_structure_set` (pdownb's 747 qualifying chains and pisces_extra's
  2,451), sampled per 3N bin as the preset says, screened as the paper (connected network, exactly
  six zero modes), fitted per K rule.
* Per-bin statistics with intervals (:func:`bin_statistics`), the statistics the claims read
  (:func:`claim_value`) and their values on nested subsets of the set (:func:`ladder_values`).

A missing or corrupt data file raises ``DataMissingError`` / ``DataCorruptError``; the page says so
(:func:`data_note`) and records its claims as not run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlspectra.errors import DataCorruptError, DataMissingError
from dlspectra.fits import PowerLawFit
from dlspectra.papers.xie.reference import values
from dlspectra.papers.xie.reference.protein import PROTEIN_SET
from dlspectra.proteins import (SET_VERSION, SIZE_BINS, Chain, ProteinSpectrum, SetResult, load_pdb, load_structure_set,
                                process_chains, protein_spectrum, sample_by_bin, size_bin, summarize_by_size)

PAPER_SET = values(PROTEIN_SET)
"""Xie Table 13 as floats: per 3N bin [300,1000], [1000,3000], [3000,6000] and overall [300,6000]
(``{"beta"|"s": {"mean", "sd"}, "ratio": {"mean"}, "n_proteins"}``)."""
PAPER_N = 9166
"""The paper's number of protein molecules (Sec. 5, App. D.4): the top rung of the set-size ladder."""
LADDER_FRACTIONS = (0.25, 0.5, 1.0)
"""The set-size ladder: nested seeded subsets holding these fractions of this scale's set."""

MISSING_NOTE = ("**Data missing**: the {what} is not in the data folder (`DLSPECTRA_DATA`; see the data README). "
                "This page records its claims as *not run*.")
CORRUPT_NOTE = ("**Data corrupt**: the {what} in the data folder does not match its checksum (replace it; see the "
                "data README). This page records its claims as *not run*.")


def data_note(compute: Callable[[], Any], what: str) -> tuple[Any, str]:
    """``(compute(), "")``, or ``(None, note)`` when a data file is missing or corrupt (the note names ``what``)."""
    try:
        return compute(), ""
    except DataCorruptError:
        return None, CORRUPT_NOTE.format(what=what)
    except DataMissingError:
        return None, MISSING_NOTE.format(what=what)


# ----------------------------------------------------------------------------- 4HHB

def structure_spectra(p: dict, *, cache: Any = None) -> dict[str, ProteinSpectrum]:
    """4HHB's ANM spectrum through ProDy and through the batched path, cached (shared by fig08/fig09/tab11).

    ``p``: a page preset with a ``structure`` entry. Returns ``{"prody": ..., "batched": ...}``.
    Raises ``DataMissingError`` / ``DataCorruptError``.
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


@dataclass(frozen=True)
class Hemoglobin:
    """4HHB's inverse-ANM spectrum (ProDy path, checked against the batched one) and its fits per K rule."""

    spectra: dict[str, ProteinSpectrum]     # {"prody", "batched"}
    fits: dict[str | int, PowerLawFit]      # K rule -> fit of σ = 1/λ̃

    @property
    def spec(self) -> ProteinSpectrum:
        return self.spectra["prody"]

    @property
    def path_difference(self) -> float:
        """Largest |λ_ProDy − λ_batched| over all modes."""
        return float(np.abs(self.spectra["prody"].eigenvalues - self.spectra["batched"].eigenvalues).max())


def hemoglobin(p: dict, *, cache: Any = None) -> Hemoglobin:
    """The 4HHB study of a structure preset. Raises ``DataMissingError`` / ``DataCorruptError``
    (the page shows :func:`data_note`'s note); displays nothing."""
    spectra = structure_spectra(p, cache=cache)
    spec = spectra["prody"]
    return Hemoglobin(spectra, {rule: spec.fit(rule) for rule in p["structure"]["k_rules"]})


def hemoglobin_values(h: Hemoglobin) -> dict[str, tuple[float, dict]]:
    """Claim id -> (the statistic its rule reads, the numbers shown beside it) for the 4HHB claims."""
    f, ften = h.fits[1000], h.fits.get("tenth")
    out = {
        "s-0.992": (f.s_mle, {"s": f.s_mle, "K": f.k}),
        "accepted-k1000": (f.ratio, {"d_ks": f.d_ks, "d_c": f.d_c, "d_ks textbook": f.d_ks_textbook}),
        "six-zero-modes": (float(h.spec.n_zero_modes), {"zero modes": h.spec.n_zero_modes}),
        "beta": (f.beta, {"beta": f.beta, "sigma": f.sigma}),
        "d_ks": (f.d_ks, {"d_ks": f.d_ks, "d_ks textbook": f.d_ks_textbook}),
        "verdict": (f.ratio, {"d_ks": f.d_ks, "d_c": f.d_c, "d_ks textbook": f.d_ks_textbook}),
    }
    if ften is not None:
        out["accepted-tenth"] = (ften.ratio, {"K": ften.k, "d_ks": ften.d_ks, "d_c": ften.d_c, "s": ften.s_mle,
                                              "d_ks textbook": ften.d_ks_textbook})
    return out


# ----------------------------------------------------------------------------- the structure set

def set_chains(s: dict) -> tuple[list[Chain], list[Chain]]:
    """``(all chains on disk, this scale's chains)`` of a set preset ``s`` (``p["set"]``):
    :func:`~dlspectra.proteins.load_structure_set` of ``s["archives"]`` (with the chains fetched
    from the PDB when ``s["fetched"]`` and a fetched archive is there), then
    :func:`~dlspectra.proteins.sample_by_bin` with ``s["per_bin"]`` (``None`` everywhere: every chain)."""
    chains = load_structure_set(tuple(s["archives"]), fetched=bool(s.get("fetched")))
    return chains, sample_by_bin(chains, s["per_bin"], seed=s["seed"])


@dataclass
class ProteinSet:
    """The set computation of a preset: the screened spectra, fits and per-bin statistics.

    ``result``: :class:`~dlspectra.proteins.SetResult` (every chain with its status, archive, source);
    ``fits[rule]``: fit rows of the ``ok`` chains; ``summary[rule]``: :func:`summarize_by_size`;
    ``textbook[rule]``: the same with the textbook KS distance; ``on_disk``: chains on disk per
    (archive, 3N bin) before sampling.
    """

    result: SetResult
    rules: tuple
    on_disk: dict[tuple[str, int], int]
    fits: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    textbook: dict = field(default_factory=dict)

    @property
    def rows(self) -> list[dict]:
        return self.fits["tenth"]

    @property
    def n_chains(self) -> int:
        return len(self.result.rows)


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


def protein_set_study(p: dict, *, device: str = "cpu", progress: bool = True, cache: Any = None) -> ProteinSet:
    """The set study of a page preset (fig10, tab04, tab12, tab13 share it and its cache entries).

    Raises ``DataMissingError`` / ``DataCorruptError`` when an archive is absent or corrupt.
    """
    s = p["set"]
    every, chains = set_chains(s)
    on_disk: dict[tuple[str, int], int] = {}
    for c in every:
        key = (c.meta["archive"], size_bin(c.dof))
        on_disk[key] = on_disk.get(key, 0) + 1
    res = process_chains(chains, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"], jobs=s["jobs"],
                         chunk_size=s["chunk_size"], device=str(device), min_residues=s["min_residues"],
                         max_residues=s["max_residues"], cache=cache, progress=progress)
    rules = tuple(s["k_rules"])
    out = ProteinSet(res, rules, on_disk)
    for r in rules:
        out.fits[r] = [row for row in res.fits(r) if row["status"] == "ok"]
        out.summary[r] = summarize_by_size(out.fits[r])
        out.textbook[r] = summarize_by_size(textbook_rows(res, r)) if r == "tenth" else None
    return out


# ----------------------------------------------------------------------------- statistics with intervals

def _estimate(value: float, lo: float, hi: float):
    from dlspectra.book.rules import Estimate

    if not np.isfinite(value):
        return Estimate(math.nan, math.nan, math.nan)
    return Estimate(float(value), float(min(lo, value)), float(max(hi, value)))


def mean_estimate(a: Sequence[float]):
    """Mean with its 95 % t interval (NaN for fewer than two values)."""
    from scipy.stats import t

    a = np.asarray([x for x in a if np.isfinite(x)], dtype=float)
    if a.size < 2:
        return _estimate(math.nan, math.nan, math.nan)
    m, half = float(a.mean()), float(t.ppf(0.975, a.size - 1) * a.std(ddof=1) / math.sqrt(a.size))
    return _estimate(m, m - half, m + half)


def fraction_estimate(ok: Sequence[bool]):
    """Fraction of True with its 95 % Clopper-Pearson interval."""
    from scipy.stats import beta

    n, k = len(ok), int(sum(bool(x) for x in ok))
    if n == 0:
        return _estimate(math.nan, math.nan, math.nan)
    lo = 0.0 if k == 0 else float(beta.ppf(0.025, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(0.975, k + 1, n - k))
    return _estimate(k / n, lo, hi)


def _by_bin(rows: Sequence[dict], key: str) -> list[np.ndarray]:
    return [np.array([r[key] for r in rows if size_bin(r["dof"]) == b and np.isfinite(r[key])], dtype=float)
            for b in range(len(SIZE_BINS))]


def _boot(groups: list[np.ndarray], stat: Callable[[list[np.ndarray]], float], *, n_boot: int = 2000,
          seed: int = 0):
    """``stat`` of ``groups`` with a 95 % percentile bootstrap interval (each group resampled on its own)."""
    value = stat(groups)
    if not np.isfinite(value):
        return _estimate(math.nan, math.nan, math.nan)
    rng = np.random.default_rng(seed)
    draws = np.array([stat([g[rng.integers(0, g.size, g.size)] for g in groups]) for _ in range(n_boot)])
    draws = draws[np.isfinite(draws)]
    return _estimate(value, float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5)))


def _sd(g: np.ndarray) -> float:
    return float(g.std(ddof=1)) if g.size > 1 else math.nan


def spread_increase(groups: list[np.ndarray]) -> float:
    """Largest increase of sd(ŝ) from one 3N bin to the next larger (< 0: the spread shrinks at every step)."""
    if any(g.size < 2 for g in groups):
        return math.nan
    return float(max(_sd(c) - _sd(a) for a, c in zip(groups, groups[1:])))


def trend_increase(groups: list[np.ndarray]) -> float:
    """The larger of the largest increases of |mean ŝ − 1| and of sd(ŝ) from a bin to the next larger
    (< 0: ŝ ≈ 1 holds better, in mean and spread, at every step)."""
    if any(g.size < 2 for g in groups):
        return math.nan
    dm = max(abs(c.mean() - 1) - abs(a.mean() - 1) for a, c in zip(groups, groups[1:]))
    return float(max(dm, spread_increase(groups)))


def claim_value(rows: Sequence[dict], cid: str):
    """The statistic (an :class:`~dlspectra.book.rules.Estimate`) the rule of set claim ``cid`` reads,
    from the K = ⌊n/10⌋ fit rows ``rows``. Ids: ``all-pass``, ``mean-ratio``, ``mean-beta``,
    ``mean-s``, ``s-bin1..3``, ``spread-shrinks``, ``size-trend``."""
    if cid == "all-pass":
        return fraction_estimate([r["accepted"] for r in rows if np.isfinite(r["ratio"])])
    if cid in ("mean-ratio", "mean-beta", "mean-s"):
        return mean_estimate([r[{"mean-ratio": "ratio", "mean-beta": "beta", "mean-s": "s"}[cid]] for r in rows])
    if cid.startswith("s-bin"):
        return mean_estimate(_by_bin(rows, "s")[int(cid[len("s-bin"):]) - 1])
    if cid == "spread-shrinks":
        return _boot(_by_bin(rows, "s"), spread_increase)
    if cid == "size-trend":
        return _boot(_by_bin(rows, "s"), trend_increase)
    raise KeyError(f"unknown protein-set claim {cid!r}")


def claim_measured(rows: Sequence[dict], cid: str) -> dict:
    """The numbers shown beside a set claim's statistic."""
    g = _by_bin(rows, "s")
    if cid == "all-pass":
        ratio = [r["ratio"] for r in rows if np.isfinite(r["ratio"])]
        return {"accepted": f"{sum(r['accepted'] for r in rows)} of {len(ratio)}",
                "max d_ks/d_c": float(max(ratio)) if ratio else math.nan}
    if cid.startswith("s-bin"):
        b = int(cid[len("s-bin"):]) - 1
        return {"n": int(g[b].size), "mean s": claim_value(rows, cid).as_dict(), "sd s": _sd(g[b])}
    if cid in ("spread-shrinks", "size-trend"):
        return {"n": [int(x.size) for x in g], "mean s": [float(x.mean()) if x.size else math.nan for x in g],
                "sd s": [_sd(x) for x in g], "statistic": claim_value(rows, cid).as_dict()}
    return {"n": len(rows), "estimate": claim_value(rows, cid).as_dict()}


def bin_statistics(rows: Sequence[dict]) -> list[dict]:
    """Per 3N bin and overall (last): ``count``, and for ``beta``, ``s``, ``ratio`` the mean with its
    95 % interval (an Estimate) and the standard deviation across chains; ``accepted`` (fraction)."""
    groups = [[r for r in rows if size_bin(r["dof"]) == b] for b in range(len(SIZE_BINS))] + [list(rows)]
    out = []
    for g in groups:
        d = {"count": len(g), "accepted": float(np.mean([r["accepted"] for r in g])) if g else math.nan}
        for k in ("beta", "s", "ratio"):
            a = np.array([r[k] for r in g if np.isfinite(r[k])], dtype=float)
            d[k] = {"mean": mean_estimate(a), "sd": _sd(a),
                    "point": float(a.mean()) if a.size else math.nan}
        out.append(d)
    return out


def nested_subsets(ids: Sequence[str], fractions: Sequence[float] = LADDER_FRACTIONS, *,
                   seed: int = 0) -> list[list[str]]:
    """Nested seeded subsets of ``ids``: the first ``round(f n)`` of one seeded permutation for each
    fraction ``f`` (strictly increasing in (0, 1]), each in the order of ``ids``; each holds the previous."""
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


def ladder_values(study: ProteinSet, cid: str, *, fractions: Sequence[float] = LADDER_FRACTIONS,
                  seed: int = 0) -> tuple[list[int], list[Any]]:
    """The set-size ladder of claim ``cid``: ``(chains per subset, statistic per subset)`` over
    :func:`nested_subsets` of every chain of this scale's set (those screened out included, so a
    subset is a smaller set drawn the same way); the last subset is the whole set. No new spectra."""
    ids = [r["id"] for r in study.result.rows]
    subsets = nested_subsets(ids, fractions, seed=seed)
    vals = []
    for sub in subsets:
        keep = set(sub)
        vals.append(claim_value([r for r in study.rows if r["id"] in keep], cid))
    return [len(s) for s in subsets], vals
