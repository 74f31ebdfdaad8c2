"""Training with checkpoints in the cache, keyed by the full config, resumable after a kill.

``train_model(TrainConfig(...))`` returns a :class:`TrainedModel` (the model in eval mode, its
per-epoch history and final train/test metrics). The first call trains and stores the result in
the cache (namespace ``checkpoints``); later calls, from any notebook, load it. During training
a partial checkpoint (model, optimizer, epoch, history) is written atomically after every epoch
(namespace ``checkpoints-partial``); a killed run resumes from it and gives the same weights as
an uninterrupted one (the shuffling and augmentation generators are re-seeded per epoch).
``epochs=0`` gives the seeded random initialisation ("Random" in Xie's tables).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from . import budget, data as data_mod
from .cache import Cache
from .errors import UsageError
from .models import build_model, model_for_data
from .progress import progress_bar
from .optim import PAPER_LR, build_optimizer, lr_factor, set_lr

log = logging.getLogger(__name__)


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """The device to compute on, checked before any work.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"`` (CUDA when available, else the CPU), ``"cpu"``, ``"cuda"``, ``"cuda:N"``, ``"mps"``.

    Returns
    -------
    torch.device

    Raises
    ------
    dlspectra.errors.UsageError
        An unknown device name (``"cdua"``), or a CUDA/MPS device this machine or torch build does
        not have.

    Examples
    --------
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise UsageError(f"unknown device {device!r}; use 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'") from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise UsageError(f"device {device!r} asked for, but CUDA is not available here "
                             "(torch.cuda.is_available() is False); use device='cpu' or 'auto'")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise UsageError(f"device {device!r} asked for, but this machine has {torch.cuda.device_count()} "
                             "CUDA device(s)")
    elif dev.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise UsageError(f"device {device!r} asked for, but MPS is not available here; use 'cpu' or 'auto'")
    elif dev.type not in ("cpu", "cuda", "mps"):
        raise UsageError(f"device {device!r}: only 'cpu', 'cuda' and 'mps' are supported")
    return dev


@dataclass
class TrainConfig:
    """Everything that determines a trained zoo model (all of it goes into the cache key).

    Attributes
    ----------
    model : str
        A name of :data:`dlspectra.models.MODELS` (``"lenet"``, ``"fcn"``, ``"resnet18"``, ...).
    data : DataSpec
        The training data.
    model_config : dict
        Keyword arguments of the model (input/output sizes are filled from the data).
    optimizer, lr, momentum, weight_decay, batch_size, epochs
        ``lr=None`` takes Xie et al.'s learning rate for the optimizer (:data:`~dlspectra.optim.PAPER_LR`).
    schedule, milestones
        ``"step"`` (``milestones``: fractions of ``epochs``), ``"linear-decay"`` or ``"constant"``.
    augment : bool
        Random horizontal flip and 4-pixel-padded random crop (Xie, App. B.3, CIFAR).
    seed : int
        Initialisation and shuffling.
    test_n : int or None
        Size of the test subset of the final test metrics (None = the whole test split).

    Examples
    --------
    >>> from dlspectra.data import DataSpec
    >>> TrainConfig("lenet", DataSpec("mnist", n=1000), epochs=2).base_lr
    0.1
    """

    model: str
    data: data_mod.DataSpec
    model_config: dict = field(default_factory=dict)
    optimizer: str = "sgd"
    lr: float | None = None
    momentum: float = 0.9
    weight_decay: float = 5e-4
    batch_size: int = 128
    epochs: int = 8
    schedule: str = "step"
    milestones: tuple[float, ...] = (0.4, 0.8)
    augment: bool = False
    seed: int = 0
    test_n: int | None = 2000

    def key_config(self) -> dict:
        cfg = dataclasses.asdict(self)
        cfg["lr"] = self.base_lr
        cfg["_version"] = 1  # bump when the training code changes results
        return cfg

    @property
    def base_lr(self) -> float:
        return float(self.lr if self.lr is not None else PAPER_LR.get(self.optimizer, 0.1))

    def replace(self, **changes) -> "TrainConfig":
        return dataclasses.replace(self, **changes)


@dataclass
class TrainedModel:
    """A trained model (eval mode, on the requested device) with its config and record.

    Attributes
    ----------
    model : torch.nn.Module
        The trained network.
    config : TrainConfig or FitConfig
        What trained it.
    history : list of dict
        Per epoch: ``epoch``, ``lr``, ``train_loss`` (and ``train_accuracy``).
    metrics : dict
        Final metrics (train/test loss and accuracy for zoo models).

    Examples
    --------
    >>> from torch import nn
    >>> TrainedModel(nn.Linear(2, 2), None, [], {}).history
    []
    """

    model: nn.Module
    config: TrainConfig
    history: list[dict]
    metrics: dict


def loss_function(dataset: data_mod.Dataset) -> nn.Module:
    """Cross-entropy (mean) for classification, mean squared error for regression."""
    return nn.CrossEntropyLoss() if dataset.num_classes is not None else nn.MSELoss()


def _model_output(model: nn.Module, x: torch.Tensor, regression: bool) -> torch.Tensor:
    out = model(x)
    return out.squeeze(-1) if regression else out


@torch.no_grad()
def evaluate(model: nn.Module, dataset: data_mod.Dataset, device: torch.device, batch_size: int = 1000) -> dict:
    """Mean loss and (for classification) accuracy of ``model`` on ``dataset``, in eval mode.

    Parameters
    ----------
    model : torch.nn.Module
        Its training/eval mode is restored afterwards.
    dataset : Dataset
        A :class:`dlspectra.data.Dataset` (cross-entropy when it has classes, squared error otherwise).
    device : torch.device
        Where to compute.
    batch_size : int
        Samples per forward pass.

    Returns
    -------
    dict
        ``{"loss": float}`` and ``"accuracy"`` for classification.

    Raises
    ------
    RuntimeError
        The model does not accept the data's inputs.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from dlspectra.data import Dataset
    >>> ds = Dataset("toy", "train", torch.randn(10, 3), torch.arange(10) % 2, 2)
    >>> sorted(evaluate(nn.Linear(3, 2), ds, torch.device("cpu")))
    ['accuracy', 'loss']
    """
    was_training = model.training
    model.eval()
    loss_fn = loss_function(dataset)
    regression = dataset.num_classes is None
    total, correct, n = 0.0, 0, 0
    for x, y in dataset.batches(batch_size, device):
        out = _model_output(model, x, regression)
        total += float(loss_fn(out, y)) * len(y)
        if not regression:
            correct += int((out.argmax(1) == y).sum())
        n += len(y)
    model.train(was_training)
    res = {"loss": total / n}
    if not regression:
        res["accuracy"] = correct / n
    return res


def augment_batch(x: torch.Tensor, generator: torch.Generator, pad: int = 4) -> torch.Tensor:
    """Random horizontal flip and random crop after zero-padding by ``pad`` (vectorised over the batch).

    ``x``: ``(N, C, H, W)``; the generator must live on the CPU.
    """
    n, c, h, w = x.shape
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip.to(x.device).view(n, 1, 1, 1), x.flip(3), x)
    xp = nn.functional.pad(x, (pad, pad, pad, pad))
    oy = torch.randint(0, 2 * pad + 1, (n,), generator=generator).to(x.device)
    ox = torch.randint(0, 2 * pad + 1, (n,), generator=generator).to(x.device)
    rows = (oy[:, None] + torch.arange(h, device=x.device))[:, :, None]  # (N, H, 1)
    cols = (ox[:, None] + torch.arange(w, device=x.device))[:, None, :]  # (N, 1, W)
    idx = torch.arange(n, device=x.device)[:, None, None]
    return xp.permute(0, 2, 3, 1)[idx, rows, cols].permute(0, 3, 1, 2).contiguous()


def _run_epochs(model: nn.Module, optimizer, loss_fn, X: torch.Tensor, Y: torch.Tensor, config, *,
                start_epoch: int, regression: bool, history: list[dict], device: torch.device, progress: bool,
                checkpoint, desc: str, squeeze: bool | None = None) -> None:
    """The training loop of :func:`train_model` and :func:`train_module`: epochs ``start_epoch..``
    of seeded shuffled mini-batches (the permutation and augmentation generators re-seeded per
    epoch, so a resumed run gives the same weights); ``checkpoint(epoch)`` after every epoch but the last."""
    n = len(X)
    squeeze = regression if squeeze is None else squeeze
    epochs = range(start_epoch, config.epochs)
    bar = progress_bar(epochs, enabled=progress and config.epochs > 0, leave=False, desc=desc)
    for epoch in bar:
        model.train()
        lr = config.base_lr * lr_factor(config.schedule, epoch, config.epochs, config.milestones)
        set_lr(optimizer, lr)
        gen = torch.Generator().manual_seed(config.seed * 100_003 + epoch)
        perm = torch.randperm(n, generator=gen).to(device)
        total, correct = 0.0, 0
        cap = budget.batches_per_epoch()  # a smoke run's cap (None: every batch)
        for i in range(0, n if cap is None else min(n, cap * config.batch_size), config.batch_size):
            idx = perm[i:i + config.batch_size]
            x, y = X[idx], Y[idx]
            if config.augment:
                x = augment_batch(x, gen)
            optimizer.zero_grad(set_to_none=True)
            out = _model_output(model, x, squeeze)
            loss = loss_fn(out, y)
            if not torch.isfinite(loss):
                raise FloatingPointError(f"training diverged at epoch {epoch}: loss {loss.item()} "
                                         f"({config.optimizer}, lr {lr})")
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            if not regression:
                correct += int((out.argmax(1) == y).sum())
        rec = {"epoch": epoch + 1, "lr": lr, "train_loss": total / n}
        if not regression:
            rec["train_accuracy"] = correct / n
        history.append(rec)
        bar.set_postfix(loss=f"{rec['train_loss']:.3f}")
        if epoch + 1 < config.epochs:
            checkpoint(epoch + 1)


def train_model(config: TrainConfig, device: str | torch.device = "auto", *, progress: bool = True,
                cache: Cache | None = None) -> TrainedModel:
    """Train (or load from the cache) the zoo model described by ``config``.

    The first call trains and stores the result in the cache (namespace ``checkpoints``); later
    calls, from any process, load it. A partial checkpoint is written after every epoch; a killed
    run resumes from it and gives the same weights. The checkpoint's cache lock is held while
    training, so a second process asking for the same model waits and then loads it.

    Parameters
    ----------
    config : TrainConfig
        The model, data and training settings.
    device : str or torch.device
        ``"auto"``, ``"cpu"``, ``"cuda"``, ... -- checked before any data is loaded.
    progress : bool
        A bar over the epochs.
    cache : Cache, optional
        Default ``Cache()``.

    Returns
    -------
    TrainedModel
        The model in eval mode, its per-epoch history and final train/test metrics.

    Raises
    ------
    dlspectra.errors.UsageError
        An unavailable device.
    dlspectra.errors.UnknownNameError
        An unknown model, data set or optimizer.
    dlspectra.errors.DataMissingError
        A data file is absent.
    FloatingPointError
        The training loss became NaN or infinite.

    Examples
    --------
    >>> from dlspectra.data import DataSpec
    >>> t = train_model(TrainConfig("logistic", DataSpec("gaussian", n=64), epochs=1, test_n=64), "cpu",
    ...                 progress=False)
    >>> len(t.history), sorted(t.metrics["train"])
    (1, ['accuracy', 'loss'])
    """
    device = resolve_device(device)  # a wrong device is refused before any data or training
    cache = cache or Cache()
    with cache.locked("checkpoints", config.key_config()):
        return _train_model(config, device, progress=progress, cache=cache)


def _train_model(config: TrainConfig, device: str | torch.device, *, progress: bool, cache: Cache) -> TrainedModel:
    """:func:`train_model` with the checkpoint's lock held."""
    device = resolve_device(device)
    key = config.key_config()
    train_set = data_mod.load(config.data)
    model_cfg = model_for_data(config.model, train_set, **config.model_config)
    model = build_model(config.model, seed=config.seed, **model_cfg).to(device)

    stored = cache.load("checkpoints", key, "torch")
    if stored is not None:
        model.load_state_dict(stored["state_dict"])
        model.eval()
        return TrainedModel(model, config, stored["history"], stored["metrics"])

    history: list[dict] = []
    start_epoch = 0
    optimizer = build_optimizer(config.optimizer, model.parameters(), config.base_lr,
                                momentum=config.momentum, weight_decay=config.weight_decay)
    partial = cache.load("checkpoints-partial", key, "torch")
    if partial is not None:
        model.load_state_dict(partial["state_dict"])
        optimizer.load_state_dict(partial["optimizer"])
        history, start_epoch = partial["history"], partial["epoch"]
        log.info("resuming %s at epoch %d", config.model, start_epoch)

    loss_fn = loss_function(train_set)
    regression = train_set.num_classes is None
    X, Y = train_set.X.to(device), train_set.y.to(device)
    t0 = time.perf_counter()

    def checkpoint(epoch: int) -> None:
        cache.save("checkpoints-partial", key, "torch",
                   {"state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "epoch": epoch, "history": history})

    _run_epochs(model, optimizer, loss_fn, X, Y, config, start_epoch=start_epoch, regression=regression,
                history=history, device=device, progress=progress, checkpoint=checkpoint,
                desc=f"train {config.model}/{config.data.name}/{config.optimizer}")
    model.eval()
    test_spec = dataclasses.replace(config.data, split="test", n=config.test_n, label_noise=0.0,
                                    random_labels=False)
    if config.test_n is not None and config.test_n > len(data_mod.load(dataclasses.replace(test_spec, n=None))):
        test_spec = dataclasses.replace(test_spec, n=None)
    metrics = {"train": evaluate(model, train_set, device), "test": evaluate(model, data_mod.load(test_spec), device),
               "train_seconds": time.perf_counter() - t0, "device": str(device)}
    cache.save("checkpoints", key, "torch", {"state_dict": {k: v.cpu() for k, v in model.state_dict().items()},
                                              "history": history, "metrics": metrics})
    cache.delete("checkpoints-partial", key, "torch")
    return TrainedModel(model, config, history, metrics)


# ----------------------------------------------------------------------------- any nn.Module, cached by content


def module_fingerprint(model: nn.Module) -> str:
    """SHA-256 of a module's architecture (its class and ``repr``) and of every parameter and buffer
    (names, dtypes, shapes, values): two modules with the same fingerprint compute the same function."""
    import hashlib

    h = hashlib.sha256()
    h.update(f"{type(model).__module__}.{type(model).__qualname__}\n{model!r}".encode())
    for name, t in list(model.state_dict().items()):
        h.update(f"{name}:{t.dtype}:{tuple(t.shape)}".encode())
        h.update(t.detach().cpu().contiguous().numpy().tobytes() if t.dtype != torch.bfloat16
                 else t.detach().float().cpu().numpy().tobytes())
    return h.hexdigest()


def data_fingerprint(batches: list[tuple[torch.Tensor, torch.Tensor]]) -> str:
    """SHA-256 of a list of ``(X, y)`` batches: their order, sizes, dtypes and values."""
    import hashlib

    h = hashlib.sha256()
    for X, y in batches:
        for t in (X, y):
            h.update(f"{t.dtype}:{tuple(t.shape)}".encode())
            h.update(t.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def loss_fingerprint(loss_fn) -> str:
    """A description of a loss function for cache keys: its class or qualified name and its settings
    (``reduction``, ``label_smoothing``, ``ignore_index``, class weights, ...)."""
    import hashlib

    kind = type(loss_fn)
    if isinstance(loss_fn, nn.Module):
        parts = [f"{kind.__module__}.{kind.__qualname__}"]
        for k, v in sorted(vars(loss_fn).items()):
            if k.startswith("_") and k not in ("_buffers",):
                continue
            parts.append(f"{k}={v!r}")
        for name, b in loss_fn.named_buffers():
            parts.append(f"{name}={hashlib.sha256(b.detach().cpu().numpy().tobytes()).hexdigest()}")
        return ";".join(parts)
    return f"{getattr(loss_fn, '__module__', '')}.{getattr(loss_fn, '__qualname__', repr(loss_fn))}"


_TRAINING_FIELDS = ("optimizer", "lr", "momentum", "weight_decay", "batch_size", "epochs", "schedule", "milestones",
                    "augment", "seed")


FitConfig = dataclasses.make_dataclass(
    "FitConfig",
    [(f.name, f.type, dataclasses.field(default=f.default)) for f in dataclasses.fields(TrainConfig)
     if f.name in _TRAINING_FIELDS],
    frozen=True, namespace={"base_lr": TrainConfig.base_lr, "__module__": __name__})
FitConfig.__doc__ = """The training settings of :func:`train_module` (all of them go into its cache key).

    The fields of :class:`TrainConfig` without the model and the data, with the same defaults.

    Attributes
    ----------
    optimizer, lr, momentum, weight_decay, batch_size, epochs, schedule, milestones, augment, seed
        As in :class:`TrainConfig`; ``lr=None`` takes Xie et al.'s learning rate for the optimizer
        (:data:`~dlspectra.optim.PAPER_LR`).

    Examples
    --------
    >>> FitConfig(optimizer="adam").base_lr
    0.001
    """


def train_module(model: nn.Module, data, loss_fn=None, config: FitConfig | None = None, *,
                 device: str | torch.device | None = None, progress: bool = True,
                 cache: Cache | None = None) -> TrainedModel:
    """Train any ``nn.Module`` on its data, cached by content: the sibling of :func:`train_model`.

    The cache key holds the module's fingerprint before training (architecture, initial weights
    and buffers), the data's (every batch's values, in order), the loss and ``config``; a second
    call with the same three loads the trained weights into ``model`` instead of training.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place (left in eval mode).
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        The training samples (:mod:`dlspectra.curvature.inputs`); concatenated once and shuffled
        per epoch with a seeded permutation (a shuffling DataLoader's own order is not used).
    loss_fn : callable, optional
        Default ``nn.CrossEntropyLoss()`` for integer labels, ``nn.MSELoss()`` otherwise; a mean.
    config : FitConfig, optional
        Optimizer, learning rate, schedule, epochs, batch size, seed (default :class:`FitConfig`).
    device : str or torch.device, optional
        Default: where the model's parameters are. Checked before any work.
    progress : bool
        A bar over the epochs.
    cache : Cache, optional
        Default ``Cache()`` (``$DLSPECTRA_CACHE``), namespace ``modules``.

    Returns
    -------
    TrainedModel
        ``model`` (trained, eval mode), ``config``, the per-epoch ``history`` and ``metrics``
        (final training loss and accuracy).

    Raises
    ------
    dlspectra.errors.UsageError
        A wrong device, or data or a loss outside the contract -- before any training.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> X, y = torch.randn(64, 4), torch.randint(0, 2, (64,))
    >>> trained = train_module(model, (X, y), config=FitConfig(lr=0.1, epochs=2, batch_size=16), progress=False)
    >>> len(trained.history)
    2
    """
    from .curvature.inputs import as_batches, check_loss, concat_batches

    config = config or FitConfig()
    first = next(iter(model.parameters()), None)
    if first is None:
        raise UsageError("the model has no parameters to train")
    dev = resolve_device(device) if device is not None else first.device
    model.to(dev)
    dtype = first.dtype
    batches = as_batches(data, dtype=dtype, device=dev)
    X, Y = concat_batches(batches)
    regression = Y.is_floating_point()
    if loss_fn is None:
        loss_fn = nn.MSELoss() if regression else nn.CrossEntropyLoss()
    was_training = model.training
    model.eval()  # the check's forward pass must not move BatchNorm's running statistics
    try:
        check_loss(model, loss_fn, batches[:1])
    finally:
        model.train(was_training)
    cache = cache or Cache()
    key = {"module": module_fingerprint(model), "data": data_fingerprint([(X, Y)]),
           "loss": loss_fingerprint(loss_fn), "config": dataclasses.asdict(config), "lr": config.base_lr,
           "_version": 1}
    with cache.locked("modules", key):
        stored = cache.load("modules", key, "torch")
        if stored is not None:
            model.load_state_dict(stored["state_dict"])
            model.eval()
            return TrainedModel(model, config, stored["history"], stored["metrics"])
        optimizer = build_optimizer(config.optimizer, model.parameters(), config.base_lr,
                                    momentum=config.momentum, weight_decay=config.weight_decay)
        history: list[dict] = []
        t0 = time.perf_counter()
        _run_epochs(model, optimizer, loss_fn, X, Y, config, start_epoch=0, regression=regression,
                    history=history, device=dev, progress=progress, checkpoint=lambda epoch: None,
                    desc=f"train {type(model).__name__}", squeeze=False)
        model.eval()
        metrics = {"train_loss": history[-1]["train_loss"] if history else None,
                   "train_seconds": time.perf_counter() - t0, "device": str(dev)}
        if history and "train_accuracy" in history[-1]:
            metrics["train_accuracy"] = history[-1]["train_accuracy"]
        cache.save("modules", key, "torch", {"state_dict": {k: v.cpu() for k, v in model.state_dict().items()},
                                            "history": history, "metrics": metrics})
    return TrainedModel(model, config, history, metrics)
