"""Xie et al.'s LeNet "regime" runs: the baseline with one knob changed (batch size, training-set
size, label noise, random labels, Gaussian inputs), with the Hessian over the training or the test set.

:func:`regime_run` is :func:`dlspectra.papers.xie.pipeline.lenet_run` with three additions the regime pages need:

* the training-set size is changed through the preset (``xie_train_config`` sets ``DataSpec.n``
  from the preset, so it cannot also be passed in ``data_changes``);
* the unchanged baseline's training-set spectrum is fig01's (the preset's shared ``hessian`` block:
  same cache entry), every other spectrum uses ``p["regime_hessian"]`` on top of that block;
* every run is fitted at the same ``p["fit_k"]`` (the top ``fit_k`` of a larger spectrum are the
  same eigenvalues), so the rows of a page share one K and one critical value.

The preset keys used: ``lenet``, ``hessian``, ``regime_hessian``, ``fit_k``, ``seed``, ``test_n``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from dlspectra.fits import PowerLawFit
from dlspectra.papers.xie.recipes import xie_train_config
from dlspectra.spectra import spectrum_spec
from dlspectra.papers.xie.pipeline import Run, fit_spectrum, lenet_run


def _preset_for(p: dict, dataset: str, train_n: int | None = None) -> dict:
    """``p`` with the LeNet recipe of ``dataset`` (Gaussian inputs take MNIST's) and, if given, ``train_n``."""
    lenet = dict(p["lenet"])
    if dataset not in lenet:
        lenet[dataset] = dict(lenet["mnist"])
    if train_n is not None:
        lenet[dataset] = dict(lenet[dataset], train_n=train_n)
    return dict(p, lenet=lenet)


def is_baseline(p: dict, dataset: str = "mnist", train_n: int | None = None, data_changes: dict | None = None,
                **train_changes) -> bool:
    """Whether these changes leave the preset's SGD baseline of ``dataset`` unchanged."""
    if dataset not in p["lenet"]:
        return False
    q = _preset_for(p, dataset, train_n)
    return xie_train_config(q, dataset, data_changes=data_changes, **train_changes) == xie_train_config(p, dataset)


def with_label_epochs(p: dict, data_changes: dict | None, train_changes: dict) -> dict:
    """``train_changes`` with ``epochs = p["label_epochs"]`` for a run on noisy or random labels (when
    the preset sets it and the caller did not choose the epochs)."""
    corrupt = bool(data_changes) and bool(data_changes.get("label_noise") or data_changes.get("random_labels"))
    if corrupt and p.get("label_epochs") and "epochs" not in train_changes:
        return dict(train_changes, epochs=p["label_epochs"])
    return dict(train_changes)


def regime_run(p: dict, label: str, *, dataset: str = "mnist", split: str = "train", train_n: int | None = None,
               data_changes: dict | None = None, device: str = "auto", progress: bool = True,
               **train_changes) -> Run:
    """Train (or load) the baseline with the given changes, take its top Hessian eigenvalues over
    ``split`` ("train": the first ``hessian_n`` training samples, labels as trained; "test": a
    class-balanced subset of clean test samples) and fit the top ``p["fit_k"]`` of them.

    Runs on noisy or random labels train ``p["label_epochs"]`` epochs when the preset sets it (the
    paper's premise is that they fit the noise; pass ``epochs=`` to the clean comparison runs too).
    """
    train_changes = with_label_epochs(p, data_changes, train_changes)
    q = _preset_for(p, dataset, train_n)
    if split == "train" and is_baseline(p, dataset, train_n, data_changes, **train_changes):
        spec = spectrum_spec(q)  # fig01's spectrum of the baseline: shared cache entry
    else:
        spec = spectrum_spec(q, split=split, **p.get("regime_hessian", {}))
    run = lenet_run(q, dataset, label=label, device=device, spectrum=spec, progress=progress,
                    data_changes=data_changes, **train_changes)
    run.fit = fit_spectrum(run.spectrum, min(p["fit_k"], spec.k))
    return run


def train_metric(run: Run, split: str = "train", key: str = "accuracy") -> float | None:
    """Final train/test loss or accuracy of a run (train: on its own, possibly corrupted, labels)."""
    return run.trained.metrics.get(split, {}).get(key)


def count_outliers(fit: PowerLawFit, eigenvalues: np.ndarray, factor: float = 2.0) -> int:
    """Number of top-K eigenvalues lying more than ``factor`` times above the fitted rank line
    λ_k = λ_K (K/k)^ŝ (the line :func:`dlspectra.book.plotting.rank_plot` draws)."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))[::-1][:fit.k]
    k = np.arange(1, lam.size + 1)
    line = fit.lambda_cutoff * (fit.k / k) ** fit.s_mle
    return int(np.sum(lam > factor * line))


def outliers_at(run: Run, k: int, factor: float = 2.0) -> int:
    """Number of the top ``k`` eigenvalues of ``run`` more than ``factor`` × above the rank line of
    the power law fitted to those ``k`` (:func:`count_outliers` at K = k; the outliers of Xie Sec. 4, item 3, and App. E)."""
    lam = np.asarray(run.spectrum.eigenvalues, dtype=float)
    if k > lam.size:
        raise ValueError(f"outliers_at K = {k}: {run.label} holds {lam.size} eigenvalues")
    return count_outliers(fit_spectrum(run.spectrum, k), lam, factor)


def rank_dominance(lower: Run, upper: Run, k: int) -> float:
    """Fraction of the ranks 1..k at which λ_r(upper) >= λ_r(lower) (1: every one of the top ``k``
    eigenvalues of ``upper`` is at least that of ``lower``; Xie Sec. 4's "larger eigenvalues")."""
    a = np.asarray(lower.spectrum.eigenvalues, dtype=float)
    b = np.asarray(upper.spectrum.eigenvalues, dtype=float)
    if k < 1 or k > min(a.size, b.size):
        raise ValueError(f"rank_dominance K = {k}: the spectra hold {a.size} and {b.size} eigenvalues")
    return float(np.mean(b[:k] >= a[:k]))


def bulk_fit(eigenvalues: np.ndarray, k: int, drop_top: int) -> PowerLawFit:
    """Power-law fit of λ_{drop_top+1} .. λ_k: the spectrum "after the top outliers" (Xie App. E)."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))[::-1][:k]
    return fit_spectrum(_AsSpectrum(lam[drop_top:]), None)


@dataclasses.dataclass
class _AsSpectrum:
    """The one attribute :func:`dlspectra.papers.xie.pipeline.fit_spectrum` reads."""

    eigenvalues: np.ndarray


def random_run(p: dict, dataset: str = "mnist", *, device: str = "auto", progress: bool = True) -> Run:
    """The seeded random initialisation with fig01's spectrum (shared cache entry), fitted at ``fit_k``."""
    run = lenet_run(p, dataset, random=True, label=f"{dataset}, random init", device=device, progress=progress)
    run.fit = fit_spectrum(run.spectrum, min(p["fit_k"], run.spectrum.eigenvalues.size))
    return run


def log_spectrum_distance(a: np.ndarray, b: np.ndarray, k: int) -> float:
    """Mean |log λ_k(a) − log λ_k(b)| over the ranks 1..k where both are positive (0: same spectrum)."""
    la = np.sort(np.asarray(a, dtype=float))[::-1][:k]
    lb = np.sort(np.asarray(b, dtype=float))[::-1][:k]
    ok = (la > 0) & (lb > 0)
    return float(np.mean(np.abs(np.log(la[ok]) - np.log(lb[ok]))))


def phase(batch_equiv: int, p: dict) -> str:
    """Xie's batch-size phase of a run whose paper-equivalent batch size is ``batch_equiv``:
    "I" (B <= 640), "II" (768 <= B < 60,000) or "III" (full batch)."""
    if batch_equiv >= 60000:
        return "III"
    return "I" if batch_equiv <= 640 else "II"


def batch_runs_by_paper_b(p: dict) -> dict[int, int]:
    """``{paper batch size: batch size of the run that stands for it}``, the inverse of the preset's
    ``batch_equiv`` (ci: 128 -> 11, ..., 60,000 -> 5,000; the ci baseline 128 ≙ 1,536 is a key too).
    Raises ValueError when two runs of ``p["batch_sizes"]`` stand for the same paper size, or a run
    has no ``batch_equiv`` entry (a table row would otherwise read the wrong run)."""
    equiv = p["batch_equiv"]
    missing = [b for b in p["batch_sizes"] if b not in equiv]
    if missing:
        raise ValueError(f"batch sizes {missing} have no batch_equiv entry")
    out: dict[int, int] = {}
    for b in p["batch_sizes"]:
        e = equiv[b]
        if e in out:
            raise ValueError(f"batch sizes {out[e]} and {b} both stand for the paper's B = {e}")
        out[e] = b
    return out


def setup_rows(p: dict, *, knob: list[str], hessian_over: tuple[str, str] | None = None,
               epochs: tuple[str, str] | None = None, baseline_spectrum: bool = True) -> list[list[str]]:
    """The "paper vs this run" rows of a regime page, read from the preset: the LeNet/MNIST
    baseline, the knob that changes, the data the Hessian is taken over and the eigenvalue budget
    (``baseline_spectrum``: the page uses the unchanged baseline's training-set spectrum)."""
    h = dict(p["hessian"], **p.get("regime_hessian", {}))
    base = p["lenet"]["mnist"]
    k = p["fit_k"]
    return [
        ["model", "LeNet-5 (ReLU)", "LeNet-5 (ReLU), PyTorch default init"],
        ["baseline training data", "MNIST, 60,000 images", f"MNIST, {base['train_n'] or '60,000'} images (class-balanced)"],
        ["optimizer", "SGD, momentum 0.9, lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 %", "same"],
        ["epochs", *(epochs or ("50", str(base["epochs"])))],
        knob,
        ["Hessian over", *(hessian_over or ("the training set (not stated which part)",
                                            f"first {h['hessian_n'] or 'all'} training samples"))],
        ["eigenvalues", "top 1000 by Lanczos",
         f"top {k} tested; Lanczos (full reorthogonalisation) ≤ {h['max_steps']} steps, tol {h['tol']:g}"
         + (f"; the unchanged baseline's training-set spectrum is the fig01 one (K = {p['hessian']['k']}, top {k} "
            "tested)" if baseline_spectrum else "")],
        ["KS test", "d_c = 1.36/√K = 0.0430 (K = 1000)", f"d_c = 1.36/√K = {1.36 / np.sqrt(k):.4f} (K = {k})"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]
