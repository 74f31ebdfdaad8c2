"""Cached top eigenvalues of a trained model's curvature matrix: the step every figure shares.

``top_eigenvalues(trained, SpectrumSpec(k=100))`` builds the curvature operator of
:mod:`dlspectra.curvature` over the requested data, runs the solver of :mod:`dlspectra.spectral`,
and stores the result in the cache (namespace ``spectra``) under the training config *and* the
spectrum spec, so a second notebook asking for the same spectrum loads it in milliseconds.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from dataclasses import dataclass

import numpy as np
import torch

from . import data as data_mod
from .cache import Cache
from .errors import SpectrumError, UnknownNameError
from .train import TrainedModel, loss_function, resolve_device

MATRICES = ("hessian", "ggn", "residual", "gradient-covariance")


@dataclass(frozen=True)
class SpectrumSpec:
    """Which matrix, over which data, how many eigenvalues and how.

    ``split="train"``: the first ``n`` samples of the model's own training data (labels as trained,
    noise included); ``"test"``: a class-balanced, seeded subset of ``n`` clean test samples.
    ``n=None`` takes all of it. Products in ``dtype``; Lanczos arithmetic is float64 regardless.
    The loss is the mean loss over those samples, without the weight-decay term (catalog-xie 0.4).
    """

    matrix: str = "hessian"
    split: str = "train"
    n: int | None = 1000
    batch_size: int = 500
    k: int = 100
    max_steps: int = 300
    tol: float = 1e-6
    seed: int = 0
    solver: str = "lanczos"
    dtype: str = "float32"


@dataclass
class Spectrum:
    """Top eigenvalues (float64, descending, shape (k,)) and how they were obtained."""

    eigenvalues: np.ndarray
    residuals: np.ndarray
    num_matvecs: int
    converged: bool
    seconds: float


def spectrum_spec(p: dict, **changes) -> SpectrumSpec:
    """A :class:`SpectrumSpec` from a preset's ``hessian`` block (keys hessian_n, batch_size, k, max_steps, tol)."""
    h = p["hessian"]
    spec = SpectrumSpec(n=h["hessian_n"], batch_size=h["batch_size"], k=h["k"], max_steps=h["max_steps"],
                        tol=h["tol"], seed=p.get("seed", 0))
    return dataclasses.replace(spec, **changes) if changes else spec


def curvature_data(trained: TrainedModel, spec: SpectrumSpec) -> data_mod.Dataset:
    """The samples the curvature matrix averages over (see :class:`SpectrumSpec`)."""
    if spec.split == "train":
        ds = data_mod.load(trained.config.data)
        if spec.n is not None:
            if spec.n > len(ds):
                raise ValueError(f"spectrum over n={spec.n} training samples, but the model saw only {len(ds)}")
            ds = dataclasses.replace(ds, X=ds.X[:spec.n], y=ds.y[:spec.n])
        return ds
    if spec.split == "test":
        test = dataclasses.replace(trained.config.data, split="test", n=spec.n, label_noise=0.0, random_labels=False)
        return data_mod.load(test)
    raise UnknownNameError(f"unknown spectrum split {spec.split!r}; valid: test, train")


def build_operator(trained: TrainedModel, spec: SpectrumSpec, device: torch.device):
    """The curvature operator of ``spec.matrix`` for ``trained`` (model in eval mode, on ``device``)."""
    from . import curvature

    dtype = {"float32": torch.float32, "float64": torch.float64}[spec.dtype]
    model = trained.model.to(device=device, dtype=dtype).eval()
    ds = curvature_data(trained, spec)
    batches = [(x.to(dtype) if x.is_floating_point() else x, y.to(dtype) if y.is_floating_point() else y)
               for x, y in ds.batches(spec.batch_size, device)]
    loss_fn = loss_function(ds)
    classes = {"hessian": curvature.HessianOperator, "ggn": curvature.GGNOperator,
               "residual": curvature.ResidualOperator, "gradient-covariance": curvature.GradientCovarianceOperator}
    if spec.matrix not in classes:
        raise UnknownNameError(f"unknown matrix {spec.matrix!r}; valid: {sorted(classes)}")
    if ds.num_classes is None:  # regression: the model emits (N, 1)
        base = loss_fn

        def loss_fn(out, y):  # noqa: E306 - squeeze the single output
            return base(out.squeeze(-1), y)
    if spec.matrix in ("hessian", "residual"):
        # a fixed HVP method, not "auto" (which picks by timing, so a loaded machine could change the
        # float32 rounding of the products between runs); double backward works for every loss and
        # is the faster one on the conv/BatchNorm models (bench/README.md)
        return classes[spec.matrix](model, loss_fn, batches, method="double_backward")
    return classes[spec.matrix](model, loss_fn, batches)


def top_eigenvalues(trained: TrainedModel, spec: SpectrumSpec, device: str | torch.device = "auto", *,
                    progress: bool = True, cache: Cache | None = None) -> Spectrum:
    """Top ``spec.k`` eigenvalues of ``trained``'s curvature matrix (cached; see the module docstring)."""
    from . import spectral

    device = resolve_device(device)
    cache = cache or Cache()
    key = {"train": trained.config.key_config(), "spectrum": dataclasses.asdict(spec), "_version": 2}
    if spec.solver == "power" or spec.matrix == "gradient-covariance":
        # entries made before the solver fixes of issue 14 (the gradient covariance centred before its
        # product; power iteration reporting the residual of the pair it returns) are not reused
        key["_solver_fix"] = 1

    def compute() -> dict:
        op = build_operator(trained, spec, device)
        t0 = time.perf_counter()
        # the solvers warn when they stop unconverged; the result records it (``converged``) and the
        # pages say so in their own words, so the warning (with this file's path) stays off the pages
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*not converged.*")
            if spec.solver == "lanczos":
                res = spectral.lanczos_top_k(op, spec.k, num_steps=spec.max_steps, tol=spec.tol, seed=spec.seed,
                                             progress=progress)
            elif spec.solver == "power":
                res = spectral.power_iteration_top_k(op, spec.k, tol=spec.tol, seed=spec.seed, progress=progress)
            else:
                raise UnknownNameError(f"unknown solver {spec.solver!r}; valid: lanczos, power")
        eig = np.asarray(res.eigenvalues, dtype=np.float64)
        if not np.all(np.isfinite(eig)):
            raise SpectrumError(f"the {spec.matrix} spectrum of {trained.config.model} has NaN/inf eigenvalues")
        return {"eigenvalues": eig, "residuals": np.asarray(res.residuals, dtype=np.float64),
                "num_matvecs": np.int64(res.num_matvecs), "converged": np.bool_(res.converged),
                "seconds": np.float64(time.perf_counter() - t0)}

    out = cache.get_or_compute("spectra", key, compute, "npz")
    trained.model.to(torch.float32)
    return Spectrum(out["eigenvalues"], out["residuals"], int(out["num_matvecs"]), bool(out["converged"]),
                    float(out["seconds"]))


def hessian_trace(trained: TrainedModel, spec: SpectrumSpec, num_samples: int, device: str = "auto", *,
                  seed: int = 0, cache: Cache | None = None) -> tuple[float, float]:
    """Hutchinson estimate (Rademacher probes) of the trace of ``spec``'s matrix and its standard error.

    Same samples, loss and dtype as the spectrum of ``spec`` (only ``matrix``/``split``/``n``/
    ``batch_size``/``dtype`` matter). Cached under the training config, those fields and the probe count.
    """
    from .spectral import hutchinson_trace

    dev = resolve_device(device)
    cache = cache or Cache()
    key = {"train": trained.config.key_config(), "matrix": spec.matrix, "split": spec.split, "n": spec.n,
           "batch_size": spec.batch_size, "dtype": spec.dtype, "num_samples": num_samples, "seed": seed,
           "_version": 1}

    def compute() -> dict:
        op = build_operator(trained, spec, dev)
        mean, std = hutchinson_trace(op, num_samples, seed, return_std=True)
        return {"trace": np.float64(mean), "std": np.float64(std)}

    out = cache.get_or_compute("traces", key, compute, "npz")
    trained.model.to(torch.float32)
    return float(out["trace"]), float(out["std"])
