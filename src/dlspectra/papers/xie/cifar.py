"""Xie et al.'s CIFAR runs: ResNet18 on CIFAR-10 (fig14, fig19, tab09) and LeNet on CIFAR-10 across
optimizers (fig15, fig17, tab07), built on :func:`dlspectra.papers.xie.pipeline.lenet_run`.

* :func:`resnet_run`: ``lenet_run`` with the preset's ResNet blocks (``resnet`` = training-set size
  and epochs per data set, ``resnet_model`` = model config, ``resnet_hessian`` = spectrum), so the
  three ResNet pages share every cached model and spectrum.
* :func:`optimizer_run`: LeNet on CIFAR-10 with one optimizer (the paper's CIFAR learning rate),
  spectrum from the preset's ``cifar_hessian`` block (shared by fig15, fig17 and tab07).
* :func:`optimizer_runs`: every optimizer of the preset, a training that diverges (NaN loss) handled
  as App. B of the paper reads (see :data:`GRID_SELECTED`): recorded, never a crash. Its
  :class:`LrOutcome` per optimizer says which learning rate each run was trained at.
* :func:`optimizer_styles`: a distinct colour and marker per optimizer (11 in one legend).
* :func:`hessian_trace`: cached Hutchinson estimate of Tr(H) over the same samples as the spectrum.
* :func:`paper_batch`: the paper batch size a ci batch size stands for (same B/N).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import torch

from dlspectra.cache import Cache
from dlspectra.data import size_note
from dlspectra.optim import PAPER_LR_CIFAR
from dlspectra.spectra import SpectrumSpec, build_operator, spectrum_spec
from dlspectra.spectra import hessian_trace as spectra_hessian_trace
from dlspectra.train import resolve_device
from dlspectra.book.plotting import distinct_styles as optimizer_styles  # noqa: F401 - the pages' name
from dlspectra.papers.xie.fcn import PAPER_LR_GRID
from dlspectra.book.rules import Estimate
from dlspectra.papers.xie.claims.cifar import OPTIMIZERS, WHY_K_LENET_RANDOM, tab07_id
from dlspectra.papers.xie.ladders import Ladders, decide, k_reread, lower_rungs, not_run_ids
from dlspectra.papers.xie.pipeline import Run, converged, fit_spectrum, lenet_run
from dlspectra.papers.xie.recipes import xie_train_config
from dlspectra.papers.xie.reference.cifar_tables import TABLE7, TABLE7_D_C, TABLE9, TABLE9_D_C, floats


def resnet_preset(p: dict) -> dict:
    """``p`` with its ResNet blocks in the places :func:`lenet_run` reads (``lenet``, ``hessian``)."""
    return dict(p, lenet=p["resnet"], hessian=p["resnet_hessian"])


def resnet_run(p: dict, dataset: str = "cifar10", *, random: bool = False, label: str | None = None,
               device: str = "auto", progress: bool = True, **train_changes) -> Run:
    """ResNet18 (width ``p["resnet_model"]["width"]``) trained with Xie's CIFAR recipe (or at random
    init), its top-K Hessian eigenvalues (model in eval mode) and their power-law fit."""
    return lenet_run(resnet_preset(p), dataset, random=random, label=label, device=device, progress=progress,
                     model="resnet18", model_config=dict(p["resnet_model"]), **train_changes)


def cifar_spec(p: dict) -> SpectrumSpec:
    """The spectrum spec of the LeNet-CIFAR optimizer pages (``p["cifar_hessian"]``)."""
    return spectrum_spec(dict(p, hessian=p["cifar_hessian"]))


def optimizer_run(p: dict, optimizer: str = "sgd", dataset: str = "cifar10", *, random: bool = False,
                  label: str | None = None, device: str = "auto", progress: bool = True) -> Run:
    """LeNet on ``dataset`` trained with ``optimizer`` at the paper's CIFAR learning rate (or at
    random init), with the spectrum of ``p["cifar_hessian"]``."""
    if random:
        return lenet_run(p, dataset, random=True, label=label or "random", device=device,
                         spectrum=cifar_spec(p), progress=progress)
    return lenet_run(p, dataset, optimizer=optimizer, label=label or optimizer, device=device,
                     spectrum=cifar_spec(p), progress=progress)


GRID_SELECTED = ("sgd", "vanilla-sgd", "adai", "pnm", "lookahead")
"""Optimizers whose learning rate the paper selected from its grid. App. B: "We select the optimal
learning rate for each experiment from {0.0001, 0.001, 0.01, 0.1, 1, 10} for SGD and use the default
learning rate for adaptive gradient methods"; the optimizers not at the adaptive default 0.001 (on
CIFAR: Vanilla SGD, Adai, PNM at 1; SGD, Lookahead at 0.1) got a grid value. When one of them
diverges (NaN loss) at the paper's CIFAR rate, the rate that selection could have chosen at this
scale is the next grid value below at which training does not diverge (as
:func:`dlspectra.papers.xie.fcn.fcn_run_trainable` does); an adaptive optimizer that diverges at its
default rate is recorded as diverged, with no other rate tried."""


@dataclasses.dataclass(frozen=True)
class LrOutcome:
    """Which learning rate an optimizer's LeNet was trained at.

    ``paper_lr``: the paper's CIFAR rate; ``lr``: the rate of the run the page uses (None: training
    diverged at every rate tried, there is no run); ``diverged``: the rates at which training
    diverged, in the order tried; ``message``: the last divergence message.
    """

    optimizer: str
    paper_lr: float
    lr: float | None
    diverged: tuple[float, ...] = ()
    message: str = ""

    @property
    def changed(self) -> bool:
        """Whether the run is not at the paper's rate (a divergence moved it, or there is none)."""
        return self.lr != self.paper_lr


def _rates(optimizer: str, dataset: str) -> list[float]:
    """The rates :func:`optimizer_runs` tries for ``optimizer``, the paper's first."""
    paper = PAPER_LR_CIFAR[optimizer]
    if optimizer not in GRID_SELECTED:
        return [paper]
    return [paper] + [x for x in PAPER_LR_GRID if x < paper]


def optimizer_runs(p: dict, optimizers: list[str] | None = None, dataset: str = "cifar10", *,
                   device: str = "auto", progress: bool = True, label_prefix: str = "",
                   cache: Cache | None = None) -> tuple[dict[str, Run], dict[str, LrOutcome]]:
    """:func:`optimizer_run` for each of ``optimizers`` (default ``p["optimizers"]``) on ``dataset``.

    A training that diverges (:class:`FloatingPointError` from :func:`dlspectra.train.train_model`)
    is recorded in the cache (namespace ``training-diverged``, keyed by the training config), so a
    warm page does not train it again; the next rate of :data:`GRID_SELECTED`'s rule is tried.
    Returns ``(runs, outcomes)``: ``runs`` holds the optimizers that trained (in order), ``outcomes``
    every optimizer's :class:`LrOutcome`.
    """
    cache = cache or Cache()
    runs: dict[str, Run] = {}
    outcomes: dict[str, LrOutcome] = {}
    for opt in optimizers if optimizers is not None else p["optimizers"]:
        paper_lr = PAPER_LR_CIFAR[opt]
        diverged: list[float] = []
        message = ""
        for lr in _rates(opt, dataset):
            changes = {} if lr == paper_lr else {"lr": lr}  # the paper's rate: the cache key of optimizer_run
            key = {"train": xie_train_config(p, dataset, optimizer=opt, **changes).key_config(), "_version": 1}
            record = cache.load("training-diverged", key, "json")
            if record is None:
                try:
                    runs[opt] = lenet_run(p, dataset, optimizer=opt, label=f"{label_prefix}{opt}", device=device,
                                          spectrum=cifar_spec(p), progress=progress, **changes)
                except FloatingPointError as exc:
                    record = cache.save("training-diverged", key, "json", {"message": str(exc)})
            if record is None:
                outcomes[opt] = LrOutcome(opt, paper_lr, lr, tuple(diverged), message)
                break
            diverged.append(lr)
            message = str(record["message"])
        else:
            outcomes[opt] = LrOutcome(opt, paper_lr, None, tuple(diverged), message)
    return runs, outcomes


def lr_rows(outcomes: dict[str, LrOutcome], runs: dict[str, Run]) -> list[list[str]]:
    """Rows (optimizer, paper lr, lr trained at, diverged at, test accuracy) of a page's lr table."""
    rows = []
    for opt, o in outcomes.items():
        acc = runs[opt].test_accuracy if opt in runs else None
        rows.append([opt, f"{o.paper_lr:g}", "— (no run)" if o.lr is None else f"{o.lr:g}",
                     ", ".join(f"{x:g}" for x in o.diverged) or "—",
                     "—" if acc is None else f"{100 * acc:.1f} %"])
    return rows


LR_HEAD = ["optimizer", "paper lr (CIFAR)", "trained at", "diverged at (NaN loss)", "test acc."]


def lr_note(outcomes: dict[str, LrOutcome], among: list[str] | None = None) -> str:
    """A claim note naming the optimizers of ``among`` (default all) not trained at the paper's rate:
    those with no run (training diverged at every rate tried) and those trained at a lower grid
    rate after a divergence; "" when every one is at the paper's rate."""
    moved = [o for o in outcomes.values() if o.changed and (among is None or o.optimizer in among)]
    parts = []
    for o in moved:
        at = ", ".join(f"{x:g}" for x in o.diverged)
        parts.append(f"{o.optimizer}: training diverged at lr {at}, no spectrum" if o.lr is None else
                     f"{o.optimizer} trained at lr {o.lr:g} (diverged at {at}; the paper's grid, App. B)")
    return "; ".join(parts)


def all_hold(present: list[bool], missing: int) -> bool | None:
    """A claim "for every optimizer": False when it fails on a run that exists, None (inconclusive)
    when it holds on every existing run but ``missing`` optimizers have no run, else True."""
    if not all(present):
        return False
    return None if missing else True


def hessian_trace(run: Run, spec: SpectrumSpec, num_probes: int, device: str = "auto", *,
                  cache: Cache | None = None) -> tuple[float, float]:
    """Hutchinson estimate of Tr(H) (mean, standard error) of a run over the samples of ``spec``:
    :func:`dlspectra.spectra.hessian_trace` with the spectrum's seed."""
    return spectra_hessian_trace(run.trained, spec, num_probes, device, seed=spec.seed, cache=cache)


def paper_batch(batch_size: int, train_n: int | None, paper_n: int = 50000) -> int:
    """The paper batch size with the same fraction B/N of the training set (steps per epoch)."""
    if train_n is None:
        return int(batch_size)
    return int(round(batch_size * paper_n / train_n))


def resnet_setup_rows(p: dict) -> list[list]:
    """Rows of the "paper vs this run" setup table of the ResNet pages, read from the preset."""
    c = p["resnet"]["cifar10"]
    h = p["resnet_hessian"]
    w = p["resnet_model"]["width"]
    n_params = {64: "11.2M", 32: "2.8M", 16: "701k", 8: "176k", 4: "44.6k"}.get(w, "?")
    return [
        ["model", "ResNet18 (BasicBlocks [2,2,2,2], widths 64-512, BatchNorm; 11.2M params)",
         f"same depth and blocks, base width {w} (widths {w}-{8 * w}; {n_params} params)"
         + (" — ci change" if w != 64 else "")],
        ["training data", "CIFAR-10, 50,000 images, flip + crop augmentation",
         f"CIFAR-10, {size_note('cifar10', c['train_n'])}, flip + crop"],
        ["optimizer", "SGD, momentum 0.9, lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 %", "same"],
        ["epochs", "200 (not stated for ResNet18; CIFAR schedule implies 200)", str(c["epochs"])],
        ["Hessian over", "the training set (not stated which part)",
         f"first {h['hessian_n'] or 'all'} training images, eval mode (BatchNorm running statistics), no weight decay"],
        ["eigenvalues", "top 50 by Lanczos (\"due to the GPU memory limit\")",
         f"top {h['k']} by Lanczos (full reorthogonalisation, ≤ {h['max_steps']} steps, tol {h['tol']:g})"],
        ["KS test", "K = 50, d_c printed as 0.176 (Table 5 gives 0.192)", f"d_c = 1.36/√K = {1.36 / np.sqrt(h['k']):.3f}"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]


#: Table 7 of the paper (LeNet, K = 1000, d_c = 0.0430): (data set, run) -> (d_ks, β̂, σ, ŝ), read from
#: :mod:`dlspectra.papers.xie.reference.cifar_tables`; the reference column of fig15, fig17 and tab07
#: (DiffGrad's ŝ 1.236 is as printed: 1/(β̂-1) = 1.245).
TAB07_PAPER: dict[tuple[str, str], tuple[float | None, ...]] = floats(TABLE7)

#: Optimizers the paper groups as adaptive (larger ŝ on CIFAR-10 LeNet) and as SGD-like (smaller ŝ).
ADAPTIVE = ("adam", "amsgrad", "yogi", "radam", "diffgrad")
SGD_LIKE = ("sgd", "vanilla-sgd", "lookahead")


def paper_row(dataset: str, run: str) -> dict:
    """A Table 7 row as the ``paper`` dict of :func:`dlspectra.papers.xie.pipeline.comparison_table`."""
    d, b, s, sh = TAB07_PAPER[(dataset, run)]
    return {"d_ks": d, "d_c": TABLE7_D_C.value, "beta": b, "sigma": s, "s": sh}


def lenet_cifar_setup_rows(p: dict, outcomes: dict[str, LrOutcome] | None = None) -> list[list]:
    """Setup rows of the LeNet-CIFAR optimizer pages (fig15, fig17, tab07), read from the preset and,
    for the learning rates, from the :func:`optimizer_runs` ``outcomes`` (when given)."""
    c = p["lenet"]["cifar10"]
    h = p["cifar_hessian"]
    moved = [o for o in (outcomes or {}).values() if o.changed]
    lrs = "same" if not moved else "same, except " + "; ".join(
        f"{o.optimizer}: diverged at {', '.join(f'{x:g}' for x in o.diverged)}, "
        + ("no run" if o.lr is None else f"trained at {o.lr:g} (next value of the paper's grid, App. B)")
        for o in moved) + " — ci change"
    return [
        ["model", "LeNet-5 (ReLU)", "LeNet-5 (ReLU), PyTorch default init (62,006 params)"],
        ["training data", "CIFAR-10, 50,000 images, flip + crop augmentation",
         f"CIFAR-10, {size_note('cifar10', c['train_n'])}, flip + crop"],
        ["optimizers", "11: SGD, Vanilla SGD, Adam, AMSGrad, AdaBound, Yogi, RAdam, Adai, PNM, Lookahead, DiffGrad",
         f"{len(p['optimizers'])}: " + ", ".join(p["optimizers"])],
        ["learning rates", "SGD, Lookahead 0.1; Vanilla SGD, Adai, PNM 1; adaptive 0.001 (SGD-type selected "
         "from {1e-4, ..., 10}, App. B)", lrs],
        ["recipe", "batch 128, wd 5e-4, momentum 0.9, lr /10 at epochs 80 and 160", "same (lr /10 at 40 %/80 %)"],
        ["epochs", "not stated for CIFAR-10 (schedule implies 200)", str(c["epochs"])],
        ["Hessian over", "the training set (not stated which part)",
         f"first {h['hessian_n'] or 'all'} training images (no augmentation), eval mode, no weight decay"],
        ["eigenvalues", "top 1000 by Lanczos",
         f"top {h['k']} by Lanczos (full reorthogonalisation, ≤ {h['max_steps']} steps, tol {h['tol']:g})"],
        ["KS test", "d_c = 1.36/√K = 0.0430 (K = 1000)", f"d_c = 1.36/√K = {1.36 / np.sqrt(h['k']):.4f} (K = {h['k']})"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]


def spectrum_on(trained, dataset: str, n: int | None, spec: SpectrumSpec, device: str = "auto", *,
                progress: bool = True, cache: Cache | None = None):
    """Top-K Hessian eigenvalues of ``trained`` over the first ``spec.n`` training samples of
    *another* data set (Table 7's "Evaluated on CIFAR-10" row: a CIFAR-100 model, CIFAR-10 images with
    their labels as class indices). ``n`` is that data set's training subset. Cached under the
    model's own training config plus the evaluation data (not the model's own spectrum key)."""
    from dlspectra import spectral
    from dlspectra.spectra import Spectrum

    data = dataclasses.replace(trained.config.data, name=dataset, n=n)
    swapped = dataclasses.replace(trained, config=trained.config.replace(data=data))
    cache = cache or Cache()
    key = {"train": trained.config.key_config(), "evaluated_on": dataclasses.asdict(data),
           "spectrum": dataclasses.asdict(spec), "_version": 1}

    def compute() -> dict:
        op = build_operator(swapped, spec, resolve_device(device))
        with warnings.catch_warnings():  # recorded in ``converged``; the page says it in its own words
            warnings.filterwarnings("ignore", message=r".*not converged.*")
            res = spectral.lanczos_top_k(op, spec.k, num_steps=spec.max_steps, tol=spec.tol, seed=spec.seed,
                                         progress=progress)
        return {"eigenvalues": np.asarray(res.eigenvalues, dtype=np.float64),
                "residuals": np.asarray(res.residuals, dtype=np.float64),
                "num_matvecs": np.int64(res.num_matvecs), "converged": np.bool_(res.converged), "seconds": np.float64(0)}

    out = cache.get_or_compute("spectra-cross", key, compute, "npz")
    trained.model.to(torch.float32)
    return Spectrum(out["eigenvalues"], out["residuals"], int(out["num_matvecs"]), bool(out["converged"]),
                    float(out["seconds"]))


# ----------------------------------------------------------------------------- claims and their ladders
# The claims are declared in :mod:`dlspectra.papers.xie.claims.cifar`; these functions decide them from
# the page's runs and build the ladder of a claim that needs one (:mod:`dlspectra.papers.xie.ladders`).


PAPER_CIFAR_N = 50000
"""CIFAR-10/100 training-set size: the paper's Hessian is over "the training set" (App. A)."""


def spearman_estimate(x, y, level: float = 0.95) -> Estimate:
    """Spearman's ρ of ``x`` and ``y`` with its ``level`` interval (Fisher's z, Fieller's variance
    1.06/(n − 3)); NaN with an infinite interval for fewer than 4 points."""
    from scipy.stats import norm, spearmanr

    n = len(x)
    if n < 4:
        return Estimate(float("nan"), -float("inf"), float("inf"), level)
    rho = float(spearmanr(x, y).statistic)
    if rho != rho:
        return Estimate(float("nan"), -1.0, 1.0, level)
    z = np.arctanh(np.clip(rho, -0.999999, 0.999999))
    half = float(norm.ppf(0.5 + level / 2)) * np.sqrt(1.06 / (n - 3))
    lo, hi = float(np.tanh(z - half)), float(np.tanh(z + half))
    return Estimate(rho, min(lo, rho), max(hi, rho), level)  # |ρ| = 1: z is clipped, the interval keeps ρ


def estimate_dict(e: Estimate) -> dict:
    """An :class:`Estimate` as the ``measured`` dict of a claim."""
    return {"rho": e.value, f"{100 * e.level:.0f} % interval": [e.lo, e.hi]}


def _samples_note(p_spec_n: int | None, run: Run, paper_n: int, what: str) -> str:
    """The paper rung's note: the Hessian over all ``paper_n`` training images, its cost from this run's spectrum."""
    if not p_spec_n:
        return f"not run: the Hessian over all {paper_n:,} training images ({what})"
    scale = paper_n / p_spec_n
    secs = float(run.spectrum.seconds or 0.0)
    cost = f" (≈ {secs * scale / 3600:.0f} CPU-hours here)" if secs else ""
    return (f"not run: the Hessian over all {paper_n:,} training images ({what}) costs about {scale:,.0f}× the "
            f"products of the {p_spec_n}-image one{cost}")


def sample_ladders(p: dict, block: str, makers: dict, *, cost_run: Run, what: str,
                   paper_n: int = PAPER_CIFAR_N) -> Ladders:
    """:class:`Ladders` over the Hessian sample size of the spectrum block ``p[block]``: the scale's own
    size and :func:`lower_rungs` below it (``p["ladder_fractions"]``, default a quarter).
    ``makers[name](changes) -> Run`` computes network ``name`` with the spectrum changes of a rung."""
    h = p[block]
    n = h["hessian_n"]
    settings = lower_rungs(n, p.get("ladder_fractions", (0.25,))) if n else [n]

    def wrap(make):
        def at(s):
            return make(None if s == n else {"n": s, "batch_size": min(h["batch_size"], s)})
        return at

    return Ladders("Hessian samples", settings, paper_n, _samples_note(n, cost_run, paper_n, what),
                   {k: wrap(m) for k, m in makers.items()}, unit="images")


def resnet_ladders(p: dict, nets: dict[str, dict], seeds: dict[str, Run], *, device: str = "auto") -> Ladders:
    """The Hessian-sample ladders of the ResNet pages: network ``name`` is ``resnet_run(p, **nets[name])``
    with each rung's spectrum; ``seeds`` are the page's own runs (the scale's rung)."""
    def maker(kw):
        return lambda changes: resnet_run(p, device=device, progress=False, spectrum_changes=changes, **kw)

    any_run = next(iter(seeds.values()))
    lad = sample_ladders(p, "resnet_hessian", {k: maker(kw) for k, kw in nets.items()}, cost_run=any_run,
                         what="the paper's full-width ResNet18; on a GPU in the paper")
    for name, run in seeds.items():
        lad.seed(name, p["resnet_hessian"]["hessian_n"], run)
    return lad


def _t9(key: tuple) -> str:
    d = TABLE9[key]
    return f"d_ks {d[0]} vs d_c {TABLE9_D_C} (Table 9, K = 50)" + (f", ŝ {d[3]}" if d[3] is not None else "")


def _ks(run: Run) -> dict:
    f = run.fit
    return {"d_ks / d_c": f.ratio, "d_ks": f.d_ks, "d_c": f.d_c, "K": f.k}


def fig14_claims(claims, p: dict, random_run: Run, trained: dict[str, Run], *, device: str = "auto") -> None:
    """Decide the claims of ``xie/fig14`` (declared in :mod:`dlspectra.papers.xie.claims.cifar`)."""
    sgd = trained["sgd"]
    lad = resnet_ladders(p, {"random": {"random": True}, "sgd": {}}, {"random": random_run, "sgd": sgd},
                         device=device)

    def rule(cid):
        return claims.spec(cid).rule

    decide(claims, "trained-accepted", sgd.fit.ratio, converged=sgd.converged, measured=_ks(sgd),
           paper=_t9(("cifar10", "sgd")),
           ladder=lambda: lad.climb(rule("trained-accepted"), ["sgd"], lambda g: g("sgd").fit.ratio))
    decide(claims, "random-rejected", random_run.fit.ratio, converged=random_run.converged, measured=_ks(random_run),
           paper=_t9(("cifar10", "random")),
           ladder=lambda: lad.climb(rule("random-rejected"), ["random"], lambda g: g("random").fit.ratio))
    decide(claims, "ordering", random_run.fit.d_ks / sgd.fit.d_ks, converged=converged(random_run, sgd),
           measured={"random": random_run.fit.d_ks, "SGD": sgd.fit.d_ks},
           paper=f"random {TABLE9[('cifar10', 'random')][0]} > SGD {TABLE9[('cifar10', 'sgd')][0]} (Table 9)",
           ladder=lambda: lad.climb(rule("ordering"), ["random", "sgd"],
                                    lambda g: g("random").fit.d_ks / g("sgd").fit.d_ks))
    decide(claims, "s-band", (sgd.fit.s_mle, sgd.fit.s_mle), converged=sgd.converged, measured=sgd.fit.s_mle,
           paper=f"ŝ {TABLE9[('cifar10', 'sgd')][3]} (Table 9; 0.770-1.259 over its rows)",
           ladder=lambda: lad.climb(rule("s-band"), ["sgd"], lambda g: (g("sgd").fit.s_mle, g("sgd").fit.s_mle)))
    others = [o for o in trained if o != "sgd"]
    if others:
        ratio = max(trained[o].fit.ratio for o in others)
        lad_o = resnet_ladders(p, {o: {"optimizer": o} for o in others}, {o: trained[o] for o in others}, device=device)
        decide(claims, "all-optimizers-accepted", ratio, converged=converged(*(trained[o] for o in others)),
               measured={o: trained[o].fit.d_ks for o in others}, paper="Yes for all 11 (Table 9)",
               ladder=lambda: lad_o.climb(rule("all-optimizers-accepted"), others,
                                          lambda g: max(g(o).fit.ratio for o in others)))
    else:
        not_run_ids(claims, ["all-optimizers-accepted"], "scale",
                    note=f"this scale trains ResNet18 with {', '.join(trained)} only")


def batch_groups(p: dict, batches: list[int]) -> tuple[list[int], list[int]]:
    """The batch sizes of ``batches`` standing (same B/N) for the paper's passing side (≤ 1152) and
    failing side (≥ 1280) of Fig. 19's transition."""
    n = p["resnet"]["cifar10"]["train_n"]
    eq = {b: paper_batch(b, n, p["paper_n"]) for b in batches}
    return [b for b in batches if eq[b] <= 1152], [b for b in batches if eq[b] >= 1280]


def batch_ladders(p: dict, random_run: Run, runs: dict[int, Run], *, device: str = "auto") -> Ladders:
    """Hessian-sample ladders of the batch-size claims: ``random`` and ``B=<b>`` for every batch of ``runs``."""
    nets = {"random": {"random": True}, **{f"B={b}": {"batch_size": b} for b in runs}}
    seeds = {"random": random_run, **{f"B={b}": r for b, r in runs.items()}}
    return resnet_ladders(p, nets, seeds, device=device)


def batch_claims(claims, p: dict, random_run: Run, runs: dict[int, Run], lad: Ladders, *, prefix: str = "",
                 extra: bool = True) -> None:
    """Decide the batch-size claims of ``xie/fig19`` (``prefix=""``, with ``extra`` the ordering and
    the like-random claim) or of ``xie/tab09`` (``prefix="cifar10-"``)."""
    small, large = batch_groups(p, list(runs))
    b_min, b_max = min(runs), max(runs)

    def rule(cid):
        return claims.spec(cid).rule

    paper_small = "Yes for B = 128 … 1152 (Table 9: d_ks 0.056-0.080)"
    paper_large = "No for B = 1280 … 16384 (Table 9: d_ks 0.331-0.343)"
    cid = f"{prefix}small-batch-accepted"
    if small:
        decide(claims, cid, max(runs[b].fit.ratio for b in small), converged=converged(*(runs[b] for b in small)),
               measured={f"B={b}": runs[b].fit.d_ks for b in small}, paper=paper_small,
               ladder=lambda: lad.climb(rule(cid), [f"B={b}" for b in small],
                                        lambda g: max(g(f"B={b}").fit.ratio for b in small)))
    else:
        not_run_ids(claims, [cid], "scale", note="no batch size of this scale stands for B ≤ 1152")
    cid_l = f"{prefix}large-batch-rejected"
    if large:
        decide(claims, cid_l, min(runs[b].fit.ratio for b in large), converged=converged(*(runs[b] for b in large)),
               measured={f"B={b}": runs[b].fit.d_ks for b in large}, paper=paper_large,
               ladder=lambda: lad.climb(rule(cid_l), [f"B={b}" for b in large],
                                        lambda g: min(g(f"B={b}").fit.ratio for b in large)))
    else:
        not_run_ids(claims, [cid_l], "scale", note="no batch size of this scale stands for B ≥ 1280")
    if not extra:
        return
    hi, lo = f"B={b_max}", f"B={b_min}"
    decide(claims, "ordering", runs[b_max].fit.d_ks / runs[b_min].fit.d_ks, converged=converged(runs[b_max], runs[b_min]),
           measured={lo: runs[b_min].fit.d_ks, hi: runs[b_max].fit.d_ks},
           paper=f"B=128 {TABLE9[('cifar10', 'sgd')][0]} < B=16384 {TABLE9[('cifar10', 'B=16384')][0]} (Table 9)",
           ladder=lambda: lad.climb(rule("ordering"), [hi, lo], lambda g: g(hi).fit.d_ks / g(lo).fit.d_ks))

    def like_random(g):
        a, b, r = g(hi).fit.d_ks, g(lo).fit.d_ks, g("random").fit.d_ks
        return abs(a - b) - abs(a - r)

    decide(claims, "large-batch-like-random", like_random({hi: runs[b_max], lo: runs[b_min], "random": random_run}.get),
           converged=converged(runs[b_max], runs[b_min], random_run),
           measured={hi: runs[b_max].fit.d_ks, "random": random_run.fit.d_ks, lo: runs[b_min].fit.d_ks},
           paper=f"B=16384 {TABLE9[('cifar10', 'B=16384')][0]} ≈ random {TABLE9[('cifar10', 'random')][0]} (Table 9)",
           ladder=lambda: lad.climb(rule("large-batch-like-random"), [hi, lo, "random"], like_random))


def tab09_claims(claims, p: dict, rows: dict[tuple, Run], batches: dict[int, Run], missing: list[str], *,
                 device: str = "auto") -> None:
    """Decide the claims of ``xie/tab09``: ``rows[(dataset, run)]`` the runs at the default batch
    (``run``: ``"random"`` or an optimizer), ``batches`` the CIFAR-10 SGD runs per batch size."""
    def rule(cid):
        return claims.spec(cid).rule

    for ds in ("cifar10", "cifar100"):
        ids = [f"{ds}-random-rejected"] + [f"{ds}-{o}-accepted" for o in (OPTIMIZERS if ds == "cifar10" else ("sgd",))]
        if ds in missing:
            not_run_ids(claims, ids + (["cifar10-ordering", "cifar10-small-batch-accepted",
                                        "cifar10-large-batch-rejected"] if ds == "cifar10" else []), "data missing")
            continue
        nets = {"random": {"random": True, "dataset": ds}}
        nets.update({o: {"optimizer": o, "dataset": ds} for (d, o) in rows if d == ds and o != "random"})
        lad = resnet_ladders(p, nets,
                             {o: r for (d, o), r in rows.items() if d == ds}, device=device)
        rnd = rows[(ds, "random")]
        decide(claims, f"{ds}-random-rejected", rnd.fit.ratio, converged=rnd.converged, measured=_ks(rnd),
               paper=_t9((ds, "random")),
               ladder=lambda ds=ds, lad=lad: lad.climb(rule(f"{ds}-random-rejected"), ["random"],
                                                       lambda g: g("random").fit.ratio))
        done = []
        for (d, o), r in rows.items():
            if d != ds or o == "random":
                continue
            cid = f"{ds}-{o}-accepted"
            decide(claims, cid, r.fit.ratio, converged=r.converged, measured=_ks(r), paper=_t9((ds, o)),
                   ladder=lambda cid=cid, o=o, lad=lad: lad.climb(rule(cid), [o], lambda g: g(o).fit.ratio))
            done.append(cid)
        not_run_ids(claims, [c for c in ids[1:] if c not in done], "scale",
                    note="this scale trains ResNet18 with " + ", ".join(o for (d, o) in rows if d == ds and o != "random"))
        if ds == "cifar10":
            sgd = rows[("cifar10", "sgd")]
            decide(claims, "cifar10-ordering", rnd.fit.d_ks / sgd.fit.d_ks, converged=converged(rnd, sgd),
                   measured={"random": rnd.fit.d_ks, "sgd": sgd.fit.d_ks},
                   paper=f"random {TABLE9[('cifar10', 'random')][0]} > SGD {TABLE9[('cifar10', 'sgd')][0]}",
                   ladder=lambda lad=lad: lad.climb(rule("cifar10-ordering"), ["random", "sgd"],
                                                    lambda g: g("random").fit.d_ks / g("sgd").fit.d_ks))
            batch_claims(claims, p, rnd, batches, batch_ladders(p, rnd, batches, device=device), prefix="cifar10-",
                         extra=False)



# ---- LeNet on CIFAR across optimizers (fig15, fig17, tab07)


def lenet_cifar_ladders(p: dict, runs: dict[str, Run], outcomes: dict[str, LrOutcome], *,
                        random_run: Run | None = None, dataset: str = "cifar10", device: str = "auto") -> Ladders:
    """Hessian-sample ladders of the LeNet-CIFAR claims: network ``<optimizer>`` trained at the rate
    of its :class:`LrOutcome` (the page's run), ``"random"`` the random init; each rung's spectrum is
    ``p["cifar_hessian"]`` with the rung's sample size."""
    def spec(changes):
        base = cifar_spec(p)
        return dataclasses.replace(base, **changes) if changes else base

    def maker(opt):
        o = outcomes[opt]
        lr = {} if o.lr == o.paper_lr else {"lr": o.lr}
        return lambda changes: lenet_run(p, dataset, optimizer=opt, label=f"{opt}, rung", device=device,
                                         spectrum=spec(changes), progress=False, **lr)

    makers = {o: maker(o) for o in runs}
    if random_run is not None:
        makers["random"] = lambda changes: lenet_run(p, dataset, random=True, label="random, rung", device=device,
                                                     spectrum=spec(changes), progress=False)
    any_run = random_run or next(iter(runs.values()))
    lad = sample_ladders(p, "cifar_hessian", makers, cost_run=any_run, what="LeNet, K = 1000 in the paper")
    n = p["cifar_hessian"]["hessian_n"]
    for o, r in runs.items():
        lad.seed(o, n, r)
    if random_run is not None:
        lad.seed("random", n, random_run)
    return lad


def cross_run(p: dict, base: Run, device: str = "auto", changes: dict | None = None) -> Run:
    """Table 7's "Evaluated on CIFAR-10" row: the CIFAR-100 model ``base`` with the Hessian over CIFAR-10
    training images (:func:`spectrum_on`; ``changes`` edit the spectrum spec, e.g. a ladder rung's ``n``)."""
    spec = cifar_spec(p)
    if changes:
        spec = dataclasses.replace(spec, **changes)
    spectrum = spectrum_on(base.trained, "cifar10", p["lenet"]["cifar10"]["train_n"], spec, device, progress=False)
    return Run("cifar100, sgd, evaluated on CIFAR-10", base.trained, spectrum, fit_spectrum(spectrum, spec.k), spec.tol)


def cross_ladders(p: dict, cross: Run, *, device: str = "auto") -> Ladders:
    """Hessian-sample ladders of the "Evaluated on CIFAR-10" row (network ``"cross"``)."""
    lad = sample_ladders(p, "cifar_hessian", {"cross": lambda changes: cross_run(p, cross, device, changes)},
                         cost_run=cross, what="LeNet, K = 1000 in the paper")
    return lad.seed("cross", p["cifar_hessian"]["hessian_n"], cross)


def _t7(key: tuple) -> str:
    d = TABLE7[key]
    return f"d_ks {d[0]} vs d_c {TABLE7_D_C} (Table 7, K = 1000)" + (f", ŝ {d[3]}" if d[3] is not None else "")


def _unless_missing(value, holds: bool | None, missing: bool):
    """A claim "for every optimizer" with some optimizer without a run: the value when it already
    fails, else NaN (inconclusive)."""
    if missing and holds:
        return float("nan") if not isinstance(value, tuple) else (float("nan"), float("nan"))
    return value


def _group(names, among):
    return [o for o in names if o in among]


def fig15_claims(claims, p: dict, runs: dict[str, Run], outcomes: dict[str, LrOutcome], *,
                 device: str = "auto") -> None:
    """Decide the claims of ``xie/fig15`` (declared in :mod:`dlspectra.papers.xie.claims.cifar`)."""
    missing = [o for o in outcomes if o not in runs]
    note = lr_note(outcomes)
    lad = lenet_cifar_ladders(p, runs, outcomes, device=device)
    names = list(runs)

    def rule(cid):
        return claims.spec(cid).rule

    def max_ratio(g):
        return max(g(o).fit.ratio for o in names)

    v = max_ratio(runs.get)
    decide(claims, "all-accepted", _unless_missing(v, rule("all-accepted").holds(v), bool(missing)),
           converged=converged(*runs.values()), note=note, measured={o: r.fit.d_ks for o, r in runs.items()},
           paper="Yes for all 11 (Table 7: d_ks ≤ 0.0358 < 0.0430)",
           ladder=lambda: lad.climb(rule("all-accepted"), names, max_ratio))

    def s_range(g):
        s = [g(o).fit.s_mle for o in names]
        return (min(s), max(s))

    v = s_range(runs.get)
    decide(claims, "s-band", _unless_missing(v, rule("s-band").holds(v), bool(missing)),
           converged=converged(*runs.values()), note=note, measured={o: r.fit.s_mle for o, r in runs.items()},
           paper="1.033-1.363 (Table 7)", ladder=lambda: lad.climb(rule("s-band"), names, s_range))
    pair = ["sgd", "adam"]
    if all(o in runs for o in pair):
        def s_diff(g):
            return g("adam").fit.s_mle - g("sgd").fit.s_mle
        decide(claims, "sgd-below-adam", s_diff(runs.get), converged=converged(runs["sgd"], runs["adam"]),
               note=lr_note(outcomes, pair), measured={o: runs[o].fit.s_mle for o in pair},
               paper="ŝ(SGD) 1.033 < ŝ(Adam) 1.241 (Table 7)",
               ladder=lambda: lad.climb(rule("sgd-below-adam"), pair, s_diff))
    else:
        not_run_ids(claims, ["sgd-below-adam"], "scale", note=lr_note(outcomes, pair))
    group_claim(claims, "sgd-like-below-adaptive", runs, outcomes, lad)
    err = {o: 1 - r.test_accuracy for o, r in runs.items()}

    def rho(g):
        return spearman_estimate([g(o).fit.s_mle for o in names], [err[o] for o in names])

    e = rho(runs.get)
    decide(claims, "s-predicts-test-error", e, converged=converged(*runs.values()), note=note,
           measured={**estimate_dict(e), "n": len(names), "test_error": err}, paper="not quantified",
           ladder=lambda: lad.climb(rule("s-predicts-test-error"), names, rho))


def group_claim(claims, cid: str, runs: dict[str, Run], outcomes: dict[str, LrOutcome], lad: Ladders) -> None:
    """min ŝ(adaptive) − max ŝ(SGD-like) > 0 over the optimizers of :data:`ADAPTIVE` and :data:`SGD_LIKE`
    that have a run (inconclusive when it holds but one of them has none; not run when a whole group has none)."""
    sgd_like, adaptive = _group(runs, SGD_LIKE), _group(runs, ADAPTIVE)
    gone = [o for o in outcomes if o not in runs and (o in SGD_LIKE or o in ADAPTIVE)]
    if not sgd_like or not adaptive:
        not_run_ids(claims, [cid], "scale", note=f"a whole group of optimizers has no run. {lr_note(outcomes)}")
        return
    rule = claims.spec(cid).rule

    def gap(g):
        return min(g(o).fit.s_mle for o in adaptive) - max(g(o).fit.s_mle for o in sgd_like)

    v = gap(runs.get)
    decide(claims, cid, _unless_missing(v, rule.holds(v), bool(gone)),
           converged=converged(*(runs[o] for o in sgd_like + adaptive)), note=lr_note(outcomes, [*SGD_LIKE, *ADAPTIVE]),
           measured={"sgd-like": {o: runs[o].fit.s_mle for o in sgd_like},
                     "adaptive": {o: runs[o].fit.s_mle for o in adaptive}},
           paper="≤ 1.069 vs ≥ 1.236 (Table 7)", ladder=lambda: lad.climb(rule, sgd_like + adaptive, gap))


def fig17_claims(claims, p: dict, runs: dict[str, Run], outcomes: dict[str, LrOutcome],
                 traces: dict[str, tuple[float, float]], *, device: str = "auto") -> None:
    """Decide the claims of ``xie/fig17``: Spearman ρ of ŝ with λ_max and with Tr(H) (``traces``:
    Hutchinson mean and standard error per optimizer), each from its 95 % interval."""
    lad = lenet_cifar_ladders(p, runs, outcomes, device=device)
    names = list(runs)
    note = lr_note(outcomes)
    n0 = p["cifar_hessian"]["hessian_n"]
    rung_traces: dict = {(o, n0): traces[o][0] for o in names}

    def trace_at(g, o):
        key = (o, g.setting)
        if key not in rung_traces:
            spec = cifar_spec(p) if g.setting == n0 else dataclasses.replace(
                cifar_spec(p), n=g.setting, batch_size=min(p["cifar_hessian"]["batch_size"], g.setting))
            rung_traces[key] = hessian_trace(g(o), spec, p["trace_probes"], device)[0]
        return rung_traces[key]

    def rho_l(g):
        return spearman_estimate([g(o).fit.s_mle for o in names], [g(o).fit.lambda_max for o in names])

    def rho_t(g):
        return spearman_estimate([g(o).fit.s_mle for o in names], [trace_at(g, o) for o in names])

    class _Now:  # the page's own runs, as a ladder rung
        setting = n0

        def __call__(self, o):
            return runs[o]

    for cid, stat, what in (("rho-lambda-max", rho_l, "lambda_max"), ("rho-trace", rho_t, "trace")):
        e = stat(_Now())
        decide(claims, cid, e, converged=converged(*runs.values()), note=note, paper="\"closely correlates\"",
               measured={**estimate_dict(e), "n": len(names)},
               ladder=lambda cid=cid, stat=stat: lad.climb(claims.spec(cid).rule, names, stat))


def tab07_claims(claims, p: dict, runs: dict[tuple, Run], lr_sets: dict[str, dict[str, LrOutcome]],
                 missing: list[str], *, device: str = "auto") -> None:
    """Decide the claims of ``xie/tab07``: ``runs[(dataset, name)]`` (``name``: ``"random"``, an optimizer,
    or ``"sgd, evaluated on CIFAR-10"``), ``lr_sets[dataset]`` the optimizers' learning-rate outcomes."""
    for ds in ("cifar10", "cifar100"):
        ids = [tab07_id(d, n) for (d, n) in TABLE7 if d == ds]
        if ds in missing:
            not_run_ids(claims, ids + (["cifar10-ordering", "cifar10-adaptive-larger-s"] if ds == "cifar10" else []),
                        "data missing")
            continue
        outcomes = lr_sets.get(ds, {})
        trained = {n: r for (d, n), r in runs.items() if d == ds and n != "random" and n in outcomes}
        rnd = runs[(ds, "random")]
        lad = lenet_cifar_ladders(p, trained, outcomes, random_run=rnd, dataset=ds, device=device)
        rid = tab07_id(ds, "random")
        rule_r = claims.spec(rid).rule
        decide(claims, rid, rnd.fit.ratio, converged=rnd.converged, measured=_ks(rnd), paper=_t7((ds, "random")),
               ladder=lambda rnd=rnd, rule_r=rule_r: k_reread(
                   rule_r, [rnd], [rnd.fit.k // 4, rnd.fit.k // 2, rnd.fit.k], lambda fit_at: fit_at(rnd).ratio,
                   paper_k=1000, why_k=WHY_K_LENET_RANDOM))
        done = {rid}
        for name, r in trained.items():
            cid = tab07_id(ds, name)
            decide(claims, cid, r.fit.ratio, converged=r.converged, measured=_ks(r), paper=_t7((ds, name)),
                   note=lr_note(outcomes, [name]),
                   ladder=lambda cid=cid, name=name, lad=lad: lad.climb(claims.spec(cid).rule, [name],
                                                                        lambda g: g(name).fit.ratio))
            done.add(cid)
        cross = (ds, "sgd, evaluated on CIFAR-10")
        if cross in runs:
            cid = tab07_id(*cross)
            r = runs[cross]
            cross_lad = cross_ladders(p, r, device=device)
            decide(claims, cid, r.fit.ratio, converged=r.converged, measured=_ks(r), paper=_t7(cross),
                   ladder=lambda cid=cid, cross_lad=cross_lad: cross_lad.climb(claims.spec(cid).rule, ["cross"],
                                                                               lambda g: g("cross").fit.ratio))
            done.add(cid)
        gone = [i for i in ids if i not in done]
        if gone:
            not_run_ids(claims, gone, "scale", note="no trained network (training diverged at every rate tried, or "
                        "the run is not part of this scale): " + (lr_note(outcomes) or "not trained here"))
        if ds != "cifar10":
            continue
        names = ["random", *trained]

        def order(g, trained=trained):
            return g("random").fit.d_ks / max(g(n).fit.d_ks for n in trained)

        v = order(lambda n: rnd if n == "random" else trained[n])
        no_run = [o for o in outcomes if o not in trained]
        decide(claims, "cifar10-ordering", _unless_missing(v, claims.spec("cifar10-ordering").rule.holds(v), bool(no_run)),
               converged=converged(rnd, *trained.values()), note=lr_note(outcomes),
               measured={"random": rnd.fit.d_ks, **{n: r.fit.d_ks for n, r in trained.items()}},
               paper="random 0.0663 > every trained (≤ 0.0358, Table 7)",
               ladder=lambda: lad.climb(claims.spec("cifar10-ordering").rule, names, order))
        group_claim(claims, "cifar10-adaptive-larger-s", trained, outcomes, lad)
