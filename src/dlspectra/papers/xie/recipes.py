"""Training recipes of the papers as :class:`~dlspectra.train.TrainConfig` builders, sized by a preset.

Notebooks that share a recipe get *equal* configs, hence the same cache key: the LeNet-MNIST-SGD
baseline is trained once and reused by every Xie figure that needs it.
"""

from __future__ import annotations

from dlspectra.data import DataSpec
from dlspectra.optim import PAPER_LR, PAPER_LR_CIFAR
from dlspectra.train import TrainConfig

_CIFAR = ("cifar10", "cifar100")


def xie_train_config(p: dict, dataset: str = "mnist", *, model: str = "lenet", optimizer: str = "sgd",
                     epochs: int | None = None, model_config: dict | None = None, data_changes: dict | None = None,
                     **changes) -> TrainConfig:
    """Xie et al.'s recipe (App. B; catalog-xie 0.3) for ``model`` on ``dataset`` at the preset ``p``'s scale.

    SGD-momentum 0.9 (or ``optimizer``) at the paper's learning rate for that optimizer and data set,
    batch 128, weight decay 5e-4, learning rate /10 at 40 % and 80 % of the epochs, augmentation
    (flip + crop) on CIFAR. ``epochs=0`` is the random initialisation. ``p["lenet"][dataset]`` gives
    the training-subset size and the epochs; ``data_changes`` edit the :class:`DataSpec` (label noise,
    random labels, another subset size) and ``changes`` the :class:`TrainConfig` (batch size, ...).
    """
    sizes = p["lenet"][dataset]
    data_fields = {"n": sizes["train_n"], "seed": p.get("seed", 0), **(data_changes or {})}
    data = DataSpec(dataset, "train", **data_fields)
    lr_table = PAPER_LR_CIFAR if dataset in _CIFAR else PAPER_LR
    cfg = TrainConfig(model=model, data=data, model_config=dict(model_config or {}), optimizer=optimizer,
                      lr=lr_table[optimizer], epochs=sizes["epochs"] if epochs is None else epochs,
                      augment=dataset in _CIFAR, seed=p.get("seed", 0), test_n=p.get("test_n"))
    return cfg.replace(**changes) if changes else cfg
