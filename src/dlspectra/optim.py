"""The optimizers and learning-rate schedules of the papers, taken from torch.optim and pytorch-optimizer.

Xie et al. compare eleven optimizers (App. B.2). Names, sources and default
learning rates (the paper's, for MNIST; CIFAR changes some, see :data:`PAPER_LR_CIFAR`):

| name | implementation | paper lr |
|---|---|---|
| ``sgd`` | ``torch.optim.SGD(momentum=0.9)`` ("SGD" in the paper) | 0.1 |
| ``vanilla-sgd`` | ``torch.optim.SGD(momentum=0)`` | 0.1 |
| ``adam`` | ``torch.optim.Adam`` | 0.001 |
| ``amsgrad`` | ``torch.optim.Adam(amsgrad=True)`` | 0.001 |
| ``adabound`` | ``pytorch_optimizer.AdaBound`` | 0.001 |
| ``yogi`` | ``pytorch_optimizer.Yogi`` | 0.001 |
| ``radam`` | ``torch.optim.RAdam`` | 0.001 |
| ``adai`` | ``pytorch_optimizer.Adai`` | 0.1 |
| ``pnm`` | ``pytorch_optimizer.PNM`` | 0.1 |
| ``lookahead`` | ``pytorch_optimizer.Lookahead`` around SGD-momentum (k=5, alpha=0.5; inner optimizer not stated by the paper: our reading) | 0.1 |
| ``diffgrad`` | ``pytorch_optimizer.DiffGrad`` | 0.001 |

Weight decay is the coupled L2 penalty for every optimizer (``weight_decouple=False`` for the
pytorch-optimizer ones), as ``torch.optim`` applies it; the paper says only "weight decay 5e-4".
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from .errors import UnknownNameError

PAPER_LR = {"sgd": 0.1, "vanilla-sgd": 0.1, "adam": 1e-3, "amsgrad": 1e-3, "adabound": 1e-3, "yogi": 1e-3,
            "radam": 1e-3, "adai": 0.1, "pnm": 0.1, "lookahead": 0.1, "diffgrad": 1e-3}
"""Xie et al.'s learning rates on MNIST / Fashion-MNIST (App. B.2)."""

PAPER_LR_CIFAR = dict(PAPER_LR, **{"vanilla-sgd": 1.0, "adai": 1.0, "pnm": 1.0})
"""Xie et al.'s learning rates on CIFAR-10/100 (App. B.3)."""

OPTIMIZERS = tuple(PAPER_LR)


def build_optimizer(name: str, params: Iterable[torch.nn.Parameter], lr: float, *,
                    momentum: float = 0.9, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """Optimizer ``name`` (see the module table) over ``params``.

    Parameters
    ----------
    name : str
        One of :data:`OPTIMIZERS`.
    params : iterable of torch.nn.Parameter
        The parameters to optimise.
    lr : float
        Learning rate.
    momentum : float
        For the SGD-type optimizers (and Lookahead's inner SGD).
    weight_decay : float
        Coupled L2 penalty (as ``torch.optim`` applies it).

    Returns
    -------
    torch.optim.Optimizer

    Raises
    ------
    dlspectra.errors.UnknownNameError
        An unknown optimizer (the message lists the valid ones).

    Examples
    --------
    >>> from torch import nn
    >>> type(build_optimizer("adam", nn.Linear(2, 1).parameters(), 1e-3)).__name__
    'Adam'
    """
    import pytorch_optimizer as po

    params = list(params)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "vanilla-sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.0, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "amsgrad":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, amsgrad=True)
    if name == "radam":
        return torch.optim.RAdam(params, lr=lr, weight_decay=weight_decay)
    if name == "adabound":
        return po.AdaBound(params, lr=lr, weight_decay=weight_decay, weight_decouple=False)
    if name == "yogi":
        return po.Yogi(params, lr=lr, weight_decay=weight_decay, weight_decouple=False)
    if name == "adai":
        return po.Adai(params, lr=lr, weight_decay=weight_decay, weight_decouple=False)
    if name == "pnm":
        return po.PNM(params, lr=lr, weight_decay=weight_decay, weight_decouple=False)
    if name == "diffgrad":
        return po.DiffGrad(params, lr=lr, weight_decay=weight_decay, weight_decouple=False)
    if name == "lookahead":
        inner = torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
        return po.Lookahead(inner, k=5, alpha=0.5)
    raise UnknownNameError(f"unknown optimizer {name!r}; valid: {sorted(OPTIMIZERS)}")


def lr_factor(schedule: str, epoch: int, epochs: int, milestones: tuple[float, ...] = (0.4, 0.8),
              gamma: float = 0.1, final_factor: float = 0.01) -> float:
    """Multiplier of the base learning rate during (0-based) ``epoch`` of ``epochs``.

    ``"step"``: times ``gamma`` at each milestone (fractions of training, Xie: /10 at 40 % and 80 %).
    ``"linear-decay"``: Baskerville et al.: constant for the first half, linear down to
    ``final_factor`` between 50 % and 90 %, then constant. ``"constant"``: 1.
    """
    if schedule == "constant":
        return 1.0
    if schedule == "step":
        passed = sum(epoch >= round(m * epochs) for m in milestones)
        return gamma ** passed
    if schedule == "linear-decay":
        t = epoch / max(epochs, 1)
        if t <= 0.5:
            return 1.0
        if t <= 0.9:
            return 1.0 - (1.0 - final_factor) * (t - 0.5) / 0.4
        return final_factor
    raise UnknownNameError(f"unknown schedule {schedule!r}; valid: constant, linear-decay, step")


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    """Set the learning rate of every parameter group (Lookahead forwards to its inner optimizer)."""
    for group in optimizer.param_groups:
        group["lr"] = lr
