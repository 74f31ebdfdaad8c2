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
from .errors import SolverWarning, SpectrumError, UnknownNameError
from .train import TrainedModel, loss_function, resolve_device

MATRICES = ("hessian", "ggn", "residual", "gradient-covariance")


@dataclass(frozen=True)
class SpectrumSpec:
    """Which matrix, over which data, how many eigenvalues and how (part of every spectrum's cache key).

    Attributes
    ----------
    matrix : str
        ``"hessian"``, ``"ggn"``, ``"residual"`` or ``"gradient-covariance"``.
    split : str
        For :func:`top_eigenvalues`: ``"train"``, the first ``n`` samples of the model's own training
        data (labels as trained, noise included), or ``"test"``, a class-balanced, seeded subset of
        ``n`` clean test samples.
    n : int or None
        Samples (``None``: all of the split).
    batch_size : int or None
        Samples per batch of the products (:func:`model_spectrum`: ``None`` keeps the batches given).
    k, max_steps, tol, seed
        Eigenvalues, the Lanczos step limit, the relative residual tolerance, the start vector's seed.
    solver : str
        ``"lanczos"`` or ``"power"`` (PyHessian's power iteration).
    dtype : str
        Products in ``"float32"`` or ``"float64"`` (:func:`top_eigenvalues`); Lanczos arithmetic is
        float64 regardless.

    Notes
    -----
    The loss is the mean loss over those samples, without the weight-decay term (the Hessian of
    the training loss of Xie et al., Sec. 2; weight decay adds a multiple of the identity).

    Examples
    --------
    >>> SpectrumSpec(k=20, matrix="ggn").k
    20
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
    """Top eigenvalues of a curvature matrix and how they were obtained.

    Attributes
    ----------
    eigenvalues : numpy.ndarray
        float64 ``(k,)``, descending.
    residuals : numpy.ndarray
        ``||A y - theta y||`` of each pair.
    num_matvecs : int
        Products used.
    converged : bool
        The solver's residual test (and, for Lanczos, its check for missed eigenvalues).
    seconds : float
        Time of the solve when it was computed (a cached spectrum keeps it).

    Examples
    --------
    >>> import numpy as np
    >>> Spectrum(np.array([2.0, 1.0]), np.zeros(2), 40, True, 0.1).eigenvalues.tolist()
    [2.0, 1.0]
    """

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
    """Top ``spec.k`` eigenvalues of a zoo model's curvature matrix, cached by the training config and ``spec``.

    The step the book's figures share: builds the operator of :mod:`dlspectra.curvature` over the
    samples ``spec`` names, runs the solver of :mod:`dlspectra.spectral` and stores the result in
    the cache (namespace ``spectra``); a second call loads it in milliseconds. For a model of one's
    own use :func:`model_spectrum`.

    Parameters
    ----------
    trained : TrainedModel
        From :func:`~dlspectra.train.train_model`.
    spec : SpectrumSpec
        Matrix, samples, ``k`` and solver settings.
    device : str or torch.device
        ``"auto"``, ``"cpu"``, ``"cuda"``, ... (checked first).
    progress : bool
        The solver's bar.
    cache : Cache, optional
        Default ``Cache()``.

    Returns
    -------
    Spectrum

    Raises
    ------
    dlspectra.errors.UsageError
        An unavailable device.
    dlspectra.errors.UnknownNameError
        An unknown matrix, split or solver.
    dlspectra.errors.SpectrumError
        NaN or infinite eigenvalues.

    Examples
    --------
    >>> from dlspectra.data import DataSpec
    >>> from dlspectra.train import TrainConfig, train_model
    >>> trained = train_model(TrainConfig("logistic", DataSpec("gaussian", n=64), epochs=0, test_n=64), "cpu",
    ...                       progress=False)
    >>> s = top_eigenvalues(trained, SpectrumSpec(n=64, batch_size=64, k=3), "cpu", progress=False)
    >>> s.eigenvalues.shape, s.converged
    ((3,), True)
    """
    from . import spectral

    device = resolve_device(device)
    cache = cache or Cache()
    key = {"train": trained.config.key_config(), "spectrum": dataclasses.asdict(spec), "_version": 2}
    if spec.matrix == "gradient-covariance":
        # entries made before the gradient covariance was centred before its product are not reused
        key["_solver_fix"] = 1
    if spec.solver == "power":
        # power iteration's ``converged`` is the residual test (it was the Rayleigh-quotient test)
        key["_solver_fix"] = 2

    def compute() -> dict:
        op = build_operator(trained, spec, device)
        t0 = time.perf_counter()
        # the solvers warn when they stop unconverged; the result records it (``converged``) and the
        # pages say so in their own words, so the warning (with this file's path) stays off the pages
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SolverWarning)
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
    """Hutchinson estimate (Rademacher probes) of the trace of ``spec``'s matrix, cached.

    Same samples, loss and dtype as the spectrum of ``spec`` (only ``matrix``/``split``/``n``/
    ``batch_size``/``dtype`` matter); cached under the training config, those fields, the probe count
    and the seed.

    Parameters
    ----------
    trained : TrainedModel
        From :func:`~dlspectra.train.train_model`.
    spec : SpectrumSpec
        The matrix and its samples.
    num_samples : int
        Probes.
    device : str
        As :func:`top_eigenvalues`.
    seed : int
        Seeds the probes.
    cache : Cache, optional
        Default ``Cache()``.

    Returns
    -------
    tuple of float
        ``(trace, standard error)``.

    Raises
    ------
    dlspectra.errors.UsageError
        An unavailable device or a non-positive ``num_samples``.

    Examples
    --------
    >>> from dlspectra.data import DataSpec
    >>> from dlspectra.train import TrainConfig, train_model
    >>> trained = train_model(TrainConfig("logistic", DataSpec("gaussian", n=64), epochs=0, test_n=64), "cpu",
    ...                       progress=False)
    >>> tr, se = hessian_trace(trained, SpectrumSpec(n=64, batch_size=64), 4, "cpu")
    >>> tr > 0
    True
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


# ----------------------------------------------------------------------------- any nn.Module with its data

_OPERATORS = ("hessian", "ggn", "residual", "gradient-covariance")


def _operator(matrix: str, model, loss_fn, data, *, params=None, batch_size=None):
    from . import curvature

    classes = {"hessian": curvature.HessianOperator, "ggn": curvature.GGNOperator,
               "residual": curvature.ResidualOperator, "gradient-covariance": curvature.GradientCovarianceOperator}
    if matrix not in classes:
        raise UnknownNameError(f"unknown matrix {matrix!r}; valid: {sorted(classes)}")
    return classes[matrix](model, loss_fn, data, params=params, batch_size=batch_size)


def model_spectrum(model: torch.nn.Module, loss_fn, data, spec: SpectrumSpec | None = None, *,
                   params=None, progress: bool = True, cache: Cache | None = None) -> Spectrum:
    """Top eigenvalues of the curvature of any ``nn.Module`` on its data, cached by content.

    The sibling of :func:`top_eigenvalues` for a model of one's own: the cache key holds the
    module's fingerprint (architecture, weights, buffers: :func:`~dlspectra.train.module_fingerprint`),
    the data's (every batch's values in order), the loss and the fields of ``spec`` that matter
    here (``matrix``, ``k``, ``max_steps``, ``tol``, ``seed``, ``solver``, ``batch_size``), so a second
    call with the same model and data loads the spectrum in milliseconds.

    Parameters
    ----------
    model : torch.nn.Module
        In eval mode; products on its device, in its dtype.
    loss_fn : callable
        The batch *mean* loss (``nn.CrossEntropyLoss()``, ``nn.MSELoss()``, ...).
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        :mod:`dlspectra.curvature.inputs`; a shuffling DataLoader gives another key at every call
        (pass a fixed order to be cached).
    spec : SpectrumSpec, optional
        ``matrix`` (``"hessian"``, ``"ggn"``, ``"residual"``, ``"gradient-covariance"``), ``k``,
        ``max_steps``, ``tol``, ``seed``, ``solver`` (``"lanczos"`` or ``"power"``) and
        ``batch_size`` (``None`` keeps the batches as given; the default spec's 500 splits larger
        ones). Default ``SpectrumSpec(k=20)``.
    params : iterable, optional
        A parameter block (tensors or names): the spectrum of that block of the matrix.
    progress : bool
        The solver's bar (converged pairs).
    cache : Cache, optional
        Default ``Cache()``; namespace ``spectra``.

    Returns
    -------
    Spectrum
        ``eigenvalues`` (descending, float64), ``residuals``, ``num_matvecs``, ``converged``, ``seconds``.

    Raises
    ------
    dlspectra.errors.UsageError
        The model, data or loss break the contract (before any product); unknown matrix or solver.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3)).eval()
    >>> X, y = torch.randn(40, 4), torch.arange(40) % 3
    >>> s = model_spectrum(model, nn.CrossEntropyLoss(), (X, y), SpectrumSpec(k=3), progress=False)
    >>> s.eigenvalues.shape, s.converged
    ((3,), True)
    """
    from . import spectral
    from .curvature.inputs import as_batches, model_dtype_device
    from .train import data_fingerprint, loss_fingerprint, module_fingerprint

    spec = spec or SpectrumSpec(k=20)
    if spec.solver not in ("lanczos", "power"):
        raise UnknownNameError(f"unknown solver {spec.solver!r}; valid: lanczos, power")
    dtype, device = model_dtype_device(model, params)
    batches = as_batches(data, dtype=dtype, device=device, batch_size=spec.batch_size)
    names = None if params is None else sorted(n if isinstance(n, str) else
                                               next(k for k, p in model.named_parameters() if p is n) for n in params)
    cache = cache or Cache()
    key = {"module": module_fingerprint(model), "data": data_fingerprint(batches), "loss": loss_fingerprint(loss_fn),
           "params": names, "spectrum": {f: getattr(spec, f) for f in ("matrix", "k", "max_steps", "tol", "seed",
                                                                       "solver", "batch_size")},
           "_version": 1}

    def compute() -> dict:
        op = _operator(spec.matrix, model, loss_fn, batches, params=params)
        t0 = time.perf_counter()
        if spec.solver == "lanczos":
            res = spectral.lanczos_top_k(op, spec.k, num_steps=spec.max_steps, tol=spec.tol, seed=spec.seed,
                                         progress=progress)
        else:
            res = spectral.power_iteration_top_k(op, spec.k, tol=spec.tol, seed=spec.seed, progress=progress)
        return {"eigenvalues": np.asarray(res.eigenvalues, dtype=np.float64),
                "residuals": np.asarray(res.residuals, dtype=np.float64),
                "num_matvecs": np.int64(res.num_matvecs), "converged": np.bool_(res.converged),
                "seconds": np.float64(time.perf_counter() - t0)}

    out = cache.get_or_compute("spectra", key, compute, "npz")
    return Spectrum(out["eigenvalues"], out["residuals"], int(out["num_matvecs"]), bool(out["converged"]),
                    float(out["seconds"]))


def parameter_blocks(model: torch.nn.Module) -> dict[str, list[str]]:
    """The model's trainable parameters grouped by the module that owns them (one block per layer).

    Parameters
    ----------
    model : torch.nn.Module
        The model.

    Returns
    -------
    dict
        ``{module name: [parameter names]}`` in the model's order, e.g.
        ``{"0": ["0.weight", "0.bias"], "2": ["2.weight", "2.bias"]}`` for an ``nn.Sequential``.

    Raises
    ------
    AttributeError
        ``model`` is not an ``nn.Module`` (it has no ``named_parameters``). A model without
        trainable parameters gives an empty dict.

    Examples
    --------
    >>> from torch import nn
    >>> parameter_blocks(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    {'0': ['0.weight', '0.bias'], '2': ['2.weight', '2.bias']}
    """
    blocks: dict[str, list[str]] = {}
    for name, p in model.named_parameters():
        if p.requires_grad:
            blocks.setdefault(name.rsplit(".", 1)[0] if "." in name else "", []).append(name)
    return blocks


def _block_operators(model, loss_fn, data, matrix: str, blocks, progress: bool, desc: str):
    """``(label, operator)`` of each parameter block, the data normalised once and shared."""
    from .curvature.inputs import as_batches, model_dtype_device
    from .progress import progress_bar

    dtype, device = model_dtype_device(model)
    batches = as_batches(data, dtype=dtype, device=device)
    blocks = blocks or parameter_blocks(model)
    for label, names in progress_bar(list(blocks.items()), enabled=progress, desc=desc, unit="block", leave=False,
                                     delay=1.0):
        yield label, _operator(matrix, model, loss_fn, batches, params=names)


def layer_spectra(model: torch.nn.Module, loss_fn, data, k: int = 10, *, matrix: str = "hessian",
                  blocks: dict[str, list[str]] | None = None, tol: float = 1e-6, seed: int = 0,
                  progress: bool = True) -> dict[str, "EigResult"]:
    """Top-``k`` eigenpairs of each diagonal block of the curvature: one layer's parameters at a time.

    The block ``H_ll`` of layer ``l`` is the Hessian with respect to that layer's parameters, the
    others held fixed (PyHessian users' per-layer spectra); its eigenvalues are not those of the
    whole ``H`` restricted to the layer.

    Parameters
    ----------
    model, loss_fn, data
        As :class:`~dlspectra.curvature.HessianOperator` (the data are normalised once, shared).
    k : int
        Eigenvalues per block (capped at the block's size).
    matrix : str
        ``"hessian"``, ``"ggn"``, ``"residual"`` or ``"gradient-covariance"``.
    blocks : dict, optional
        ``{label: [parameter names]}``; default :func:`parameter_blocks`.
    tol, seed
        As :func:`~dlspectra.spectral.lanczos_top_k`.
    progress : bool
        A bar over the blocks.

    Returns
    -------
    dict
        ``{label: EigResult}`` (eigenvalues descending).

    Raises
    ------
    dlspectra.errors.UsageError
        As the operators; an unknown parameter name in ``blocks``.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).eval()
    >>> out = layer_spectra(model, nn.CrossEntropyLoss(), (torch.randn(20, 3), torch.arange(20) % 2), k=2,
    ...                     progress=False)
    >>> sorted(out), out["2"].eigenvalues.shape
    (['0', '2'], (2,))
    """
    from . import spectral

    return {label: spectral.lanczos_top_k(op, min(k, op.dim), tol=tol, seed=seed, progress=False)
            for label, op in _block_operators(model, loss_fn, data, matrix, blocks, progress, "layer spectra")}


def layer_traces(model: torch.nn.Module, loss_fn, data, *, matrix: str = "hessian", num_matvecs: int = 30,
                 method: str = "hutch++", blocks: dict[str, list[str]] | None = None, seed: int = 0,
                 progress: bool = True) -> dict[str, tuple[float, float]]:
    """The trace of each diagonal block of the curvature (one layer's parameters), with its error.

    Parameters
    ----------
    model, loss_fn, data, matrix, blocks, seed, progress
        As :func:`layer_spectra`.
    num_matvecs : int
        Products per block. A block with at most ``num_matvecs`` parameters gets its exact trace
        (``e_i^T A e_i`` summed, error 0).
    method : {"hutch++", "hutchinson"}
        :func:`~dlspectra.spectral.hutchpp_trace` (default) or
        :func:`~dlspectra.spectral.hutchinson_trace`.

    Returns
    -------
    dict
        ``{label: (trace, standard error)}``.

    Raises
    ------
    dlspectra.errors.UsageError
        As the operators, or an unknown ``method``.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).eval()
    >>> t = layer_traces(model, nn.CrossEntropyLoss(), (torch.randn(20, 3), torch.arange(20) % 2), progress=False)
    >>> t["2"][1]
    0.0
    """
    from . import spectral
    from .errors import UsageError

    if method not in ("hutch++", "hutchinson"):
        raise UsageError(f"method must be 'hutch++' or 'hutchinson', got {method!r}")
    out = {}
    for label, op in _block_operators(model, loss_fn, data, matrix, blocks, progress, "layer traces"):
        if op.dim <= num_matvecs:
            diag = torch.diagonal(op.to_dense(chunk_size=op.dim))
            out[label] = (float(diag.to(torch.float64).sum()), 0.0)
        elif method == "hutch++":
            out[label] = spectral.hutchpp_trace(op, num_matvecs, seed, return_std=True, progress=False)
        else:
            out[label] = spectral.hutchinson_trace(op, num_matvecs, seed, return_std=True, progress=False)
    return out
