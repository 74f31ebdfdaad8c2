"""Model zoo: parameter counts from the catalogs, shapes, seeding, mismatch errors."""

import pytest
import torch

from dlspectra.data import Dataset
from dlspectra.errors import UnknownNameError
from dlspectra.models import build_model, model_for_data, num_params


@pytest.mark.parametrize("name,config,count", [
    ("lenet", {"in_channels": 1, "input_size": 28}, 44_426),            # Xie LeNet, MNIST
    ("lenet", {"in_channels": 3, "input_size": 32}, 62_006),            # CIFAR-10
    ("lenet", {"in_channels": 3, "input_size": 32, "num_classes": 100}, 69_656),
    ("lenet-small", {"in_channels": 3, "input_size": 32}, 19_217),      # Baskerville
    ("fcn", {"depth": 1}, 7_850), ("fcn", {"depth": 2}, 79_510), ("fcn", {"depth": 4}, 99_710),
    ("fcn", {"in_features": 10, "num_classes": 12, "depth": 2}, 2_312),  # Avila (the catalog says 2,412: 10·100+100+100·12+12 = 2,312)
    ("mlp", {"widths": [784, 10, 100, 10]}, 9_960),
    ("mlp", {"widths": [784, 10, 100, 100, 10]}, 20_060),
    ("mlp", {"widths": [13, 100, 100, 50, 1]}, 16_601),                 # Bike
    ("logistic", {}, 7_850),
])
def test_parameter_counts(name, config, count):
    assert num_params(build_model(name, **config)) == count


def test_big_models_shapes():
    r = build_model("resnet18", width=8).eval()
    assert r(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert 11.1e6 < num_params(build_model("resnet18")) < 11.2e6
    v = build_model("vgg11", in_channels=1).eval()
    assert v(torch.zeros(2, 1, 32, 32)).shape == (2, 10)


def test_seeded_init_is_reproducible_and_restores_rng():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = build_model("lenet", seed=5)
    after = torch.rand(1)
    b = build_model("lenet", seed=5)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert torch.equal(before, after)


def test_mismatch_errors():
    tab = Dataset("avila", "train", torch.zeros(4, 10), torch.zeros(4, dtype=torch.long), 12)
    with pytest.raises(ValueError, match="needs images"):
        model_for_data("lenet", tab)
    assert model_for_data("fcn", tab)["in_features"] == 10
    with pytest.raises(ValueError, match="does not match"):
        model_for_data("mlp", tab, widths=[784, 10])
    with pytest.raises(UnknownNameError, match="valid"):
        build_model("transformer")
