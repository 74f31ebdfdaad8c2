"""The logistic-regression appendix pages (Baskerville et al., Figs. A.10–A.13), one computation each.

Figures A.10 / A.12 (unfolded spacings) and A.11 / A.13 (spacing ratios) are the same computation on
the trained and on the untrained softmax regression: the pages call :func:`spacing_study` /
:func:`ratio_study` with their recipe (``"logistic"`` or ``"logistic_init"`` of the preset) and then
the figure, table and claim helpers below. The untrained pages also compare with the trained test
spectra (the paper's "no discernible difference").
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
from scipy import stats as st

from . import pages
from .analysis import Summary, plot_ratios, plot_spacings, stats_table, summarise
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
    s = {split: summarise(pages.spectra(p, net, split, device), f"{label}, {split}") for split in SPLITS}
    ref = summarise(pages.spectra(p, TRAINED, "test", device), "trained, test (Fig. A.10)") if net == UNTRAINED else None
    study = LogisticStudy(net, tm, s, ref)
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
    for split in SPLITS:
        s[f"bs64 {split}"] = summarise(pages.spectra(p, net, split, device), f"bs64, {split}", unfold=False)
        s[f"full {split}"] = summarise([full_logistic_spectrum(tm, split, full_n, device=device)], f"full {split}",
                                       unfold=False)
    ref = None
    if net == UNTRAINED:
        ref = summarise(pages.spectra(p, TRAINED, "test", device), "trained bs64 test (Fig. A.11)", unfold=False)
    study = LogisticStudy(net, tm, s, ref)
    m = tm.metrics
    who = "untrained (seeded init)" if study.untrained else "trained"
    print(f"{who}: training loss {m['init_train_loss']:.3f} → {m['train_loss']:.3f}")
    return study


def ratio_setup_row(p: dict) -> list:
    """The setup row of the full-data Hessians (Figs. A.11 / A.13)."""
    full_n = p["sizes"]["full_n"]
    return ["full-data Hessians", "all 60,000 train / 10,000 test images; ratio cut-off: none (code, D7)",
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


def spacing_claim_ids(net: str) -> tuple[str, ...]:
    middle = "trained-vs-untrained" if net == UNTRAINED else "trained-weights"
    return ("wigner-train", "wigner-test", "train-test", middle, "goe-rank-aware")


def spacing_claims(claims, study: LogisticStudy | None, net: str, missing: list[str]) -> None:
    """The claims of Figs. A.10 / A.12 (recorded as not run when data is missing)."""
    if study is None:
        for cid in spacing_claim_ids(net):
            claims.not_run(cid, cid, reason="data missing", note=f"missing: {missing}")
        return
    s = study.summaries
    for split in SPLITS:
        pages.claim_wigner(claims, f"wigner-{split}", f"unfolded spacings ({split} batches) follow the Wigner surmise",
                           s[split])
    ks2 = st.ks_2samp(s["train"].spacings, s["test"].spacings)
    claims.check("train-test", "no discernible difference between train and test spacings",
                 rule="two-sample KS p > 0.01", holds=bool(ks2.pvalue > 0.01),
                 measured={"ks": float(ks2.statistic), "p_value": float(ks2.pvalue)})
    if study.untrained:
        t = study.reference
        ks3 = st.ks_2samp(s["test"].spacings, t.spacings)
        claims.check("trained-vs-untrained", "no discernible difference between trained and untrained spacings (test)",
                     rule="two-sample KS p > 0.01 and |KS(Wigner) difference| < 0.02",
                     holds=bool(ks3.pvalue > 0.01 and abs(s["test"].ks.ks_wigner - t.ks.ks_wigner) < 0.02),
                     measured={"ks": float(ks3.statistic), "p_value": float(ks3.pvalue),
                               "ks_wigner_untrained": s["test"].ks.ks_wigner, "ks_wigner_trained": t.ks.ks_wigner})
    else:
        m = study.trained.metrics
        claims.check("trained-weights", "the spectra are of trained weights (D1: the authors' code never loads them)",
                     rule="training loss at the evaluated weights < 0.8 × the loss at init",
                     holds=m["train_loss"] < 0.8 * m["init_train_loss"],
                     measured={"init": m["init_train_loss"], "trained": m["train_loss"]})
    pages.claim_rank_aware(claims, "goe-rank-aware", "ratios of the numerically non-zero eigenvalues (test) are GOE-like",
                           s["test"])


def ratio_claims(claims, study: LogisticStudy | None, missing: list[str]) -> None:
    """The claims of Figs. A.11 / A.13 (recorded as not run when data is missing)."""
    if study is None:
        for k in RATIO_KEYS:
            claims.not_run("goe-" + k.replace(" ", "-"), f"spacing ratios ({k}) follow the GOE", reason="data missing",
                           note=f"missing: {missing}")
        return
    s = study.summaries
    for k in RATIO_KEYS:
        pages.claim_goe(claims, "goe-" + k.replace(" ", "-"), f"spacing ratios ({k}) follow the GOE", s[k])
    m = {k: s[k].rt.mean for k in RATIO_KEYS}
    spread = max(m.values()) - min(m.values())
    claims.check("no-condition-effect", "no train/test or batch/full-data difference",
                 rule="spread of ⟨r̃⟩ over the four conditions < 0.02", holds=spread < 0.02,
                 measured={**m, "spread": spread})
    pages.claim_rank_aware(claims, "goe-rank-aware-full-train", "rank-aware ratios of the full training Hessian are GOE-like",
                           s["full train"])
    if study.untrained:
        d = abs(s["bs64 test"].rt.mean - study.reference.rt.mean)
        claims.check("trained-vs-untrained", "untrained ratios match the trained ones (bs64 test)",
                     rule="|⟨r̃⟩ untrained − ⟨r̃⟩ trained| < 0.02", holds=d < 0.02,
                     measured={"untrained": s["bs64 test"].rt.mean, "trained": study.reference.rt.mean,
                               "difference": d})
