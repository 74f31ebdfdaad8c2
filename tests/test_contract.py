"""The one data contract and its refusals: every common mistake gives a UsageError naming cause and fix,
at construction, before any training or product (one test per mistake)."""

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from cases import mlp, tabular
from dlspectra.curvature import (
    GDecomposition,
    GGNOperator,
    HessianOperator,
    as_batches,
    batch_hessian_spectra,
)
from dlspectra.errors import UsageError
from dlspectra.spectral import lanczos_top_k


def _xy(n=24, d_in=5, c=3, dtype=torch.float64):
    g = torch.Generator().manual_seed(0)
    return torch.randn(n, d_in, generator=g, dtype=dtype), torch.arange(n) % c


class _Counting(nn.Module):
    """Counts forward passes: a refusal at construction runs at most the one check forward."""

    def __init__(self, inner):
        super().__init__()
        self.inner, self.calls = inner, 0

    def forward(self, x):
        self.calls += 1
        return self.inner(x)


# -- the forms the contract accepts give the same operator --------------------------------------------


def test_a_pair_a_list_a_dataloader_and_a_dataset_give_the_same_operator():
    model = mlp()
    X, y = _xy()
    v = torch.randn(sum(p.numel() for p in model.parameters()), dtype=torch.float64)
    ref = HessianOperator(model, nn.CrossEntropyLoss(), [(X[:10], y[:10]), (X[10:], y[10:])]) @ v
    from dlspectra.data import Dataset

    for data in ((X, y), [(X, y)], DataLoader(TensorDataset(X, y), batch_size=7),
                 (b for b in [(X[:10], y[:10]), (X[10:], y[10:])]), Dataset("toy", "train", X, y, 3)):
        got = HessianOperator(model, nn.CrossEntropyLoss(), data) @ v
        assert torch.allclose(got, ref, rtol=1e-12, atol=1e-14), type(data).__name__
    split = HessianOperator(model, nn.CrossEntropyLoss(), (X, y), batch_size=5)
    assert [len(b[0]) for b in split.batches] == [5, 5, 5, 5, 4]
    assert torch.allclose(split @ v, ref, rtol=1e-12, atol=1e-14)


def test_gdecomposition_takes_the_operators_data():
    model = mlp()
    X, y = _xy()
    a = GDecomposition(model, (X, y), 3)
    b = GDecomposition(model, DataLoader(TensorDataset(X, y), batch_size=5))  # C from the output width
    np.testing.assert_allclose(a.eigenvalues("class"), b.eigenvalues("class"), rtol=1e-12)


def test_numpy_arrays_are_tensors():
    X, y = _xy()
    (Xb, yb), = as_batches((X.numpy(), y.numpy()))
    assert torch.equal(Xb, X) and torch.equal(yb, y)


# -- one test per mistake ---------------------------------------------------------------------------


def test_dropout_in_training_mode_is_refused_by_the_exact_path():
    model = nn.Sequential(nn.Linear(5, 6), nn.Dropout(0.5), nn.Linear(6, 3)).double()  # train mode
    with pytest.raises(UsageError, match=r"eval mode.*Call model.eval\(\)"):
        batch_hessian_spectra(model, nn.CrossEntropyLoss(), _xy())


def test_batchnorm_in_training_mode_is_refused_by_the_exact_path():
    model = nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6), nn.Linear(6, 3)).double()
    with pytest.raises(UsageError, match="eval mode"):
        batch_hessian_spectra(model, nn.CrossEntropyLoss(), _xy())


def test_a_summed_loss_is_refused():
    """CrossEntropyLoss(reduction="sum") would give a Hessian N times too large."""
    with pytest.raises(UsageError, match=r"reduction='sum'.*mean loss.*reduction='mean'"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(reduction="sum"), _xy())
    with pytest.raises(UsageError, match="reduction='none'"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(reduction="none"), _xy())
    # a plain function that sums over the batch: recognised from the loss of the batch's two halves
    summed = lambda out, y: nn.functional.cross_entropy(out, y, reduction="sum")  # noqa: E731
    with pytest.raises(UsageError, match="sums over the batch"):
        HessianOperator(mlp(), summed, _xy())
    HessianOperator(mlp(), nn.functional.cross_entropy, _xy())  # the mean: accepted


def test_a_dataset_of_single_samples_is_refused():
    with pytest.raises(UsageError, match=r"TensorDataset.*DataLoader\(dataset, batch_size="):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), TensorDataset(*_xy()))


def test_a_list_of_single_samples_is_refused():
    X, y = _xy()
    with pytest.raises(UsageError, match="leading sample dimension"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), [(X[0], y[0]), (X[1], y[1])])


def test_items_that_are_not_pairs_are_refused():
    X, y = _xy()
    with pytest.raises(UsageError, match=r"batch 0 is a tuple of length 3, not an \(X, y\) pair"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), [(X, y, y)])
    with pytest.raises(UsageError, match="inputs and targets"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), X)
    with pytest.raises(UsageError, match="empty"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), [])
    with pytest.raises(UsageError, match="24 inputs but 23 targets"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), (X, y[:-1]))


def test_uint8_images_are_refused():
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3)).eval()
    X = torch.randint(0, 256, (8, 1, 4, 4), dtype=torch.uint8)
    with pytest.raises(UsageError, match=r"torch.uint8 \(raw images\?\).*X.float\(\) / 255"):
        HessianOperator(model, nn.CrossEntropyLoss(), (X, torch.arange(8) % 3))


def test_float64_model_with_float32_data_is_refused():
    X, y = _xy(dtype=torch.float32)
    with pytest.raises(UsageError, match=r"model computes in torch.float64 but the inputs of batch 0 are torch.float32"):
        GGNOperator(mlp(), nn.CrossEntropyLoss(), (X, y))


def test_nan_in_the_inputs_is_named_as_such():
    X, y = _xy()
    X[7, 2] = float("nan")
    with pytest.raises(UsageError, match="inputs of batch 0 contain 1 NaN or infinite values \\(first in sample 7\\)"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), (X, y))


def test_labels_out_of_range_are_refused_before_any_product():
    model = _Counting(mlp())
    model.eval()
    X, y = _xy()
    with pytest.raises(UsageError, match=r"class indices in \[0, 3\).*range over \[0, 4\]"):
        HessianOperator(model, nn.CrossEntropyLoss(), [(X[:12], y[:12]), (X[12:], y[12:] + 2)])
    assert model.calls <= 1  # the one check forward, no product
    with pytest.raises(UsageError, match=r"int64 \(y.long\(\)\)"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), (X, y.double()))


def test_targets_that_broadcast_against_the_outputs_are_refused():
    model = mlp(c=1)
    X, _ = _xy()
    with pytest.raises(UsageError, match="broadcast"):
        HessianOperator(model, nn.MSELoss(), (X, torch.randn(len(X), dtype=torch.float64)))


def test_a_forward_pass_that_fails_names_the_shapes():
    X, y = _xy(d_in=4)
    with pytest.raises(UsageError, match=r"forward pass fails on the first batch \(inputs \(24, 4\)"):
        HessianOperator(mlp(), nn.CrossEntropyLoss(), (X, y))


def test_k_must_be_a_whole_number():
    A = torch.eye(10, dtype=torch.float64)
    with pytest.raises(UsageError, match="whole number of eigenpairs"):
        lanczos_top_k(A, 2.5, progress=False)
    with pytest.raises(UsageError, match=r"\[1, dim=10\]"):
        lanczos_top_k(A, 11, progress=False)


def test_a_device_this_machine_lacks_is_refused_before_training(monkeypatch):
    from dlspectra.train import FitConfig, resolve_device, train_module

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    model = _Counting(mlp())
    with pytest.raises(UsageError, match="CUDA is not available here"):
        train_module(model, _xy(), config=FitConfig(epochs=1), device="cuda", progress=False)
    assert model.calls == 0
    with pytest.raises(UsageError, match="unknown device 'cdua'"):
        resolve_device("cdua")


def test_model_in_training_mode_is_refused_by_the_operators():
    model = nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.Linear(4, 3)).double()
    with pytest.raises(UsageError, match="eval mode"):
        HessianOperator(model, nn.CrossEntropyLoss(), tabular())
