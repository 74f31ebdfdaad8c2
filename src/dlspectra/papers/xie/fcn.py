"""Xie et al.'s fully connected networks (Figs. 4, 13, 18, 20; Tables 8, 10) on top of :mod:`dlspectra.papers.xie.pipeline`.

One canonical model config per network, so that every page asking for "the 2Layer-FCN of width
100" gets the same cache entry: ``{"depth": d, "width": w}`` plus ``activation`` / ``batchnorm``
only when they differ from the defaults (ReLU, no BatchNorm) of :func:`dlspectra.models.fcn`.
"""

from __future__ import annotations

import numpy as np

from dlspectra.models import build_model, num_params
from dlspectra.spectra import SpectrumSpec, spectrum_spec
from dlspectra.papers.xie.claims.fcn import WHY_K_RANDOM, table8_id
from dlspectra.papers.xie.ladders import Ladders, decide, k_reread, lower_rungs, not_run_ids
from dlspectra.papers.xie.pipeline import Run, converged, fit_spectrum, lenet_run
from dlspectra.papers.xie.reference.fcn_tables import TABLE8, TABLE10, row

LNN_CONFIGS: dict[str, dict] = {
    "plain": {"activation": "identity"},
    "batchnorm": {"activation": "identity", "batchnorm": True},
    "relu": {},
}
"""Table 10's 4Layer-LNN rows: "-" (linear), "w/ BatchNorm" (linear + BN), "w/ ReLu" (= 4Layer-FCN)."""


def fcn_config(depth: int = 2, width: int = 100, activation: str = "relu", batchnorm: bool = False) -> dict:
    """The canonical ``model_config`` of an FCN (defaults left out; see the module docstring)."""
    cfg: dict = {"depth": int(depth), "width": int(width)}
    if activation != "relu":
        cfg["activation"] = activation
    if batchnorm:
        cfg["batchnorm"] = True
    return cfg


def fcn_params(config: dict, in_features: int = 784, num_classes: int = 10) -> int:
    """Number of trainable parameters of the FCN ``config`` (784 inputs, 10 classes: MNIST)."""
    return num_params(build_model("fcn", in_features=in_features, num_classes=num_classes, **config))


def fcn_run(p: dict, *, depth: int = 2, width: int | None = None, activation: str = "relu",
            batchnorm: bool = False, random: bool = False, label: str | None = None, device: str = "auto",
            spectrum: SpectrumSpec | None = None, progress: bool = True, **train_changes) -> Run:
    """An FCN on MNIST with the preset's MNIST recipe (trained, or its random init), its spectrum and fit.

    The spectrum: ``spectrum``, else the preset's ``hessian`` block with ``p["fcn_k"][depth]`` on top
    (a larger K for a cheap depth); the fit: the top ``p["fit_k"]`` (when set), so the rows of a page
    share one K and one critical value.
    """
    cfg = fcn_config(depth, p.get("width", 100) if width is None else width, activation, batchnorm)
    if spectrum is None:
        spectrum = spectrum_spec(p, **p.get("fcn_k", {}).get(depth, {}))
    run = lenet_run(p, "mnist", model="fcn", model_config=cfg, random=random, label=label, device=device,
                    spectrum=spectrum, progress=progress, **train_changes)
    if p.get("fit_k") and spectrum.matrix == "hessian":
        run.fit = fit_spectrum(run.spectrum, min(p["fit_k"], run.spectrum.eigenvalues.size))
    return run


PAPER_LR_GRID = (10.0, 1.0, 0.1, 0.01, 0.001, 0.0001)
"""Xie App. B: "We select the optimal learning rate for each experiment from {0.0001, ..., 10} for SGD"."""


def fcn_run_trainable(p: dict, *, start_lr: float = 0.1, **kwargs) -> tuple[Run, float, list[float]]:
    """:func:`fcn_run` at the first learning rate of the paper's SGD grid, from ``start_lr`` down,
    at which training does not diverge (the recipe's lr 0.1 first).

    Returns ``(run, lr used, learning rates that diverged)``. A diverged attempt costs the epochs up
    to the divergence (it raises :class:`FloatingPointError` in :func:`dlspectra.train.train_model`).
    """
    diverged: list[float] = []
    for lr in [x for x in PAPER_LR_GRID if x <= start_lr]:
        changes = {} if lr == 0.1 else {"lr": lr}  # lr 0.1 is the recipe's: same cache key as fcn_run
        try:
            return fcn_run(p, **kwargs, **changes), lr, diverged
        except FloatingPointError:
            diverged.append(lr)
    raise FloatingPointError(f"training diverged at every learning rate of the grid from {start_lr} down")


def avila_spec(p: dict) -> SpectrumSpec:
    """The Avila Hessian spec (preset block ``avila_hessian``: all training rows, K = 50)."""
    return spectrum_spec({"hessian": p["avila_hessian"], "seed": p.get("seed", 0)})


def avila_run(p: dict, *, random: bool = False, label: str | None = None, device: str = "auto",
              progress: bool = True, **train_changes) -> Run:
    """The 2Layer-FCN (10 -> 100 -> 12) on Avila (Fig. 13), trained or at random init (``train_changes``:
    e.g. another number of ``epochs``, a ladder rung)."""
    return lenet_run(p, "avila", model="fcn", model_config=fcn_config(2, p.get("width", 100)), random=random,
                     label=label, device=device, spectrum=avila_spec(p), progress=progress, **train_changes)


def covariance_spec(p: dict) -> SpectrumSpec:
    """Fig. 20's spec: the per-sample-gradient covariance over the first M training samples."""
    c = p["covariance"]
    return spectrum_spec(p, matrix="gradient-covariance", n=c["covariance_n"], k=c["k"],
                         max_steps=c["max_steps"], tol=c["tol"])


def positive_count(eigenvalues: np.ndarray, rel_tol: float = 1e-6) -> int:
    """How many eigenvalues exceed ``rel_tol`` x the largest (the numerically non-zero part)."""
    lam = np.asarray(eigenvalues, dtype=float)
    return int(np.sum(lam > rel_tol * lam.max()))


def fcn_setup_rows(p: dict, model_paper: str, model_ours: str, *, datasets: tuple[str, ...] = ("mnist",),
                   paper_epochs: str = "not stated for FCNs (catalog: the MNIST recipe, 50 epochs)") -> list[list]:
    """The "paper vs this run" setup rows of :func:`dlspectra.papers.xie.pipeline.lenet_setup_rows` with the model row
    replaced by ``model_paper`` / ``model_ours``."""
    from dlspectra.papers.xie.tables import lenet_setup_rows

    rows = lenet_setup_rows(p, list(datasets), paper_epochs=paper_epochs)
    rows[0] = ["model", model_paper, model_ours]
    return rows


# ----------------------------------------------------------------------------- claims and their ladders
# The claims are declared in :mod:`dlspectra.papers.xie.claims.fcn`; these functions decide them from the
# page's runs. A trained network's claim climbs its training epochs (rungs below the scale's own are
# trained on demand, cached); a random network's rejection is re-read at smaller K of its one spectrum.


PAPER_EPOCHS = 50
"""The paper gives no FCN recipe; its MNIST recipe trains 50 epochs (App. B.2), used for Avila too."""


def _epochs_note(run: Run, epochs: int, paper_epochs: int = PAPER_EPOCHS) -> str:
    secs = float(run.trained.metrics.get("train_seconds", 0.0)) if run.trained is not None else 0.0
    cost = f" (≈ {secs * paper_epochs / max(epochs, 1):.0f} s of training here, plus its spectrum)" if secs else ""
    return f"not run: {paper_epochs} epochs (the paper's MNIST recipe){cost}; the paper also tests K = 1000"


def epoch_ladders(p: dict, dataset: str, makers: dict, seeds: dict[str, Run], *,
                  paper_epochs: int = PAPER_EPOCHS) -> Ladders:
    """:class:`Ladders` over the training epochs of ``dataset``'s recipe: the scale's own epochs and
    :func:`lower_rungs` below them (``p["ladder_fractions"]``, default a half). ``makers[name](epochs)``
    trains network ``name`` for that many epochs (a random network ignores it); ``seeds`` are the
    page's own runs."""
    e = p["lenet"][dataset]["epochs"]
    settings = lower_rungs(e, p.get("ladder_fractions", (0.5,)))
    if e >= paper_epochs:   # the scale is the paper's: its own rung is the top one, so two more below it
        settings = lower_rungs(e, (0.25, 0.5))
    if len(settings) < 2:   # one epoch (a smoke run): no rung below it, so one above
        settings = sorted(set(settings) | {2 * e})
    trained_seed = next((r for r in seeds.values() if r.trained is not None and r.trained.config.epochs), None)
    lad = Ladders("epochs", settings, paper_epochs, _epochs_note(trained_seed or next(iter(seeds.values())), e,
                                                                  paper_epochs),
                  {k: (lambda m: (lambda s: m(None if s == e else s)))(m) for k, m in makers.items()}, unit="epochs")
    for name, r in seeds.items():
        lad.seed(name, e, r)
    return lad


def mnist_fcn_ladders(p: dict, nets: dict[str, dict], seeds: dict[str, Run], *, device: str = "auto") -> Ladders:
    """Epoch ladders of MNIST FCNs: network ``name`` is ``fcn_run(p, **nets[name])`` (``random``
    networks do not depend on the epochs: the same run at every rung)."""
    def maker(name, kw):
        if kw.get("random"):
            return lambda epochs: seeds[name]
        return lambda epochs: fcn_run(p, device=device, progress=False, label=f"{name}, rung",
                                      **kw, **({} if epochs is None else {"epochs": epochs}))
    return epoch_ladders(p, "mnist", {k: maker(k, kw) for k, kw in nets.items()}, seeds)


def _t8(key: tuple) -> str:
    r = row(TABLE8, key)
    return f"d_ks {r.d_ks} vs d_c {r.d_c} (Table 8, K = {r.k})" + (f", ŝ {r.s}" if r.s is not None else "")


def _ks(run: Run) -> dict:
    f = run.fit
    return {"d_ks / d_c": f.ratio, "d_ks": f.d_ks, "d_c": f.d_c, "K": f.k}


def _quarters(k: int) -> list[int]:
    """K/4, K/2 and K (at least 2 each): the rungs of a K re-read."""
    return [max(k // 4, 2), max(k // 2, 2), k]


def random_reread(rule, run: Run, *, paper_k: int = 1000):
    """The K re-read of a random network's rejection: K/4, K/2 and K of its fit, and every K of its
    spectrum up to the paper's (the 1Layer-FCN's top 1000 reach it)."""
    k = run.fit.k
    size = run.spectrum.eigenvalues.size
    ks = _quarters(k) + ([size] if size > k else [])
    return k_reread(rule, [run], ks, lambda fit_at: fit_at(run).ratio, paper_k=paper_k, why_k=WHY_K_RANDOM)


def fig04_claims(claims, p: dict, runs: dict[int, dict[str, Run]], *, device: str = "auto") -> None:
    """Decide the claims of ``xie/fig04``; ``runs[depth]["random" | "sgd"]``."""
    nets, seeds = {}, {}
    for d, pair in runs.items():
        nets[f"{d}-sgd"], seeds[f"{d}-sgd"] = {"depth": d}, pair["sgd"]
        nets[f"{d}-random"], seeds[f"{d}-random"] = {"depth": d, "random": True}, pair["random"]
    lad = mnist_fcn_ladders(p, nets, seeds, device=device)

    def rule(cid):
        return claims.spec(cid).rule

    def ratio_of(name):
        return lambda g: g(name).fit.ratio

    def dks_ratio(a, b):
        return lambda g: g(a).fit.d_ks / g(b).fit.d_ks

    for d, pair in runs.items():
        sgd, rnd = pair["sgd"], pair["random"]
        cid = "1layer-trained-rejected" if d == 1 else f"{d}layer-trained-accepted"
        decide(claims, cid, sgd.fit.ratio, converged=sgd.converged, measured={**_ks(sgd), "s": sgd.fit.s_mle},
               paper=_t8(("depth", d, "sgd")), ladder=lambda cid=cid, d=d: lad.climb(rule(cid), [f"{d}-sgd"],
                                                                                   ratio_of(f"{d}-sgd")))
        cid = f"{d}layer-random-rejected"
        decide(claims, cid, rnd.fit.ratio, converged=rnd.converged, measured=_ks(rnd), paper=_t8(("depth", d, "random")),
               ladder=lambda cid=cid, rnd=rnd: random_reread(rule(cid), rnd))
        if d > 1:
            cid = f"{d}layer-ordering-random"
            decide(claims, cid, rnd.fit.d_ks / sgd.fit.d_ks, converged=converged(rnd, sgd),
                   measured={"random": rnd.fit.d_ks, "trained": sgd.fit.d_ks},
                   paper=f"random {row(TABLE8, ('depth', d, 'random')).d_ks} > trained {row(TABLE8, ('depth', d, 'sgd')).d_ks}",
                   ladder=lambda cid=cid, d=d: lad.climb(rule(cid), [f"{d}-random", f"{d}-sgd"],
                                                         dks_ratio(f"{d}-random", f"{d}-sgd")))
    for d in [x for x in runs if x > 1]:
        cid = f"ordering-1-vs-{d}"
        one, deep = runs[1]["sgd"], runs[d]["sgd"]
        decide(claims, cid, one.fit.d_ks / deep.fit.d_ks, converged=converged(one, deep),
               measured={"1Layer": one.fit.d_ks, f"{d}Layer": deep.fit.d_ks},
               paper=f"1Layer {row(TABLE8, ('depth', 1, 'sgd')).d_ks} > {d}Layer {row(TABLE8, ('depth', d, 'sgd')).d_ks}",
               ladder=lambda cid=cid, d=d: lad.climb(rule(cid), ["1-sgd", f"{d}-sgd"], dks_ratio("1-sgd", f"{d}-sgd")))
    not_run_ids(claims, [c for c in claims.specs if c not in {x.claim_id for x in claims.claims}], "scale",
                note="depth not trained at this scale")


def width_claims(claims, p: dict, runs: dict[int, Run], *, device: str = "auto", ids=None, orderings=True) -> None:
    """Decide the width claims of ``xie/fig18`` (``runs[width]``, SGD-trained 2Layer-FCNs); ``ids(w)`` the
    claim id of width ``w`` (default fig18's); widths of the paper this scale does not train: not run."""
    from dlspectra.papers.xie.claims.fcn import WIDTHS

    lad = mnist_fcn_ladders(p, {f"w{w}": {"width": w} for w in runs}, {f"w{w}": r for w, r in runs.items()},
                            device=device)
    ids = ids or (lambda w: f"width{w}-{'accepted' if w >= 50 else 'rejected'}")
    for w, r in runs.items():
        cid = ids(w)
        decide(claims, cid, r.fit.ratio, converged=r.converged, measured={**_ks(r), "s": r.fit.s_mle},
               paper=_t8(("width", w)),
               ladder=lambda cid=cid, w=w: lad.climb(claims.spec(cid).rule, [f"w{w}"], lambda g: g(f"w{w}").fit.ratio))
    not_run_ids(claims, [ids(w) for w in WIDTHS if w not in runs], "scale", note="width not trained at this scale")
    if not orderings:
        return lad
    lo, hi = min(runs), max(runs)
    cid = "ordering-narrowest-vs-widest"
    decide(claims, cid, runs[lo].fit.d_ks / runs[hi].fit.d_ks, converged=converged(runs[lo], runs[hi]),
           measured={f"w={lo}": runs[lo].fit.d_ks, f"w={hi}": runs[hi].fit.d_ks},
           paper=f"w=10 {row(TABLE8, ('width', 10)).d_ks} > w=100 {row(TABLE8, ('width', 100)).d_ks}",
           ladder=lambda: lad.climb(claims.spec(cid).rule, [f"w{lo}", f"w{hi}"],
                                    lambda g: g(f"w{lo}").fit.d_ks / g(f"w{hi}").fit.d_ks))
    narrow, wide = [w for w in runs if w <= 30], [w for w in runs if w >= 50]
    cid2 = "ordering-narrow-vs-wide"
    if narrow and wide:
        def groups(g):
            return (float(np.mean([g(f"w{w}").fit.d_ks for w in narrow]))
                    / float(np.mean([g(f"w{w}").fit.d_ks for w in wide])))
        paper_n = np.mean([row(TABLE8, ("width", w)).d_ks.value for w in (10, 20, 30)])
        paper_w = np.mean([row(TABLE8, ("width", w)).d_ks.value for w in (50, 70, 100)])
        decide(claims, cid2, groups(lambda n: runs[int(n[1:])]), converged=converged(*runs.values()),
               measured={"narrow": float(np.mean([runs[w].fit.d_ks for w in narrow])),
                         "wide": float(np.mean([runs[w].fit.d_ks for w in wide]))},
               paper=f"mean d_ks narrow {paper_n:.3f} > wide {paper_w:.3f} (Table 8)",
               ladder=lambda: lad.climb(claims.spec(cid2).rule, [f"w{w}" for w in runs], groups))
    else:
        not_run_ids(claims, [cid2], "scale", note="this scale has no narrow or no wide width")
    return lad


def avila_claims(claims, runs: dict[str, Run], p: dict, *, device: str = "auto", trained_id: str = "trained-accepted",
                 random_id: str | None = "random-rejected") -> None:
    """Decide the Avila claims (``xie/fig13``; ``xie/tab08``'s row with ``trained_id``, ``random_id=None``)."""
    sgd = runs["sgd"]
    lad = epoch_ladders(p, "avila", {"sgd": lambda epochs: avila_run(p, device=device, progress=False, label="Avila, rung",
                                                                    **({} if epochs is None else {"epochs": epochs}))},
                        {"sgd": sgd})
    decide(claims, trained_id, sgd.fit.ratio, converged=sgd.converged, measured={**_ks(sgd), "s": sgd.fit.s_mle},
           paper=_t8(("avila",)) + f"; the printed d_c {row(TABLE8, ('avila',)).d_c} is 1.36/√60, Table 5 gives 0.192",
           ladder=lambda: lad.climb(claims.spec(trained_id).rule, ["sgd"], lambda g: g("sgd").fit.ratio))
    if random_id and "random" in runs:
        rnd = runs["random"]
        decide(claims, random_id, rnd.fit.ratio, converged=rnd.converged, measured=_ks(rnd),
               paper="no random Avila row; Sec. 2.3: random networks are rejected",
               ladder=lambda: random_reread(claims.spec(random_id).rule, rnd, paper_k=50))
        # Sec. 2.3's contrast read as one test at one K: the trained spectrum accepted and the random
        # one rejected at the paper's K = 50 (both fits are at that K), re-read at smaller K
        decide(claims, "contrast", (sgd.fit.ratio, rnd.fit.ratio), converged=converged(sgd, rnd),
               measured={"K": sgd.fit.k, "trained d_ks/d_c": sgd.fit.ratio, "random d_ks/d_c": rnd.fit.ratio},
               paper="trained Avila accepted (Table 8, K = 50); Sec. 2.3: random networks rejected",
               ladder=lambda: k_reread(claims.spec("contrast").rule, [sgd, rnd], _quarters(min(sgd.fit.k, rnd.fit.k)),
                                       lambda fit_at: (fit_at(sgd).ratio, fit_at(rnd).ratio),
                                       paper_k=50, why_k=WHY_K_RANDOM))


def tab08_claims(claims, p: dict, rows: dict[tuple, Run | None], *, device: str = "auto") -> None:
    """Decide the claims of ``xie/tab08``: ``rows[key]`` the run of each Table 8 row (None: data missing)."""
    from dlspectra.papers.xie.claims.fcn import TABLE8_ROWS

    if rows.get(("avila",)) is not None:
        avila_claims(claims, {"sgd": rows[("avila",)]}, p, device=device, trained_id=table8_id(("avila",)),
                     random_id=None)
    elif ("avila",) in rows:
        not_run_ids(claims, [table8_id(("avila",))], "data missing")
    depth = {k: r for k, r in rows.items() if k[0] == "depth" and r is not None}
    nets = {f"{k[1]}-{k[2]}": {"depth": k[1], **({"random": True} if k[2] == "random" else {})} for k in depth}
    seeds = {f"{k[1]}-{k[2]}": r for k, r in depth.items()}
    lad = mnist_fcn_ladders(p, nets, seeds, device=device)
    for key, r in depth.items():
        cid = table8_id(key)
        if key[2] == "random":
            decide(claims, cid, r.fit.ratio, converged=r.converged, measured=_ks(r), paper=_t8(key),
                   ladder=lambda cid=cid, r=r: random_reread(claims.spec(cid).rule, r))
        else:
            name = f"{key[1]}-sgd"
            decide(claims, cid, r.fit.ratio, converged=r.converged, measured=_ks(r), paper=_t8(key),
                   ladder=lambda cid=cid, name=name: lad.climb(claims.spec(cid).rule, [name],
                                                               lambda g: g(name).fit.ratio))
    widths = {k[1]: r for k, r in rows.items() if k[0] == "width" and r is not None}
    wlad = width_claims(claims, p, widths, device=device, ids=lambda w: table8_id(("width", w)), orderings=False)
    for d in (2, 4):
        for cid, a, b, what in ((f"ordering-1-vs-{d}", "1-sgd", f"{d}-sgd", f"1Layer vs {d}Layer"),
                                (f"ordering-random-{d}", f"{d}-random", f"{d}-sgd", f"random vs trained {d}Layer")):
            if a in seeds and b in seeds:
                decide(claims, cid, seeds[a].fit.d_ks / seeds[b].fit.d_ks, converged=converged(seeds[a], seeds[b]),
                       measured={a: seeds[a].fit.d_ks, b: seeds[b].fit.d_ks}, paper=what + " (Table 8)",
                       ladder=lambda cid=cid, a=a, b=b: lad.climb(claims.spec(cid).rule, [a, b],
                                                                  lambda g: g(a).fit.d_ks / g(b).fit.d_ks))
            else:
                not_run_ids(claims, [cid], "scale", note="depth not trained at this scale")
    lo, hi = min(widths), max(widths)
    decide(claims, "ordering-width", widths[lo].fit.d_ks / widths[hi].fit.d_ks, converged=converged(widths[lo], widths[hi]),
           measured={f"w={lo}": widths[lo].fit.d_ks, f"w={hi}": widths[hi].fit.d_ks},
           paper=f"w=10 {row(TABLE8, ('width', 10)).d_ks} > w=100 {row(TABLE8, ('width', 100)).d_ks}",
           ladder=lambda: wlad.climb(claims.spec("ordering-width").rule, [f"w{lo}", f"w{hi}"],
                                     lambda g: g(f"w{lo}").fit.d_ks / g(f"w{hi}").fit.d_ks))
    not_run_ids(claims, [table8_id(k) for k in TABLE8_ROWS if table8_id(k) not in {c.claim_id for c in claims.claims}],
                "scale", note="row not run at this scale")


def tab10_claims(claims, p: dict, runs: dict[str, Run], lrs: dict[str, float], *, device: str = "auto") -> None:
    """Decide the claims of ``xie/tab10``; ``runs[variant]`` (``plain``, ``batchnorm``, ``relu``), ``lrs[variant]``
    the learning rate each was trained at (its rungs train at the same rate)."""
    nets = {v: {"depth": 4, **LNN_CONFIGS[v], **({} if lrs[v] == 0.1 else {"lr": lrs[v]})} for v in runs}
    lad = mnist_fcn_ladders(p, nets, dict(runs), device=device)
    paper = {r.key[1]: r for r in TABLE10}
    for v, cid in (("plain", "plain-rejected"), ("batchnorm", "batchnorm-accepted"), ("relu", "relu-accepted")):
        r = runs[v]
        decide(claims, cid, r.fit.ratio, converged=r.converged, measured={**_ks(r), "s": r.fit.s_mle},
               paper=f"d_ks {paper[v].d_ks} vs d_c {paper[v].d_c} (Table 10, K = 1000)"
               + (" — passes by 4 % in the paper" if v == "batchnorm" else ""),
               ladder=lambda cid=cid, v=v: lad.climb(claims.spec(cid).rule, [v], lambda g: g(v).fit.ratio))
    for v in ("batchnorm", "relu"):
        cid = f"ordering-plain-vs-{v}"
        decide(claims, cid, runs["plain"].fit.d_ks / runs[v].fit.d_ks, converged=converged(runs["plain"], runs[v]),
               measured={"plain": runs["plain"].fit.d_ks, v: runs[v].fit.d_ks},
               paper=f"plain {paper['plain'].d_ks} > {v} {paper[v].d_ks} (Table 10)",
               ladder=lambda cid=cid, v=v: lad.climb(claims.spec(cid).rule, ["plain", v],
                                                     lambda g: g("plain").fit.d_ks / g(v).fit.d_ks))
