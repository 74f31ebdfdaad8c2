"""Training: all optimizers build and step, schedules, cached checkpoints, resume after a kill."""

import pytest
import torch

from dlspectra import train as train_mod
from dlspectra.cache import Cache
from dlspectra.data import DataSpec
from dlspectra.errors import UnknownNameError
from dlspectra.optim import OPTIMIZERS, build_optimizer, lr_factor
from dlspectra.train import TrainConfig, augment_batch, train_model


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_steps(name):
    model = torch.nn.Linear(3, 2)
    opt = build_optimizer(name, model.parameters(), 0.01, weight_decay=5e-4)
    before = model.weight.detach().clone()
    for _ in range(2):
        opt.zero_grad()
        model(torch.ones(4, 3)).pow(2).sum().backward()
        opt.step()
    assert not torch.equal(before, model.weight)
    with pytest.raises(UnknownNameError):
        build_optimizer("sgdd", model.parameters(), 0.1)


def test_schedules():
    assert [lr_factor("step", e, 10) for e in (0, 3, 4, 7, 8, 9)] == pytest.approx([1, 1, 0.1, 0.1, 0.01, 0.01])
    assert lr_factor("linear-decay", 100, 300) == 1.0
    assert lr_factor("linear-decay", 299, 300) == pytest.approx(0.01)
    assert lr_factor("linear-decay", 210, 300) == pytest.approx(1 - 0.99 * 0.5)


def test_augment_batch_shapes_and_determinism():
    x = torch.arange(2 * 3 * 8 * 8, dtype=torch.float32).view(2, 3, 8, 8)
    a = augment_batch(x, torch.Generator().manual_seed(0), pad=2)
    b = augment_batch(x, torch.Generator().manual_seed(0), pad=2)
    assert a.shape == x.shape and torch.equal(a, b)


CFG = TrainConfig(model="fcn", data=DataSpec("gaussian", n=256, seed=0), model_config={"depth": 2, "width": 16},
                  epochs=3, batch_size=64, lr=0.05, test_n=128)


def test_training_is_cached_and_deterministic(tmp_path):
    a = train_model(CFG, "cpu", progress=False, cache=Cache(tmp_path / "a"))
    b = train_model(CFG, "cpu", progress=False, cache=Cache(tmp_path / "b"))
    assert all(torch.equal(p, q) for p, q in zip(a.model.parameters(), b.model.parameters()))
    assert len(a.history) == 3 and "accuracy" in a.metrics["test"]
    again = train_model(CFG, "cpu", progress=False, cache=Cache(tmp_path / "a"))
    assert again.history == a.history
    random = train_model(CFG.replace(epochs=0), "cpu", progress=False, cache=Cache(tmp_path / "a"))
    assert random.history == []


def test_resume_after_kill_gives_the_same_model(tmp_path, monkeypatch):
    reference = train_model(CFG, "cpu", progress=False, cache=Cache(tmp_path / "ref"))
    cache = Cache(tmp_path / "killed")
    real_save = Cache.save

    def save_then_die(self, namespace, config, kind, value):
        out = real_save(self, namespace, config, kind, value)
        if namespace == "checkpoints-partial" and value["epoch"] == 2:
            raise KeyboardInterrupt("killed")
        return out

    monkeypatch.setattr(Cache, "save", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        train_model(CFG, "cpu", progress=False, cache=cache)
    monkeypatch.setattr(Cache, "save", real_save)
    assert cache.load("checkpoints", CFG.key_config(), "torch") is None
    resumed = train_model(CFG, "cpu", progress=False, cache=cache)
    assert all(torch.allclose(p, q) for p, q in zip(reference.model.parameters(), resumed.model.parameters()))
    assert [h["epoch"] for h in resumed.history] == [1, 2, 3]
    assert cache.load("checkpoints-partial", CFG.key_config(), "torch") is None


def test_divergence_is_reported(tmp_path):
    with pytest.raises(FloatingPointError, match="diverged"):
        train_model(CFG.replace(lr=1e30, optimizer="vanilla-sgd"), "cpu", progress=False, cache=Cache(tmp_path))


def test_device_auto_resolves():
    assert train_mod.resolve_device("auto").type in ("cpu", "cuda")
