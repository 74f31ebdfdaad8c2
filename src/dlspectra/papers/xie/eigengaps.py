"""Xie et al.'s eigengap study (Eqs. 9-10, Fig. 2, Fig. 12, Table 2): one computation for its three pages.

* :func:`gap_fit` — the power-law fit of the eigengaps δ_k = λ_k − λ_{k+1} of a spectrum (Eq. 9);
  :func:`resolved_count` — how many leading Ritz values met the Lanczos tolerance.
* :func:`gap_study` — for one data set: the cached LeNet baseline of ``xie/fig01`` (same cache
  entry, no new Hessian work), the fit of all its gaps, the fit of the resolved gaps only (our
  diagnostic) and the eigenvalue fit, as a :class:`GapStudy`.
* :func:`gap_setup` (the setup table), :func:`gap_figure` (the two panels of Figs. 2/12),
  :func:`gap_numbers` (paper beside this run, with notes), :func:`gap_claims` (decides the three
  claims each page declares per data set, :mod:`dlspectra.papers.xie.claims.eigengaps`;
  inconclusive when the spectrum did not converge).
* :func:`ladder_studies` — the ladder of a gap claim that fails: the same trained baseline with
  its Hessian over fewer training images (:func:`sample_rungs`), the paper's training set on top.

The paper's values come from :mod:`dlspectra.papers.xie.reference.eigengaps` (Table 6's rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlspectra.fits import PowerLawFit, eigengaps, power_law_fit
from dlspectra.spectra import Spectrum
from dlspectra.papers.xie.pipeline import Run, lenet_run
from dlspectra.papers.xie.reference import KsRow
from dlspectra.papers.xie.reference.eigengaps import EIGENGAPS


@dataclass(frozen=True)
class GapFit:
    """Eigengaps of a top-(K+1) spectrum and the power-law fit of their positive values."""

    gaps: np.ndarray          # δ_k in the original rank order, shape (K,)
    fit: PowerLawFit          # fit of the positive gaps (re-sorted descending)
    num_dropped: int          # gaps <= 0 (degenerate / unresolved pairs) left out of the fit


def gap_fit(eigenvalues: np.ndarray, k: int | None = None) -> GapFit:
    """Fit Xie's power law to the ``k`` gaps of the top ``k+1`` eigenvalues (all gaps when None).

    Gaps that are not positive (equal Ritz values) cannot enter a power-law fit and are dropped
    (their number is returned).
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    k = lam.size - 1 if k is None else k
    gaps = eigengaps(lam, k)
    pos = gaps[gaps > 0]
    return GapFit(gaps, power_law_fit(pos), int(gaps.size - pos.size))


def resolved_count(spectrum: Spectrum, tol: float) -> int:
    """Number of leading eigenvalues whose Ritz residual is at most ``tol * |λ_1|`` (the Lanczos
    convergence test of :func:`dlspectra.spectral.lanczos_top_k`), counted from the top until the
    first one that fails."""
    ok = np.asarray(spectrum.residuals) <= tol * abs(float(spectrum.eigenvalues[0]))
    return int(ok.size if ok.all() else np.argmin(ok))


def gap_plot(ax_rank: Any, ax_sorted: Any, g: GapFit, *, label: str, color: str | None = None,
             resolved: int | None = None) -> None:
    """Xie Figs. 2/12: (a) δ_k against the eigenvalue rank k; (b) the gaps re-sorted descending
    against their own rank, with the fitted power law (log-log both). ``resolved`` marks the rank
    below which the Ritz values met the solver tolerance."""
    from dlspectra.book.plotting import rank_plot

    k = np.arange(1, g.gaps.size + 1)
    pos = g.gaps > 0
    ax_rank.loglog(k[pos], g.gaps[pos], ".", ms=4, color=color, label=label)
    if resolved is not None and resolved - 1 < g.gaps.size:
        ax_rank.axvline(max(resolved - 1, 1), color="0.5", ls=":", lw=1, label=f"Ritz values converged up to k = {resolved}")
    ax_rank.set_xlabel("eigenvalue rank k")
    ax_rank.set_ylabel("eigengap δ_k = λ_k − λ_{k+1}")
    rank_plot(ax_sorted, g.gaps[pos], label=label, fit=g.fit, color=color)
    ax_sorted.set_xlabel("rank of the gap (sorted descending)")
    ax_sorted.set_ylabel("eigengap")


@dataclass(frozen=True)
class GapStudy:
    """One data set's eigengap study: the baseline run, its gap fits and the eigenvalue fit."""

    dataset: str
    run: Run                  # the xie/fig01 SGD baseline (cached)
    gaps: GapFit              # all K − 1 gaps of the top-K spectrum (the paper's test)
    resolved: GapFit          # gaps between converged Ritz values only (diagnostic, no claim)
    n_resolved: int           # leading Ritz values that met the tolerance
    hessian_n: int | None = None  # training images the Hessian is over (None: all)

    @property
    def eig_fit(self) -> PowerLawFit:
        return self.run.fit

    @property
    def converged(self) -> bool:
        """Whether every eigenvalue behind the gaps (the run's top K) met the Lanczos tolerance (:attr:`Run.converged`)."""
        return self.run.converged

    @property
    def ref(self) -> dict[str, KsRow]:
        """The paper's Table 6 rows of this data set: ``{"gap": ..., "eig": ...}``."""
        return EIGENGAPS[self.dataset]

    @property
    def slope_difference(self) -> float:
        """ŝ_gap − ŝ_eig (Eq. 10 says about 1)."""
        return self.gaps.fit.s_mle - self.eig_fit.s_mle


def gap_study(p: dict, dataset: str, *, device: Any = "auto", progress: bool = True,
              spectrum_changes: dict | None = None) -> GapStudy:
    """The eigengap study of ``dataset`` under a LeNet page preset ``p`` (its ``hessian`` gives K and tol).

    Loads (or trains) the SGD baseline with the settings of ``p`` (the cache key of ``xie/fig01``
    when the presets agree), fits all gaps of its top-K spectrum and, as a diagnostic, the gaps
    between the converged Ritz values. ``spectrum_changes`` edit the spectrum spec (a ladder rung's
    Hessian sample size ``n``); None is the baseline's own spectrum.
    """
    run = lenet_run(p, dataset, device=device, label=f"{dataset}, SGD", progress=progress,
                    spectrum_changes=spectrum_changes)
    n = (spectrum_changes or {}).get("n", p["hessian"]["hessian_n"])
    return study_of(run, dataset, p["hessian"]["tol"], hessian_n=n)


def study_of(run: Run, dataset: str, tol: float, *, hessian_n: int | None = None) -> GapStudy:
    """The :class:`GapStudy` of one run's spectrum: all its gaps, the resolved gaps (Ritz residual ≤ tol·λ_1)."""
    n_res = resolved_count(run.spectrum, tol)
    lam = run.spectrum.eigenvalues
    return GapStudy(dataset, run, gap_fit(lam), gap_fit(lam[:n_res]), n_res, hessian_n)


def gap_setup(page: Any) -> Any:
    """The setup table of an eigengap page: the LeNet rows of its preset and the gaps' row (paper vs this run)."""
    from dlspectra.papers.xie.tables import lenet_setup_rows

    p = page.preset
    k = p["hessian"]["k"]
    return page.setup(lenet_setup_rows(p, p["datasets"]) + [
        ["eigengaps", "δ_k = λ_k − λ_{k+1}, k = 1..1000 (K = 1000 in Tables 2 and 6)",
         f"k = 1..{k - 1} from the top {k} eigenvalues (d_c = {1.36 / (k - 1) ** 0.5:.4f})"]])


def study_summary(s: GapStudy) -> str:
    """One line: Hessian products, converged Ritz values, dropped gaps and the slope difference."""
    return (f"{s.dataset}: HVPs {s.run.spectrum.num_matvecs}, converged Ritz values {s.n_resolved} of "
            f"{s.run.spectrum.eigenvalues.size}, non-positive gaps dropped {s.gaps.num_dropped}; "
            f"ŝ_gap − ŝ_eig with the resolved gaps only: {s.resolved.fit.s_mle - s.eig_fit.s_mle:.3f}")


def gap_figure(s: GapStudy, *, color: str = "C0") -> Any:
    """Figs. 2/12 for one study: (a) gaps by eigenvalue rank, (b) re-sorted with the fitted law."""
    import matplotlib.pyplot as plt

    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(9.0, 3.8))
    gap_plot(ax_a, ax_b, s.gaps, label=f"LeNet, {s.dataset}, SGD", color=color, resolved=s.n_resolved)
    pos = s.gaps.gaps[s.gaps.gaps > 0]
    if pos.size:
        # the paper's slope (Table 6) through the smallest gap, as the fitted line is drawn
        j = np.arange(1, pos.size + 1)
        s_paper = s.ref["gap"].s
        ax_b.loglog(j, pos.min() * (pos.size / j) ** s_paper.value, ":", color="0.3", lw=1.2,
                    label=f"paper's slope ŝ = {s_paper} ({s_paper.where})")
        ax_b.set_ylim(pos.min() / 3, pos.max() * 3)  # keep the data in view: the lines may run far above the top gaps
    ax_a.set_title("(a) eigengaps vs eigenvalue rank")
    ax_b.set_title("(b) eigengaps, re-sorted")
    ax_a.legend(fontsize=8)
    ax_b.legend(fontsize=8)
    fig.tight_layout()
    return fig


def paper_slope_difference(ref: dict[str, KsRow]) -> str:
    """The paper's ŝ_gap − ŝ_eig from its two Table 6 rows, e.g. ``"1.817 − 1.009 = 0.808"``."""
    gap, eig = ref["gap"].s, ref["eig"].s
    return f"{gap} − {eig} = {gap.value - eig.value:.3f}"


def gap_numbers(studies: list[GapStudy]) -> str:
    """Markdown: paper (Table 6, K = 1000) beside this run, per study: gaps, resolved gaps, eigenvalues;
    then per study its summary, slope note and convergence note.

    Our d_ks is the paper's convention; the textbook two-sided value is shown beside it.
    """
    from dlspectra.papers.xie.tables import convergence_note
    from dlspectra.book.results import markdown_table

    def paper_cells(r: KsRow | None) -> list[str]:
        if r is None:
            return ["—", "—", "—", "—"]
        return [r.d_ks.text, r.d_c.text, f"{r.beta} ± {r.sigma}", r.s.text]

    def our_cells(f: PowerLawFit) -> list[str]:
        return [str(f.k), f"{f.d_ks:.4f}", f"{f.d_ks_textbook:.4f}", f"{f.d_c:.4f}", "Yes" if f.accepted else "No",
                f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}"]

    head = ["", "d_ks paper", "d_c paper", "β̂ ± σ paper", "ŝ paper", "K ours", "d_ks ours", "d_ks textbook",
            "d_c ours", "power law ours", "β̂ ± σ ours", "ŝ ours"]
    body = []
    for s in studies:
        ref = s.ref
        body += [[f"{s.dataset} eigengaps (all)", *paper_cells(ref["gap"]), *our_cells(s.gaps.fit)],
                 [f"{s.dataset} eigengaps, resolved only", *paper_cells(None), *our_cells(s.resolved.fit)],
                 [f"{s.dataset} eigenvalues", *paper_cells(ref["eig"]), *our_cells(s.eig_fit)]]
    notes = [f"* {study_summary(s)}\n* {slope_note(s)}" for s in studies]
    return markdown_table(head, body) + "\n\n" + "\n".join(notes) + "\n\n" + convergence_note([s.run for s in studies])


GAP_STATISTICS = {
    "gaps-accepted": lambda s: s.gaps.fit.ratio,
    "gap-slope-plus-one": lambda s: s.slope_difference,
    "gaps-steeper": lambda s: s.slope_difference,
}
"""The statistic each eigengap claim's rule reads (``dlspectra.papers.xie.claims.eigengaps``), from a :class:`GapStudy`."""

PAPER_HESSIAN_N = 60000
"""The paper's Hessian is over the training set (App. A): 60,000 images of MNIST or Fashion-MNIST."""


def sample_rungs(p: dict) -> list[int]:
    """The Hessian sample sizes of the eigengap ladders: the preset's ``hessian_n`` and the fractions
    ``p["ladder_fractions"]`` of it (default a quarter; the first images of the same training subset)."""
    from dlspectra.papers.xie.ladders import lower_rungs

    n = p["hessian"]["hessian_n"]
    if n is None:
        return []
    return lower_rungs(n, p.get("ladder_fractions", (0.25,)))


def ladder_studies(p: dict, dataset: str, *, device: Any = "auto", progress: bool = True) -> list[GapStudy]:
    """:func:`gap_study` of the same trained baseline with the Hessian over each of :func:`sample_rungs`
    (the scale's own size is the baseline's cached spectrum; K, the step budget and tol unchanged)."""
    h = p["hessian"]
    out = []
    for n in sample_rungs(p):
        changes = None if n == h["hessian_n"] else {"n": n, "batch_size": min(h["batch_size"], n)}
        out.append(gap_study(p, dataset, device=device, progress=progress, spectrum_changes=changes))
    return out


def paper_rung_note(s: GapStudy) -> str:
    """What the paper's rung (the Hessian over all 60,000 training images) would cost, from this run's spectrum."""
    n = s.run.trained.config.data.n if s.run.trained is not None else None
    h_n = s.hessian_n
    secs = float(s.run.spectrum.seconds)
    if not h_n or not secs:
        return "not run: the Hessian over all 60,000 training images (K = 1000 in the paper)"
    scale = PAPER_HESSIAN_N / h_n
    return (f"not run: the Hessian over all 60,000 training images costs about {scale:.0f}× the products of "
            f"the {h_n}-image one (≈ {secs * scale / 3600:.1f} CPU-hours here for the top {s.run.spectrum.eigenvalues.size}; "
            f"the paper's top 1000 more){'' if n is None else f'; the model saw {n} images'}")


def gap_claims(claims: Any, s: GapStudy, p: dict | None = None, *, device: Any = "auto", rungs: Any = None) -> None:
    """Decide the three declared eigengap claims of one study (ids ``<dataset>-gaps-accepted``,
    ``-gap-slope-plus-one``, ``-gaps-steeper``; rules in :mod:`dlspectra.papers.xie.claims.eigengaps`).

    All three rest on every eigenvalue of the spectrum: inconclusive unless all converged. A claim
    that fails or is inconclusive carries its ladder over the Hessian sample size: ``rungs`` is the
    list of :class:`GapStudy` of :func:`ladder_studies`, or a callable returning it (called only when
    some claim needs it, so a page whose claims all hold computes no rung); by default the rungs of
    the page preset ``p``.
    """
    from dlspectra.book.ladder import climb

    ds, gf, ef, ok = s.dataset, s.gaps.fit, s.eig_fit, s.converged
    gap = s.ref["gap"]
    measured = {
        "gaps-accepted": {"d_ks / d_c": gf.ratio, "d_ks": gf.d_ks, "d_c": gf.d_c, "K (gaps)": gf.k,
                          "d_ks textbook": gf.d_ks_textbook},
        "gap-slope-plus-one": {"s_gap": gf.s_mle, "s_eig": ef.s_mle, "difference": s.slope_difference},
        "gaps-steeper": {"s_gap": gf.s_mle, "s_eig": ef.s_mle, "difference": s.slope_difference},
    }
    paper = {"gaps-accepted": f"accepted: d_ks {gap.d_ks} < {gap.d_c} (K = 1000)",
             "gap-slope-plus-one": paper_slope_difference(s.ref),
             "gaps-steeper": f"ŝ_gap {gap.s} > ŝ_eig {s.ref['eig'].s}"}
    cache: list = []
    if rungs is None and p is not None:
        def rungs():
            return ladder_studies(p, s.dataset, device=device, progress=False)

    def ladder_of(cid: str, stat):
        if not cache:
            cache.append(rungs() if callable(rungs) else list(rungs or []))
        studies = cache[0]
        if len(studies) < 2:
            return None
        return climb(claims.spec(cid).rule, "Hessian samples", [x.hessian_n for x in studies],
                     [float(stat(x)) for x in studies], converged=[x.converged for x in studies],
                     paper_setting=PAPER_HESSIAN_N, paper_note=paper_rung_note(s), unit="images")

    for suffix, stat in GAP_STATISTICS.items():
        cid = f"{ds}-{suffix}"
        value = float(stat(s))
        holds = claims.spec(cid).rule.holds(value)
        lad = None if (holds and ok) else ladder_of(cid, stat)
        claims.decide(cid, value, converged=ok, ladder=lad, measured=measured[suffix], paper=paper[suffix])


def slope_note(s: GapStudy) -> str:
    """Two lines: ŝ_gap − ŝ_eig against the paper's and Eq. 10's 1; δ_10/δ_100 raw and from the fitted law.

    The text's "10⁴ times" (eigenvector-stability bound at k = 100 vs k = 10) is not tested: with the
    bound ∝ (k+1)^(s+1) and s ≈ 1 the ratio is (101/11)² ≈ 84; both ratios are printed instead.
    """
    g = s.gaps.gaps
    raw = g[9] / g[98] if g.size >= 99 else float("nan")
    return (f"ŝ_gap − ŝ_eig: {s.slope_difference:.3f} (paper {paper_slope_difference(s.ref)}; Eq. 10: 1); "
            f"δ_10 / δ_100 (raw gaps): {raw:.1f}; from the fitted eigenvalue law (Eq. 10, (101/11)^(ŝ+1)): "
            f"{(101 / 11) ** (s.eig_fit.s_mle + 1):.1f}")
