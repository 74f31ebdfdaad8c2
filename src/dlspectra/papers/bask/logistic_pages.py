"""The logistic-regression appendix pages (Baskerville et al., Figs. A.10–A.13), one computation each.

Figures A.10 / A.12 (unfolded spacings) and A.11 / A.13 (spacing ratios) are the same computation on
the trained and on the untrained softmax regression: the pages call :func:`spacing_study` /
:func:`ratio_study` with their recipe (``"logistic"`` or ``"logistic_init"`` of the preset) and then
the figure, table and claim helpers below. The untrained pages also compare with the trained test
spectra (the paper's "no discernible difference").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from scipy import stats as st

import numpy as np

from . import pages
from .analysis import Summary, nonzero_spacings, plot_ratios, plot_spacings, rtilde_value, stats_table, summarise
from .claims import largest_difference, r_estimate
from .ladders import decide, subset_ladder, values_ladder
from .setups import Trained
from .spectra import full_logistic_spectrum

TRAINED, UNTRAINED = "logistic", "logistic_init"
"""The two recipes of the appendix pages in the Baskerville presets."""
SPLITS = ("train", "test")
RATIO_KEYS = ("bs64 train", "bs64 test", "full train", "full test")


@dataclass
class LogisticStudy:
    """One appendix page's spectra: ``summaries`` by panel key, ``reference`` the trained test
    spectra for an untrained page (None on a trained page)."""

    net: str
    trained: Trained
    summaries: dict[str, Summary]
    reference: Summary | None
    spectra: dict = field(default_factory=dict)
    """The raw spectra by panel key (``"reference"``: the trained test batches on an untrained page)."""
    full_n: int | None = None

    @property
    def untrained(self) -> bool:
        return self.net == UNTRAINED


def _check_net(net: str) -> None:
    if net not in (TRAINED, UNTRAINED):
        raise ValueError(f"unknown logistic recipe {net!r}; valid: {TRAINED!r}, {UNTRAINED!r}")


def spacing_study(p: dict, net: str, device) -> LogisticStudy:
    """Unfolded spacings of the batch Hessians of recipe ``net`` on both splits (Figs. A.10 / A.12)."""
    _check_net(net)
    tm = pages.trained(p, net, device)
    label = "untrained" if net == UNTRAINED else "trained"
    E = {split: pages.spectra(p, net, split, device) for split in SPLITS}
    s = {split: summarise(E[split], f"{label}, {split}") for split in SPLITS}
    ref = None
    if net == UNTRAINED:
        E["reference"] = pages.spectra(p, TRAINED, "test", device)
        ref = summarise(E["reference"], "trained, test (Fig. A.10)")
    study = LogisticStudy(net, tm, s, ref, E)
    m = tm.metrics
    if study.untrained:
        print(f"untrained (seeded default init): training loss {m['train_loss']:.3f}, "
              f"test accuracy {m['test_accuracy']:.3f}")
    else:
        print(f"training loss {m['init_train_loss']:.3f} at init → {m['train_loss']:.3f} "
              f"(test accuracy {m['test_accuracy']:.3f}): the spectra below are of the trained weights")
    return study


def ratio_study(p: dict, net: str, device) -> LogisticStudy:
    """Spacing ratios of the batch and full-data Hessians of recipe ``net`` (Figs. A.11 / A.13)."""
    _check_net(net)
    tm = pages.trained(p, net, device)
    full_n = p["sizes"]["full_n"]
    s: dict[str, Summary] = {}
    E: dict = {}
    for split in SPLITS:
        E[f"bs64 {split}"] = pages.spectra(p, net, split, device)
        E[f"full {split}"] = full_logistic_spectrum(tm, split, full_n, device=device)
        s[f"bs64 {split}"] = summarise(E[f"bs64 {split}"], f"bs64, {split}", unfold=False)
        s[f"full {split}"] = summarise([E[f"full {split}"]], f"full {split}", unfold=False)
    ref = None
    if net == UNTRAINED:
        E["reference"] = pages.spectra(p, TRAINED, "test", device)
        ref = summarise(E["reference"], "trained bs64 test (Fig. A.11)", unfold=False)
    study = LogisticStudy(net, tm, s, ref, E, full_n)
    m = tm.metrics
    who = "untrained (seeded init)" if study.untrained else "trained"
    print(f"{who}: training loss {m['init_train_loss']:.3f} → {m['train_loss']:.3f}")
    return study


def ratio_setup_row(p: dict) -> list:
    """The setup row of the full-data Hessians (Figs. A.11 / A.13)."""
    full_n = p["sizes"]["full_n"]
    return ["full-data Hessians", "all 60,000 train / 10,000 test images; ratio cut-off: none (the authors' code)",
            f"{'all' if full_n is None else f'the first {full_n:,}'} train / test images, closed form; "
            "cut-off 1e-10 and rank-aware"]


def _title(study: LogisticStudy, what: str) -> str:
    return f"untrained {what}" if study.untrained else what


def spacing_figure(study: LogisticStudy):
    """Unfolded spacings of both splits beside each other, with the Wigner surmise and Poisson."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, split in zip(axes, SPLITS):
        plot_spacings(ax, study.summaries[split].spacings, title=f"{_title(study, 'logistic regression')}, MNIST, {split}")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def ratio_figure(study: LogisticStudy):
    """Spacing ratios r < 10 of the four panels, with the GOE surmise and the Poisson ratio density."""
    fig, axes = plt.subplots(2, 2, figsize=(9, 6))
    for ax, key in zip(axes.ravel(), RATIO_KEYS):
        plot_ratios(ax, study.summaries[key].ratios, bins=40 if key.startswith("bs64") else 35,
                    title=f"{_title(study, 'logistic MNIST')}, {key}")
    fig.tight_layout()
    return fig


def numbers(study: LogisticStudy):
    """The statistics table of the page's panels (and of the trained reference on an untrained page)."""
    return stats_table(list(study.summaries.values()) + ([study.reference] if study.reference is not None else []))


def _full_ladder(claims, cid: str, study: LogisticStudy, full_n: int | None, reading, paper_n: str):
    """Ladder over the images in the full-data Hessians: a quarter, a half and all of ``full_n``."""
    top = full_n or 4000
    settings = [top // 4, top // 2, top]
    return values_ladder(claims, cid, settings, reading, paper_setting=paper_n,
                         paper_note="the whole split (60,000 train / 10,000 test images) at P = 7,850: not run at ci")


def spacing_claims(claims, study: LogisticStudy | None, net: str, missing: list[str]) -> None:
    """The claims of Figs. A.10 / A.12, decided on the numerically non-zero eigenvalues
    (recorded as not run when data is missing)."""
    if study is None:
        claims.not_run_rest("data missing", note=f"missing: {missing}")
        return
    s, E = study.summaries, study.spectra
    for split in SPLITS:
        pages.decide_wigner(claims, f"wigner-{split}", E[split], nonzero=True,
                            extra={"ks_wigner_cutoff_1e-20": s[split].ks.ks_wigner if s[split].ks else None,
                                   "rank_min": int(s[split].rank.min()), "rank_max": int(s[split].rank.max()),
                                   "P": s[split].P})

    def two_sample(a, b, k: int) -> float:
        return float(st.ks_2samp(nonzero_spacings(a[:k]), nonzero_spacings(b[:k])).pvalue)

    pairs = [("train-test", E["train"], E["test"])]
    if study.untrained:
        pairs.append(("trained-vs-untrained", E["test"], E["reference"]))
    for cid, a, b in pairs:
        n = min(len(a), len(b))
        read = lambda k, a=a, b=b: two_sample(a, b, k)  # noqa: E731
        pv = read(n)
        ks = float(st.ks_2samp(nonzero_spacings(a), nonzero_spacings(b)).statistic)
        decide(claims, cid, pv, ladder=lambda cid=cid, read=read, n=n: subset_ladder(claims, cid, n, read, min_n=3),
               measured={"p_value": pv, "ks": ks})
    if not study.untrained:
        m = study.trained.metrics
        claims.identity("trained-weights", "the spectra are of trained weights (the authors' code never loads them)",
                        holds=m["train_loss"] < 0.8 * m["init_train_loss"],
                        measured={"init": m["init_train_loss"], "trained": m["train_loss"]},
                        why="our pipeline loads the trained weights; a check of the code, not a claim of the paper")
    pages.decide_goe(claims, "goe-rank-aware", E["test"], nonzero=True)


def ratio_claims(claims, study: LogisticStudy | None, missing: list[str], device="cpu") -> None:
    """The claims of Figs. A.11 / A.13 (recorded as not run when data is missing)."""
    if study is None:
        claims.not_run_rest("data missing", note=f"missing: {missing}")
        return
    s, E = study.summaries, study.spectra
    full_n = study.full_n
    for split in SPLITS:
        pages.decide_goe(claims, f"goe-bs64-{split}", E[f"bs64 {split}"])
    for split in SPLITS:
        cid = f"goe-full-{split}"
        read = lambda n, split=split: rtilde_value([full_logistic_spectrum(study.trained, split, n, device=device)])  # noqa: E731
        v = r_estimate(s[f"full {split}"].rt)
        decide(claims, cid, v, ladder=lambda cid=cid, read=read: _full_ladder(claims, cid, study, full_n, read, "all"),
               measured={"mean_r_tilde": v.value, "ci95": [v.lo, v.hi], "images": full_n})
    est = {k: r_estimate(s[k].rt) for k in RATIO_KEYS}
    d = largest_difference(est)

    def read_diff(n):
        e = dict(est)
        for split in SPLITS:
            e[f"full {split}"] = rtilde_value([full_logistic_spectrum(study.trained, split, n, device=device)])
        return largest_difference(e)

    decide(claims, "no-condition-effect", d,
           ladder=lambda: _full_ladder(claims, "no-condition-effect", study, full_n, read_diff, "all"),
           measured={**{k: e.value for k, e in est.items()}, "largest_difference": d.value,
                     "interval": [d.lo, d.hi]})
    read_rank = lambda n: rtilde_value([full_logistic_spectrum(study.trained, "train", n, device=device)], nonzero=True)  # noqa: E731
    v = rtilde_value([E["full train"]], nonzero=True)
    decide(claims, "goe-rank-aware-full-train", v,
           ladder=lambda: _full_ladder(claims, "goe-rank-aware-full-train", study, full_n, read_rank, "all"),
           measured={"mean_r_tilde": v.value, "ci95": [v.lo, v.hi], "rank": int(s["full train"].rank.min()),
                     "P": s["full train"].P})
    if study.untrained:
        a, b = E["bs64 test"], E["reference"]

        def read_tu(k):
            return largest_difference({"untrained": rtilde_value(a[:k]), "trained": rtilde_value(b[:k])})

        n = min(len(a), len(b))
        dv = read_tu(n)
        decide(claims, "trained-vs-untrained", dv,
               ladder=lambda: subset_ladder(claims, "trained-vs-untrained", n, read_tu),
               measured={"untrained": est["bs64 test"].value, "trained": r_estimate(study.reference.rt).value,
                         "difference": dv.value, "interval": [dv.lo, dv.hi]})
