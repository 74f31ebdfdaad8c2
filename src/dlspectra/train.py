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

from . import data as data_mod
from .cache import Cache
from .models import build_model, model_for_data
from .progress import progress_bar
from .optim import PAPER_LR, build_optimizer, lr_factor, set_lr

log = logging.getLogger(__name__)


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` means CUDA when available, else CPU."""
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


@dataclass
class TrainConfig:
    """Everything that determines a trained model (all of it goes into the cache key).

    ``lr=None`` takes Xie et al.'s learning rate for the optimizer (:data:`~dlspectra.optim.PAPER_LR`).
    ``milestones`` are fractions of ``epochs`` (step schedule). ``augment``: random horizontal flip
    and 4-pixel-padded random crop (Xie, CIFAR). ``test_n``: size of the test subset used for the
    final test metrics (None = the whole test split).
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
    """A trained model (eval mode, on the requested device) with its config and record."""

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
    """Mean loss and (for classification) accuracy of ``model`` on ``dataset``, in eval mode."""
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


def train_model(config: TrainConfig, device: str | torch.device = "auto", *, progress: bool = True,
                cache: Cache | None = None) -> TrainedModel:
    """Train (or load from the cache) the model described by ``config``; see the module docstring.

    Trained once across processes: the checkpoint's cache lock is held while training, so a second
    process asking for the same model waits and then loads the stored checkpoint.
    """
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
    n = len(train_set)
    t0 = time.perf_counter()
    epochs = range(start_epoch, config.epochs)
    bar = progress_bar(epochs, enabled=progress and config.epochs > 0, leave=False,
                       desc=f"train {config.model}/{config.data.name}/{config.optimizer}")
    for epoch in bar:
        model.train()
        lr = config.base_lr * lr_factor(config.schedule, epoch, config.epochs, config.milestones)
        set_lr(optimizer, lr)
        gen = torch.Generator().manual_seed(config.seed * 100_003 + epoch)
        perm = torch.randperm(n, generator=gen).to(device)
        total, correct = 0.0, 0
        for i in range(0, n, config.batch_size):
            idx = perm[i:i + config.batch_size]
            x, y = X[idx], Y[idx]
            if config.augment:
                x = augment_batch(x, gen)
            optimizer.zero_grad(set_to_none=True)
            out = _model_output(model, x, regression)
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
            cache.save("checkpoints-partial", key, "torch",
                       {"state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "epoch": epoch + 1, "history": history})
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
