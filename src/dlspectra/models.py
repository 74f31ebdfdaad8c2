"""Model zoo of the three papers, built by name from a config: ``build_model("lenet", in_channels=1)``.

| name | paper | definition |
|---|---|---|
| ``lenet`` | Xie (LeNet, App. B) | conv5(C,6)-ReLU-pool2-conv5(6,16)-ReLU-pool2-FC120-ReLU-FC84-ReLU-FC(classes); 44,426 params on MNIST |
| ``lenet-small`` | Baskerville (LeNet with FC 35/50) | as ``lenet`` with hidden widths (35, 50); 19,217 params on CIFAR-10 |
| ``fcn`` | Xie (1/2/4Layer-FCN; LNN) | ``depth`` weight layers, hidden ``width``, activation relu or identity, optional BatchNorm1d |
| ``mlp`` | Papyan (8x2048), Baskerville (784-10-100-10, Bike 13-100-100-50-1) | explicit ``widths`` list from input to output |
| ``logistic`` | Baskerville, Xie 1Layer-FCN | one linear layer |
| ``resnet18`` | Xie, Papyan | CIFAR ResNet18: 3x3 stem, no max-pool, BasicBlocks [2,2,2,2], widths 64-512, BatchNorm |
| ``vgg11`` | Papyan (App. D.3) | VGG11-BN features + classifier 512-4096-4096-C with BatchNorm in place of dropout (28.1M params) |

Images enter as ``(N, C, H, W)``; fully connected models flatten them. Parameters use PyTorch's
default initialisation, drawn after ``torch.manual_seed(seed)`` when a seed is passed.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .errors import UnknownNameError


def _activation(name: str) -> nn.Module:
    acts = {"relu": nn.ReLU, "tanh": nn.Tanh, "identity": nn.Identity, "sigmoid": nn.Sigmoid}
    if name not in acts:
        raise UnknownNameError(f"unknown activation {name!r}; valid: {sorted(acts)}")
    return acts[name]()


class LeNet(nn.Module):
    """LeNet-5 (ReLU, max-pool). Input ``(N, C, S, S)`` with S = 28 or 32; output logits ``(N, classes)``."""

    def __init__(self, in_channels: int = 1, num_classes: int = 10, input_size: int = 28,
                 hidden: Sequence[int] = (120, 84), activation: str = "relu") -> None:
        super().__init__()
        side = ((input_size - 4) // 2 - 4) // 2
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, 5), _activation(activation), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), _activation(activation), nn.MaxPool2d(2), nn.Flatten())
        widths = [16 * side * side, *hidden]
        layers: list[nn.Module] = []
        for a, b in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(a, b), _activation(activation)]
        layers.append(nn.Linear(widths[-1], num_classes))
        self.classifier = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def mlp(widths: Sequence[int], activation: str = "relu", batchnorm: bool = False) -> nn.Sequential:
    """Fully connected net with layer sizes ``widths`` (input first, output last); flattens its input."""
    if len(widths) < 2:
        raise ValueError(f"an MLP needs at least an input and an output width, got {list(widths)}")
    layers: list[nn.Module] = [nn.Flatten()]
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            if batchnorm:
                layers.append(nn.BatchNorm1d(b))
            layers.append(_activation(activation))
    return nn.Sequential(*layers)


def fcn(in_features: int = 784, num_classes: int = 10, depth: int = 2, width: int = 100,
        activation: str = "relu", batchnorm: bool = False) -> nn.Sequential:
    """Xie's ``depth``-layer FCN: ``depth`` weight layers, ``depth - 1`` hidden layers of ``width``.

    ``depth=1`` is softmax regression (the paper's "underparameterized" 1Layer-FCN, 7,850 params on
    MNIST); ``activation="identity"`` gives the linear network (LNN) of Xie's Table 10.
    """
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    return mlp([in_features] + [width] * (depth - 1) + [num_classes], activation, batchnorm)


class _BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class ResNet18(nn.Module):
    """CIFAR ResNet18 (about 11.2M parameters). Input ``(N, C, 32, 32)``."""

    def __init__(self, in_channels: int = 3, num_classes: int = 10, width: int = 64) -> None:
        super().__init__()
        w = width
        self.stem = nn.Sequential(nn.Conv2d(in_channels, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU())
        blocks, cin = [], w
        for i, cout in enumerate([w, 2 * w, 4 * w, 8 * w]):
            for j in range(2):
                blocks.append(_BasicBlock(cin, cout, 2 if (i > 0 and j == 0) else 1))
                cin = cout
        self.layers = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.layers(self.stem(x)))


def vgg11(in_channels: int = 3, num_classes: int = 10, hidden: int = 4096) -> nn.Sequential:
    """Papyan's VGG11: VGG11-BN convolutions and the classifier 512-hidden-hidden-C, BatchNorm for dropout."""
    cfg = [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]
    layers: list[nn.Module] = []
    cin = in_channels
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(cin, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU()]
            cin = v
    layers += [nn.Flatten(), nn.Linear(512, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
               nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, num_classes)]
    return nn.Sequential(*layers)


def _lenet_small(**kw) -> LeNet:
    return LeNet(hidden=(35, 50), **kw)


def _logistic(in_features: int = 784, num_classes: int = 10) -> nn.Sequential:
    return mlp([in_features, num_classes])


MODELS = {
    "lenet": LeNet,
    "lenet-small": _lenet_small,
    "fcn": fcn,
    "mlp": mlp,
    "logistic": _logistic,
    "resnet18": ResNet18,
    "vgg11": vgg11,
}


def build_model(name: str, seed: int | None = None, **config) -> nn.Module:
    """A freshly initialised model of the zoo (see the module table).

    With ``seed`` the initialisation is drawn after ``torch.manual_seed(seed)`` (the global RNG state is
    restored afterwards), so the same (name, config, seed) gives the same weights.

    Parameters
    ----------
    name : str
        A key of :data:`MODELS`.
    seed : int, optional
        Seeds the initialisation.
    **config
        The model's keyword arguments (``in_channels``, ``num_classes``, ``widths``, ...).

    Returns
    -------
    torch.nn.Module

    Raises
    ------
    dlspectra.errors.UnknownNameError
        An unknown model name (the message lists the valid ones).
    TypeError
        A keyword the model does not take.

    Examples
    --------
    >>> sum(p.numel() for p in build_model("lenet", seed=0).parameters())
    44426
    """
    if name not in MODELS:
        raise UnknownNameError(f"unknown model {name!r}; valid: {sorted(MODELS)}")
    if seed is None:
        return MODELS[name](**config)
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        return MODELS[name](**config)
    finally:
        torch.random.set_rng_state(state)


def num_params(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def model_for_data(name: str, dataset, **config) -> dict:
    """Fill the input/output fields of a model config from a :class:`~dlspectra.data.Dataset`.

    Raises ``ValueError`` on a model/data mismatch (e.g. a LeNet on tabular data).
    """
    shape = dataset.input_shape
    out = dict(config)
    classes = dataset.num_classes if dataset.num_classes is not None else 1
    if name in ("lenet", "lenet-small"):
        if len(shape) != 3:
            raise ValueError(f"model {name!r} needs images (C, H, W); data set {dataset.name!r} has shape {shape}")
        out.setdefault("in_channels", shape[0])
        out.setdefault("input_size", shape[1])
        out.setdefault("num_classes", classes)
    elif name in ("resnet18", "vgg11"):
        if len(shape) != 3:
            raise ValueError(f"model {name!r} needs images (C, H, W); data set {dataset.name!r} has shape {shape}")
        if name == "vgg11" and shape[1] != 32:
            raise ValueError(f"vgg11 needs 32x32 inputs (five max-pools); {dataset.name!r} is {shape[1]}x{shape[2]}")
        out.setdefault("in_channels", shape[0])
        out.setdefault("num_classes", classes)
    elif name in ("fcn", "logistic"):
        feats = 1
        for s in shape:
            feats *= s
        out.setdefault("in_features", feats)
        out.setdefault("num_classes", classes)
    elif name == "mlp":
        widths = list(out.get("widths", []))
        feats = 1
        for s in shape:
            feats *= s
        if widths and widths[0] != feats:
            raise ValueError(f"mlp input width {widths[0]} does not match data set {dataset.name!r} ({feats} features)")
    return out
