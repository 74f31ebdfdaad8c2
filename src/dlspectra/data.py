"""Data sets of the three papers, loaded offline, verified by checksum, subset deterministically.

Every data set comes back as a :class:`Dataset`: ``X`` (float32 tensor, images ``(N, C, H, W)`` or
tabular ``(N, F)``), ``y`` (int64 class labels ``(N,)``, or float32 targets for regression) and
its metadata. A :class:`DataSpec` (a plain, hashable config: name, split, subset size, seed,
class balance, label noise, random labels, normalisation) goes into cache keys, so a trained model
is tied to the exact data it saw.

Files live under ``$DLSPECTRA_DATA`` (or a ``shared/data`` folder beside the checkout; its README describes
the layout). Each file is checked against the SHA-256 in ``data_checksums.sha256`` shipped with
the package; a missing or corrupt file raises :class:`~dlspectra.errors.DataMissingError` /
:class:`~dlspectra.errors.DataCorruptError` naming the file, the expected checksum and the folder
to put it in. Nothing is downloaded unless ``DLSPECTRA_ALLOW_DOWNLOAD=1`` (never in tests).
MNIST and Fashion-MNIST are decompressed into the cache (the data folder is read-only) and read
through torchvision's dataset classes.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import torch

from .cache import atomic_write_bytes, cache_root, repo_root
from .errors import DataCorruptError, DataMissingError, UnknownNameError

# ----------------------------------------------------------------------------- files and checksums


def data_root() -> Path:
    """The data folder: ``$DLSPECTRA_DATA``, else ``<repo>/../shared/data`` if it exists."""
    env = os.environ.get("DLSPECTRA_DATA")
    if env:
        return Path(env).expanduser()
    repo = repo_root()
    if repo is not None and (repo.parent / "shared" / "data").is_dir():
        return repo.parent / "shared" / "data"
    raise DataMissingError(
        "no data folder: set DLSPECTRA_DATA to the folder holding MNIST/, FashionMNIST/, CIFAR10/, "
        "avila/, bike/ and pdb/ (in this project: ../shared/data)")


@lru_cache(maxsize=1)
def checksums() -> dict[str, str]:
    """Expected SHA-256 of every known data file, keyed by its path relative to the data root."""
    text = resources.files("dlspectra").joinpath("data_checksums.sha256").read_text()
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.strip().removeprefix("./")] = digest
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_VERIFIED: dict[tuple[str, float, int], bool] = {}


def require_file(relpath: str, root: Path | None = None) -> Path:
    """Path of data file ``relpath`` (relative to the data root), checked against its SHA-256.

    Raises :class:`DataMissingError` (absent) or :class:`DataCorruptError` (wrong checksum), each
    naming the file, the expected checksum and where the file belongs.
    """
    root = Path(root) if root is not None else data_root()
    path = root / relpath
    expected = checksums().get(relpath)
    if not path.is_file():
        raise DataMissingError(
            f"data file missing: {path}\n  expected SHA-256: {expected or 'unknown'}\n"
            f"  put the file at {path} (DLSPECTRA_DATA={root}); see the data README for its source")
    if expected is None:
        return path
    stat = path.stat()
    memo = (str(path), stat.st_mtime, stat.st_size)
    if memo not in _VERIFIED:
        actual = sha256_file(path)
        if actual != expected:
            raise DataCorruptError(
                f"data file corrupt: {path}\n  expected SHA-256: {expected}\n  actual SHA-256:   {actual}\n"
                f"  replace it with a good copy at {path}")
        _VERIFIED[memo] = True
    return path


def _downloads_allowed() -> bool:
    return os.environ.get("DLSPECTRA_ALLOW_DOWNLOAD", "") == "1"


# ----------------------------------------------------------------------------- the container


@dataclass
class Dataset:
    """An in-memory data set; also one of the forms of the curvature data contract (its ``(X, y)``).

    Attributes
    ----------
    name, split : str
        Its name and split.
    X : torch.Tensor
        float32 ``(N, ...)``: images ``(N, C, H, W)`` or tabular ``(N, F)``.
    y : torch.Tensor
        int64 class labels ``(N,)``, or float32 targets for regression.
    num_classes : int or None
        ``None`` for regression.
    info : dict
        Provenance (source, the spec, realised label noise, ...).

    Examples
    --------
    >>> import torch
    >>> ds = Dataset("toy", "train", torch.randn(10, 3), torch.arange(10) % 2, 2)
    >>> len(ds), ds.input_shape, len(ds.batches(4))
    (10, (3,), 3)
    """

    name: str
    split: str
    X: torch.Tensor
    y: torch.Tensor
    num_classes: int | None  # None for regression
    info: dict = dataclasses.field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.X.shape[0])

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.X.shape[1:])

    def batches(self, batch_size: int, device: str | torch.device = "cpu") -> list[tuple[torch.Tensor, torch.Tensor]]:
        """The data in consecutive batches (no shuffling), moved to ``device``."""
        return [(self.X[i:i + batch_size].to(device), self.y[i:i + batch_size].to(device))
                for i in range(0, len(self), batch_size)]


@dataclass(frozen=True)
class DataSpec:
    """Which data: a data set, a split and how to subset / corrupt it. Part of every cache key.

    Attributes
    ----------
    name : str
        One of :data:`DATASETS`.
    split : str
        ``"train"`` or ``"test"``.
    n : int or None
        Subset size (None = all).
    seed : int
        Seeds the subset, the label noise and the label permutation.
    balanced : bool
        Equal counts per class (as far as the classes allow).
    label_noise : float
        Symmetric noise rate: each label moved with this probability to a uniformly chosen *other*
        class (Xie Fig. 7, following Han et al. 2018).
    random_labels : bool
        The label vector is permuted (Xie Fig. 21).
    normalize : str
        ``"channel"`` (zero mean, unit variance per channel with training-split statistics, Xie App.
        B), ``"half"`` ((x-0.5)/0.5, Baskerville et al.'s MNIST code), ``"imagenet"`` (ImageNet
        mean/std, their CIFAR code) or ``"none"``.

    Examples
    --------
    >>> DataSpec("mnist", n=1000).balanced
    True
    """

    name: str
    split: str = "train"
    n: int | None = None
    seed: int = 0
    balanced: bool = True
    label_noise: float = 0.0
    random_labels: bool = False
    normalize: str = "channel"


# ----------------------------------------------------------------------------- loaders (raw, full split)

_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# MD5 of the decompressed idx files (torchvision's published values).
_MNIST_MD5 = {
    "MNIST": {"train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
              "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
              "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
              "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637"},
    "FashionMNIST": {"train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
                     "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
                     "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
                     "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965"},
}


def _mnist_like(folder: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Images uint8 (N, 28, 28) and labels int64 through torchvision, from the gzip'ed copies."""
    import torchvision

    target = cache_root() / "datasets"
    raw = target / folder / "raw"
    for stem in _MNIST_FILES["train"] + _MNIST_FILES["test"]:  # torchvision checks all four
        out = raw / stem
        if out.exists() and hashlib.md5(out.read_bytes()).hexdigest() == _MNIST_MD5[folder][stem]:
            continue
        gz = require_file(f"{folder}/raw/{stem}.gz")
        content = gzip.decompress(gz.read_bytes())
        if hashlib.md5(content).hexdigest() != _MNIST_MD5[folder][stem]:
            raise DataCorruptError(f"{gz}: decompressed content does not have the official MD5 "
                                   f"{_MNIST_MD5[folder][stem]}; replace the file")
        atomic_write_bytes(out, content)
    cls = {"MNIST": torchvision.datasets.MNIST, "FashionMNIST": torchvision.datasets.FashionMNIST}[folder]
    ds = cls(str(target), train=(split == "train"), download=False)
    return ds.data.numpy(), ds.targets.numpy().astype(np.int64)


def _cifar(name: str, split: str) -> tuple[np.ndarray, np.ndarray, dict]:
    """Images uint8 (N, 32, 32, 3) and labels; the full set when present, else the offline subset."""
    import torchvision

    root = data_root()
    cls, folder, sub = {"cifar10": (torchvision.datasets.CIFAR10, "CIFAR10", "cifar-10-batches-py"),
                        "cifar100": (torchvision.datasets.CIFAR100, "CIFAR100", "cifar-100-python")}[name]
    for cand in (root / folder, root):
        if (cand / sub).is_dir():
            ds = cls(str(cand), train=(split == "train"), download=False)
            return ds.data, np.asarray(ds.targets, dtype=np.int64), {"source": "full"}
    if name == "cifar10" and (root / "CIFAR10" / "cifar10_subset_convnetjs.npz").exists():
        path = require_file("CIFAR10/cifar10_subset_convnetjs.npz")
        with np.load(path) as z:
            x, y = z[f"x_{split}"], z[f"y_{split}"].astype(np.int64)
        return x, y, {"source": "subset (first 4,000 train / 1,000 test images, data README)"}
    if _downloads_allowed():
        dest = cache_root() / "datasets" / folder
        ds = cls(str(dest), train=(split == "train"), download=True)
        return ds.data, np.asarray(ds.targets, dtype=np.int64), {"source": "downloaded"}
    raise DataMissingError(
        f"{folder} is not available offline: expected the torchvision folder {root / folder / sub} "
        f"(files data_batch_1..5 and test_batch, or train/test for CIFAR-100). Put it there, or set "
        f"DLSPECTRA_ALLOW_DOWNLOAD=1 on a machine with network access.")


_AVILA_CLASSES = "ABCDEFGHIWXY"


def _avila(split: str) -> tuple[np.ndarray, np.ndarray]:
    path = require_file(f"avila/avila-{'tr' if split == 'train' else 'ts'}.txt")
    rows = [line.strip().split(",") for line in path.read_text().splitlines() if line.strip()]
    X = np.array([[float(v) for v in r[:10]] for r in rows], dtype=np.float32)
    y = np.array([_AVILA_CLASSES.index(r[10]) for r in rows], dtype=np.int64)
    return X, y


_BIKE_FEATURES = ["dteday", "season", "yr", "mnth", "hr", "holiday", "weekday", "workingday",
                  "weathersit", "temp", "atemp", "hum", "windspeed"]


def _bike(split: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray, dict]:
    """UCI Bike Sharing (hourly) with Baskerville et al.'s preprocessing (App. B.3).

    13 features, not standardised; ``dteday`` as the day of the month (as the authors' code does);
    target ``cnt`` divided by the *training* mean; one seeded 80/20 permutation split (the
    authors' split is unseeded and leaks: we fix both).
    """
    import csv

    path = require_file("bike/hour.csv")
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    feats = []
    for r in rows:
        day = int(r["dteday"].split("-")[2])
        feats.append([day] + [float(r[k]) for k in _BIKE_FEATURES[1:]])
    X = np.asarray(feats, dtype=np.float32)
    cnt = np.asarray([float(r["cnt"]) for r in rows], dtype=np.float32)
    perm = np.random.default_rng(seed).permutation(len(rows))
    n_train = int(0.8 * len(rows))
    tr, te = perm[:n_train], perm[n_train:]
    mean = cnt[tr].mean()
    idx = tr if split == "train" else te
    return X[idx], cnt[idx] / mean, {"target_scale": float(mean)}


# ----------------------------------------------------------------------------- registry

DATASETS = {
    "mnist": "MNIST, 60k/10k, 1x28x28, 10 classes",
    "fashion-mnist": "Fashion-MNIST, 60k/10k, 1x28x28, 10 classes",
    "mnist-32": "MNIST zero-padded by 2 pixels to 1x32x32 (for VGG11's five max-pools; Papyan App. D), 60k/10k",
    "fashion-mnist-32": "Fashion-MNIST zero-padded by 2 pixels to 1x32x32 (as mnist-32), 60k/10k",
    "cifar10": "CIFAR-10 (offline: 4,000/1,000 subset), 3x32x32, 10 classes",
    "cifar100": "CIFAR-100, 3x32x32, 100 classes (not available offline)",
    "avila": "UCI Avila, 10,430/10,437, 10 features, 12 classes",
    "bike": "UCI Bike Sharing hourly, 13 features, regression (Baskerville preprocessing)",
    "gaussian": "x ~ N(0, I) of MNIST shape with uniform random labels (Xie Fig. 21b), 60k/10k",
}

_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


@lru_cache(maxsize=16)
def _load_full(name: str, split: str, normalize: str) -> Dataset:
    if name not in DATASETS:
        raise UnknownNameError(f"unknown data set {name!r}; valid: {sorted(DATASETS)}")
    if split not in ("train", "test"):
        raise UnknownNameError(f"unknown split {split!r}; valid: ['test', 'train']")
    info: dict = {}
    if name in ("mnist", "fashion-mnist", "mnist-32", "fashion-mnist-32", "cifar10", "cifar100"):
        if name in ("mnist", "fashion-mnist", "mnist-32", "fashion-mnist-32"):
            folder = "MNIST" if name.startswith("mnist") else "FashionMNIST"
            x, y = _mnist_like(folder, split)
            xtr = x if split == "train" else _mnist_like(folder, "train")[0]
            X = torch.from_numpy(x).float().div_(255).unsqueeze(1)
            Xtr = torch.from_numpy(xtr).float().div_(255).unsqueeze(1)
            if name.endswith("-32"):  # zero (background) pixels around the digit, before normalising
                X, Xtr = torch.nn.functional.pad(X, (2, 2, 2, 2)), torch.nn.functional.pad(Xtr, (2, 2, 2, 2))
            num_classes = 10
        else:
            x, y, info = _cifar(name, split)
            xtr = x if split == "train" else _cifar(name, "train")[0]
            X = torch.from_numpy(x).float().div_(255).permute(0, 3, 1, 2).contiguous()
            Xtr = torch.from_numpy(xtr).float().div_(255).permute(0, 3, 1, 2)
            num_classes = 10 if name == "cifar10" else 100
        if normalize == "channel":
            mean = Xtr.mean(dim=(0, 2, 3), keepdim=True)
            std = Xtr.std(dim=(0, 2, 3), keepdim=True)
            X = (X - mean) / std
        elif normalize == "half":
            X = (X - 0.5) / 0.5
        elif normalize == "imagenet":
            c = X.shape[1]
            mean = torch.tensor(_IMAGENET_MEAN[:c]).view(1, c, 1, 1)
            std = torch.tensor(_IMAGENET_STD[:c]).view(1, c, 1, 1)
            X = (X - mean) / std
        elif normalize != "none":
            raise UnknownNameError(f"unknown normalisation {normalize!r}; valid: channel, half, imagenet, none")
        return Dataset(name, split, X.contiguous(), torch.from_numpy(y), num_classes, info)
    if name == "avila":
        x, y = _avila(split)
        X = torch.from_numpy(x)
        if normalize == "channel":  # z-score with training statistics (the UCI file is already close)
            xtr = torch.from_numpy(_avila("train")[0])
            X = (X - xtr.mean(0)) / xtr.std(0)
        return Dataset(name, split, X, torch.from_numpy(y), 12, info)
    if name == "bike":
        x, y, info = _bike(split)
        return Dataset(name, split, torch.from_numpy(x), torch.from_numpy(y), None, info)
    # gaussian: fixed seeds per split so that the "data set" is a fixed object
    n = 60000 if split == "train" else 10000
    g = torch.Generator().manual_seed(12345 if split == "train" else 54321)
    X = torch.randn(n, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    return Dataset(name, split, X, y, 10, {"source": "synthetic N(0, I)"})


def class_balanced_indices(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` indices with class counts as equal as the classes allow, in random order."""
    classes = np.unique(y)
    pools = {c: rng.permutation(np.flatnonzero(y == c)) for c in classes}
    take = {c: 0 for c in classes}
    remaining = n
    open_classes = list(classes)
    while remaining > 0 and open_classes:
        share = max(1, remaining // len(open_classes))
        for c in list(open_classes):
            k = min(share, len(pools[c]) - take[c], remaining)
            take[c] += k
            remaining -= k
            if take[c] == len(pools[c]):
                open_classes.remove(c)
            if remaining == 0:
                break
    idx = np.concatenate([pools[c][:take[c]] for c in classes])
    return rng.permutation(idx)


def symmetric_label_noise(y: torch.Tensor, rate: float, num_classes: int, seed: int) -> torch.Tensor:
    """Each label moved with probability ``rate`` to a uniformly chosen *different* class."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"label noise rate must lie in [0, 1], got {rate}")
    rng = np.random.default_rng(seed + 7919)
    yn = y.numpy().copy()
    flip = rng.random(len(yn)) < rate
    shift = rng.integers(1, num_classes, size=len(yn))
    yn[flip] = (yn[flip] + shift[flip]) % num_classes
    return torch.from_numpy(yn)


def load(spec: DataSpec | str, **overrides) -> Dataset:
    """The data described by ``spec`` (a :class:`DataSpec`, or a data-set name plus fields).

    Subsets are drawn with ``numpy.random.default_rng(spec.seed)``: the same spec always gives the
    same samples, in the same order. Files come from ``$DLSPECTRA_DATA``, checked by SHA-256.

    Parameters
    ----------
    spec : DataSpec or str
        The data, or a name of :data:`DATASETS`.
    **overrides
        Fields of :class:`DataSpec` that replace ``spec``'s.

    Returns
    -------
    Dataset

    Raises
    ------
    dlspectra.errors.UnknownNameError
        An unknown data set, split or normalisation.
    dlspectra.errors.DataMissingError, dlspectra.errors.DataCorruptError
        A file is absent or its checksum is wrong (the message names the file and where it belongs).
    ValueError
        ``n`` larger than the split, or label noise on a regression set.

    Examples
    --------
    >>> ds = load("gaussian", n=20)
    >>> len(ds), ds.num_classes
    (20, 10)
    """
    if isinstance(spec, str):
        spec = DataSpec(spec, **overrides)
    elif overrides:
        spec = dataclasses.replace(spec, **overrides)
    full = _load_full(spec.name, spec.split, spec.normalize)
    X, y = full.X, full.y
    info = dict(full.info, spec=dataclasses.asdict(spec))
    if spec.n is not None:
        if spec.n > len(full):
            if _is_subset(full):  # the offline copy is a subset: the full set is what is missing
                raise DataMissingError(
                    f"{spec.name}/{spec.split}: n={spec.n:,} samples asked, but only the offline {full.info['source']} "
                    f"holds {len(full):,}. Put the full set in torchvision's layout under {data_root()} "
                    f"(see the data README), set DLSPECTRA_ALLOW_DOWNLOAD=1 where a network exists, or ask "
                    f"for n <= {len(full):,}.")
            raise ValueError(f"{spec.name}/{spec.split} has {len(full)} samples; asked for n={spec.n}")
        rng = np.random.default_rng(spec.seed)
        if spec.balanced and full.num_classes is not None:
            idx = class_balanced_indices(y.numpy(), spec.n, rng)
        else:
            idx = rng.permutation(len(full))[:spec.n]
        idx = torch.from_numpy(np.ascontiguousarray(idx))
        X, y = X[idx], y[idx]
    if spec.label_noise > 0:
        if full.num_classes is None:
            raise ValueError("label noise needs a classification data set")
        y = symmetric_label_noise(y, spec.label_noise, full.num_classes, spec.seed)
        info["label_noise_realised"] = float((y != (full.y if spec.n is None else full.y[idx])).float().mean())
    if spec.random_labels:
        perm = np.random.default_rng(spec.seed + 104729).permutation(len(y))
        y = y[torch.from_numpy(perm)]
    return Dataset(spec.name, spec.split, X, y, full.num_classes, info)


def _is_subset(full: Dataset) -> bool:
    """Whether a loaded split is an offline subset of the published one (its loader says so in ``info``)."""
    return str(full.info.get("source", "")).startswith("subset")


def _on_disk(name: str, split: str) -> Dataset | None:
    """The whole ``split`` of ``name`` as this machine holds it, or None when it is missing or corrupt."""
    try:
        return _load_full(name, split, "channel")
    except (DataMissingError, DataCorruptError):
        return None


def available(name: str, n: int | None = None, split: str = "train") -> bool:
    """Whether data set ``name`` can be loaded on this machine (files present and valid) and, with
    ``n``, whether its ``split`` holds at least ``n`` samples (False where only an offline subset,
    such as CIFAR-10's 4,000 training images, is on disk and ``n`` asks for more).

    Examples
    --------
    >>> available("gaussian"), available("gaussian", n=10**9)
    (True, False)
    """
    full = _on_disk(name, split)
    return full is not None and (n is None or int(n) <= len(full))


def complete(name: str, split: str = "train") -> bool:
    """Whether the whole published ``split`` of ``name`` is on this machine (False where only an
    offline subset is, as CIFAR-10's 4,000/1,000 images, or nothing; see :func:`available`)."""
    full = _on_disk(name, split)
    return full is not None and not _is_subset(full)


def size_note(name: str, n: int | None, split: str = "train") -> str:
    """How many samples a run of ``n`` (None: the whole split) takes of ``name`` here, in words, saying
    when the split on disk is an offline subset, e.g. "all 4,000 images on this machine, an offline
    subset (the full set is not here)". For a page's setup table.

    Examples
    --------
    >>> size_note("gaussian", None), size_note("gaussian", 512)
    ('all 60,000 images', '512 images')
    """
    unit = "images" if name in ("mnist", "fashion-mnist", "mnist-32", "fashion-mnist-32", "cifar10", "cifar100",
                                "gaussian") else "samples"
    full = _on_disk(name, split)
    if full is None:
        return f"{'all' if n is None else f'{n:,}'} {unit} (not on this machine)"
    have = len(full)
    if not _is_subset(full):
        return f"all {have:,} {unit}" if n is None else f"{n:,} {unit}"
    if n is None or n >= have:
        return f"all {have:,} {unit} on this machine, an offline subset (the full set is not here)"
    return f"{n:,} {unit} of the offline subset of {have:,} (the full set is not on this machine)"


def verify_all(root: Path | None = None) -> list[str]:
    """Check every file of the manifest under the data root; returns one message per problem (empty: all good)."""
    try:
        root = Path(root) if root is not None else data_root()
    except DataMissingError as exc:
        return [str(exc)]
    if not root.is_dir():
        first = next(iter(checksums()))
        return [f"data folder {root} does not exist (DLSPECTRA_DATA); first missing file: {root / first} "
                f"(SHA-256 {checksums()[first]})"]
    problems = []
    for rel in checksums():
        try:
            require_file(rel, root)
        except (DataMissingError, DataCorruptError) as exc:
            problems.append(str(exc))
    return problems
