"""Top-K eigenvalues: dlspectra's Lanczos against scipy's eigsh (ARPACK), curvlinops and PyHessian.

Two operators:

1. a synthetic "trained-like" spectrum: ``lambda_k = k^-1.1`` (Xie's power law, s ~ 1) plus three
   outliers, dim 5000, rotated by a product of random Householder reflections (dense matrix);
   exact eigenvalues known;
2. the Hessian of a small MLP (784-30-30-10 = 24,790 parameters) on 128 random MNIST-shaped inputs
   (float64), where the reference is a long, tightly converged Lanczos run.

For K in {50, 200} it prints wall time, operator products and the max relative eigenvalue error
of each solver, and the time ratio scipy / dlspectra (all in one run).  curvlinops is timed with
its own HVP operator fed to eigsh (its documented recipe); PyHessian (power iteration with
deflation) only for a few eigenvalues, because it needs ~100 products per eigenvalue.

    python bench/bench_lanczos.py [--quick] [--device cuda] [--model-only]   # --quick: K = 50 only on the model, fewer PyHessian eigs
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import torch
from torch import nn

from dlspectra.curvature import DenseOperator, HessianOperator
from dlspectra.spectral import lanczos_top_k, power_iteration_top_k


def householder_rotate(eigs: np.ndarray, seed: int, reflections: int = 6) -> torch.Tensor:
    """``Q diag(eigs) Q^T`` with Q a product of ``reflections`` seeded random Householder reflections, ``(n, n)`` float64."""
    n = eigs.size
    rng = np.random.default_rng(seed)
    A = np.diag(eigs)
    for _ in range(reflections):
        u = rng.standard_normal(n)
        u /= np.linalg.norm(u)
        Au = A @ u
        A = A - 2 * np.outer(u, Au) - 2 * np.outer(Au, u) + 4 * (u @ Au) * np.outer(u, u)
    return torch.tensor((A + A.T) / 2)


def rotated_powerlaw(n: int = 5000, seed: int = 0) -> tuple[torch.Tensor, np.ndarray]:
    eigs = np.arange(1, n + 1, dtype=float) ** -1.1
    eigs[:3] = [8.0, 5.0, 3.0]  # outliers above a power-law bulk
    return householder_rotate(eigs, seed), np.sort(eigs)[::-1]


def run_ours(op, K: int, tol: float):
    op.num_matvecs = 0
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = lanczos_top_k(op, K, tol=tol, progress=False)
    return res.eigenvalues, time.perf_counter() - t, res.num_matvecs, res.converged


def run_eigsh(linop, K: int, tol: float, count):
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    n0 = count()
    t = time.perf_counter()
    try:
        vals = eigsh(linop, k=K, which="LA", tol=tol, maxiter=20 * K, return_eigenvectors=False)
        ok = True
    except ArpackNoConvergence as err:
        vals, ok = err.eigenvalues, False
    return np.sort(vals)[::-1], time.perf_counter() - t, count() - n0, ok


def report(label: str, vals, t, nmv, ok, ref, t_ours=None):
    k = min(len(vals), len(ref))
    err = float(np.max(np.abs(vals[:k] - ref[:k]) / np.abs(ref[:k]))) if k else float("nan")
    ratio = f"   time / ours = {t / t_ours:6.2f}" if t_ours else ""
    print(f"  {label:<26} {t:8.2f} s  {nmv:6d} products  max rel. err {err:.1e}  converged {ok}{ratio}")


def bench_synthetic(Ks):
    A, exact = rotated_powerlaw()
    op = DenseOperator(A)
    print(f"\nsynthetic power law + 3 outliers, dim {op.dim} (exact eigenvalues known)")
    for K in Ks:
        print(f" K = {K}")
        vals, t0, nmv, ok = run_ours(op, K, 1e-8)
        report("dlspectra lanczos_top_k", vals, t0, nmv, ok, exact)
        lin = op.to_scipy()
        vals, t, nmv, ok = run_eigsh(lin, K, 1e-8, lambda: op.num_matvecs)
        report("scipy eigsh (ARPACK)", vals, t, nmv, ok, exact, t0)


def small_model(seed: int = 0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 30), nn.ReLU(),
                          nn.Linear(30, 10)).double().eval()
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(128, 1, 28, 28, generator=g, dtype=torch.float64)
    y = torch.randint(0, 10, (128,), generator=g)
    # a few SGD steps so the spectrum is not that of random initialisation
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(100):
        opt.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
    return model, [(X, y)]


def bench_model(Ks, pyhessian_k: int, device: str = "cpu"):
    model, batches = small_model()
    model = model.to(device)
    batches = [(X.to(device), y.to(device)) for X, y in batches]
    loss_fn = nn.CrossEntropyLoss()
    op = HessianOperator(model, loss_fn, batches)
    print(f"\nMLP Hessian, {op.dim:,} parameters, 128 samples, float64 on {device} (reference: Lanczos, tol 1e-11)")
    ref = lanczos_top_k(op, max(Ks), tol=1e-11, num_steps=min(op.dim, 8 * max(Ks)), progress=False).eigenvalues
    print(f"  (HVP method chosen by 'auto': {op.method_used}, timings {op.auto_timings})")
    for K in Ks:
        print(f" K = {K}")
        vals, t0, nmv, ok = run_ours(op, K, 1e-6)
        report("dlspectra lanczos_top_k", vals, t0, nmv, ok, ref)
        vals, t, nmv, ok = run_eigsh(op.to_scipy(), K, 1e-6, lambda: op.num_matvecs)
        report("scipy eigsh on our op", vals, t, nmv, ok, ref, t0)
        try:
            from curvlinops import HessianLinearOperator

            counter = {"n": 0}
            H = HessianLinearOperator(model, loss_fn, [p for p in model.parameters()], batches,
                                      check_deterministic=False).to_scipy()
            from scipy.sparse.linalg import LinearOperator

            def mv(x):
                counter["n"] += 1
                return H @ x

            lin = LinearOperator(H.shape, matvec=mv, dtype=np.float64)
            vals, t, nmv, ok = run_eigsh(lin, K, 1e-6, lambda: counter["n"])
            report("curvlinops + eigsh", vals, t, nmv, ok, ref, t0)
        except Exception as err:  # not installed, or an API change
            print(f"  curvlinops skipped: {type(err).__name__}: {str(err)[:100]}")
    print(f" top-{pyhessian_k} by power iteration with deflation (PyHessian defaults: 100 iterations, tol 1e-3)")
    # the same HVP as PyHessian: double backward through one cached gradient graph
    op_cached = HessianOperator(model, loss_fn, batches, method="double_backward", cache_graph=True)
    t = time.perf_counter()
    res = power_iteration_top_k(op_cached, pyhessian_k, progress=False)
    t_pw = time.perf_counter() - t
    report("dlspectra power iteration", res.eigenvalues, t_pw, res.num_matvecs, res.converged, ref)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import sys

            import pyhessian  # noqa: F401  (its __init__ shadows the submodule name with the class)

            ph = sys.modules["pyhessian.hessian"]

            counter = {"n": 0}
            original = ph.hessian_vector_product

            def counted(*a, **kw):
                counter["n"] += 1
                return original(*a, **kw)

            ph.hessian_vector_product = counted
            X, y = batches[0]
            t = time.perf_counter()
            hc = ph.hessian(model, loss_fn, data=(X, y), cuda=str(device).startswith("cuda"))
            vals, _ = hc.eigenvalues(top_n=pyhessian_k)
            tp = time.perf_counter() - t
            ph.hessian_vector_product = original
        vals = np.sort(np.asarray(vals, dtype=float))[::-1]
        report("PyHessian eigenvalues", vals, tp, counter["n"], True, ref, t_pw)
    except Exception as err:
        print(f"  PyHessian skipped: {type(err).__name__}: {str(err)[:100]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--device", default="cpu", help="device of the model operator (the dense operator stays on the CPU)")
    ap.add_argument("--model-only", action="store_true", help="skip the dense synthetic operator (CPU only)")
    args = ap.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, device {args.device}")
    if not args.model_only:
        bench_synthetic([50, 200])
    bench_model([50] if args.quick else [50, 200], 3 if args.quick else 10, args.device)


if __name__ == "__main__":
    main()
