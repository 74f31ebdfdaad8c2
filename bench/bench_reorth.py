"""Reorthogonalisation in `lanczos_top_k`: one Gram-Schmidt pass with the DGKS test against two passes always.

The full reorthogonalisation reads the whole basis (m x dim float64) twice per pass; once m is in
the hundreds it costs more than a Hessian-vector product of a small model. `lanczos_top_k` runs a
second pass only when the first removed more than 1 - 1/sqrt(2) of the vector's norm
(`dlspectra.spectral.lanczos._reorthogonalise`). This benchmark runs the solver both ways on the
same operator, alternating twice, and prints the best time of each, their ratio, the products,
how many steps needed the second pass, and the largest relative difference of the eigenvalues.

    .venv/bin/python bench/bench_reorth.py [--quick]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import torch
from torch import nn

import dlspectra.spectral.lanczos as lanczos
from dlspectra.curvature import DenseOperator, HessianOperator

from bench_lanczos import rotated_powerlaw


def _two_passes(w: torch.Tensor, basis: torch.Tensor) -> tuple[torch.Tensor, int]:
    """The previous rule: two classical Gram-Schmidt passes at every step."""
    for _ in range(2):
        w = w - basis.T @ (basis @ w)
    return w, 1


def fcn_hessian(width: int = 100, n: int = 512, seed: int = 0) -> HessianOperator:
    """Hessian of a 784-width-10 ReLU MLP (float32, ~80k parameters at width 100) over ``n`` random
    images after 50 SGD steps: the shape of Xie's 2Layer-FCN spectra, where the basis dominates."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, width), nn.ReLU(), nn.Linear(width, 10)).eval()
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(50):
        opt.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
    return HessianOperator(model, nn.CrossEntropyLoss(), [(X, y)], method="double_backward")


def compare(label: str, op, k: int, tol: float, num_steps: int) -> None:
    original = lanczos._reorthogonalise
    best, results = {}, {}
    try:
        for name, rule in [("two passes", _two_passes), ("DGKS", original)] * 2:
            lanczos._reorthogonalise = rule
            t = time.perf_counter()
            with warnings.catch_warnings():  # an unconverged solve is reported below, not warned
                warnings.simplefilter("ignore", UserWarning)
                res = lanczos.lanczos_top_k(op, k, tol=tol, num_steps=num_steps, progress=False)
            dt = time.perf_counter() - t
            best[name] = min(dt, best.get(name, np.inf))
            results[name] = res
    finally:
        lanczos._reorthogonalise = original
    a, b = results["two passes"], results["DGKS"]
    diff = float(np.max(np.abs(a.eigenvalues - b.eigenvalues)) / np.max(np.abs(a.eigenvalues)))
    print(f"{label}, top {k}")
    print(f"  two passes always   {best['two passes']:7.2f} s  {a.num_matvecs} products, converged {a.converged}")
    print(f"  DGKS                {best['DGKS']:7.2f} s  {b.num_matvecs} products, converged {b.converged}, "
          f"{b.info['second_passes']} steps with a second pass")
    print(f"  time two passes / DGKS = {best['two passes'] / best['DGKS']:.2f};  "
          f"max relative eigenvalue difference {diff:.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller K (about a minute)")
    args = ap.parse_args()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}\n")
    k = 100 if args.quick else 200
    A, _ = rotated_powerlaw()
    compare("dense power law + outliers, dim 5000, float64", DenseOperator(A), k, 1e-8, 4 * k + 200)
    op = fcn_hessian()
    compare(f"784-100-10 MLP Hessian, {op.dim:,} parameters, 512 samples, float32", op, k, 1e-5, 900)


if __name__ == "__main__":
    main()
