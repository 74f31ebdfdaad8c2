"""Memory-bounded top-K: thick-restart Lanczos against the unrestarted solver and scipy's eigsh.

For each operator and K it runs, on the same operator and at the same relative residual
tolerance,

* ``lanczos_top_k`` (full reorthogonalisation, the basis grows with the steps),
* ``lanczos_restarted`` with ``max_basis`` = 3K, 2K and 1.5K vectors,
* ``scipy.sparse.linalg.eigsh`` (ARPACK, implicitly restarted) with ``ncv`` = 3K and ``maxiter``,

and prints operator products, the products ratio to the unrestarted solver, the basis size (peak
stored vectors), the measured peak extra memory of the solve, wall time, the max relative
eigenvalue error against a reference, and the max true residual ``||A y - theta y|| / |theta_1|``
of the returned vectors (computed afterwards, not counted), so "equal accuracy" can be checked.

Memory: on CPU each solve runs in a forked child that does one product (so the operator's pages
are resident), resets its peak RSS (``/proc/self/clear_refs``) and reports ``VmHWM - VmRSS``
before the solve (every allocation: torch, numpy, ARPACK); on CUDA it is
``torch.cuda.max_memory_allocated`` above the allocation before the solve (torch only; eigsh runs on
the CPU there and is skipped).

Operators: the rotated power-law matrix of ``bench_lanczos.py`` (``k^-1.1`` + 3 outliers; exact
eigenvalues), a rotated uniform spectrum on [0, 1] (evenly spaced eigenvalues: the slowest case
for Krylov methods, where the unrestarted basis grows far beyond 3K), and the Hessian of its 784-30-30-10 MLP (24,790 parameters, float64; reference:
unrestarted Lanczos at tol 1e-11).  On a GPU (``--device cuda``) a third: a wider MLP Hessian
(``--wide``, ~1.1M parameters, float32) where the basis memory dominates.

    python bench/bench_restart.py [--quick] [--device cpu|cuda] [--wide] [--cases powerlaw,uniform,mlp]
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lanczos import householder_rotate, rotated_powerlaw, small_model  # noqa: E402

from dlspectra.curvature import DenseOperator, HessianOperator  # noqa: E402
from dlspectra.spectral import lanczos_restarted, lanczos_top_k  # noqa: E402


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _solve(kind: str, op, K: int, tol: float, basis: int | None):
    """Run one solver; returns (eigenvalues desc, vectors (dim, K) float64 torch, products, converged, stored)."""
    op.num_matvecs = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "unrestarted":
            res = lanczos_top_k(op, K, tol=tol, num_steps=min(op.dim, 40 * K + 400), return_vectors=True,
                                progress=False)
            return res.eigenvalues, res.eigenvectors, res.num_matvecs, res.converged, res.info["num_steps"]
        if kind == "restarted":
            res = lanczos_restarted(op, K, max_basis=basis, tol=tol, max_matvecs=40 * K + 400,
                                    return_vectors=True, progress=False)
            return res.eigenvalues, res.eigenvectors, res.num_matvecs, res.converged, res.info["peak_basis"]
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        lin = op.to_scipy()
        try:
            vals, vecs = eigsh(lin, k=K, which="LA", tol=tol, ncv=basis, maxiter=40 * K + 400)
            ok = True
        except ArpackNoConvergence as err:
            vals, vecs, ok = err.eigenvalues, err.eigenvectors, False
        order = np.argsort(vals)[::-1]
        return vals[order], torch.from_numpy(np.ascontiguousarray(vecs[:, order])), op.num_matvecs, ok, basis


def _measure(kind: str, op, K: int, tol: float, basis: int | None, device: torch.device) -> dict:
    """Solve and measure; forked child on CPU (peak RSS), in-process on CUDA (allocator peak)."""
    def run() -> dict:
        before = _rss_kb("VmRSS") if device.type == "cpu" else torch.cuda.memory_allocated(device)
        t = time.perf_counter()
        vals, vecs, nmv, ok, stored = _solve(kind, op, K, tol, basis)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        dt = time.perf_counter() - t
        peak = ((_rss_kb("VmHWM") - before) * 1024 if device.type == "cpu"
                else torch.cuda.max_memory_allocated(device) - before)
        Y = vecs.to(device=op.device, dtype=op.dtype)
        AY = op.matmat(Y).to(torch.float64)
        th = torch.as_tensor(np.asarray(vals), dtype=torch.float64, device=AY.device)
        true = torch.linalg.vector_norm(AY - Y.to(torch.float64) * th, dim=0)
        return {"vals": np.asarray(vals, dtype=np.float64), "nmv": int(nmv), "ok": bool(ok), "stored": stored,
                "time": dt, "peak": float(peak), "true_res": float(true.max()) / float(np.abs(vals).max())}

    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        return run()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: reset the peak RSS, solve, send the result
        os.close(r)
        code = 0
        try:
            # fork shares the parent's pages without mapping all of them: one product first, so
            # that the operator's own memory (matrix, model, data) is resident before the reset
            op.matvec(torch.ones(op.dim, dtype=torch.float64))
            Path("/proc/self/clear_refs").write_text("5")
            out = pickle.dumps(run())
        except BaseException as err:  # report, never fall through into the parent's code
            out, code = pickle.dumps({"error": repr(err)}), 1
        with os.fdopen(w, "wb") as f:
            f.write(out)
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    res = pickle.loads(data)
    if "error" in res:
        raise RuntimeError(f"{kind} failed in the child: {res['error']}")
    return res


def bench(name: str, op, ref: np.ndarray, Ks, tol: float, device: torch.device, eigsh: bool) -> list[dict]:
    print(f"\n{name}: dim {op.dim:,}, {op.dtype}, tol {tol:g} (relative residual)")
    rows = []
    for K in Ks:
        runs = [("unrestarted", None), ("restarted", 3 * K), ("restarted", 2 * K), ("restarted", (3 * K) // 2)]
        if eigsh and device.type == "cpu":
            runs.append(("eigsh", min(op.dim, 3 * K)))
        base = None
        print(f" K = {K}")
        for kind, basis in runs:
            m = _measure(kind, op, K, tol, basis, device)
            err = float(np.max(np.abs(m["vals"][:K] - ref[:K]) / np.abs(ref[:K])))
            if kind == "unrestarted":
                base = m["nmv"]
            label = kind if basis is None else f"{kind} basis {basis}"
            print(f"  {label:<24} {m['nmv']:6d} products ({m['nmv'] / base:5.2f}x)  stored {m['stored']:5d} vectors"
                  f"  peak +{m['peak'] / 2**20:8.1f} MiB  {m['time']:7.2f} s  max rel. err {err:.1e}"
                  f"  true res {m['true_res']:.1e}  converged {m['ok']}")
            rows.append({"case": name, "K": K, "solver": label, "ratio": m["nmv"] / base, "err": err, **m})
    return rows


def rotated_uniform(n: int = 3000, seed: int = 1) -> tuple[torch.Tensor, np.ndarray]:
    """``Q diag(linspace(1, 0, n)) Q^T`` (Q: 6 random Householder reflections) and its eigenvalues."""
    eigs = np.linspace(1.0, 0.0, n)
    return householder_rotate(eigs, seed), eigs


def wide_model(device: torch.device):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 256), nn.ReLU(),
                          nn.Linear(256, 10)).to(device).eval()
    g = torch.Generator().manual_seed(0)
    X = torch.randn(512, 1, 28, 28, generator=g).to(device)
    y = torch.randint(0, 10, (512,), generator=g).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(100):
        opt.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
    return model, [(X, y)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="K = 20, 50 only (default 20, 50, 200)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--wide", action="store_true", help="also the ~1.1M-parameter MLP (float32; GPU advised)")
    ap.add_argument("--cases", default="powerlaw,uniform,mlp",
                    help="comma-separated subset of powerlaw, uniform, mlp (default all three)")
    args = ap.parse_args()
    cases = set(args.cases.split(","))
    if cases - {"powerlaw", "uniform", "mlp"}:
        ap.error(f"unknown case(s) {sorted(cases - {'powerlaw', 'uniform', 'mlp'})}")
    device = torch.device(args.device)
    torch.set_num_threads(int(os.environ.get("DLSPECTRA_THREADS", "1")))
    Ks = [20, 50] if args.quick else [20, 50, 200]
    print(f"torch {torch.__version__}, device {device}, threads {torch.get_num_threads()}")
    if "powerlaw" in cases:
        A, exact = rotated_powerlaw(n=3000)
        bench("power law k^-1.1 + 3 outliers", DenseOperator(A.to(device)), exact, Ks, 1e-8, device, True)
    if "uniform" in cases:  # the hard case for Krylov methods: evenly spaced eigenvalues
        A, exact = rotated_uniform(n=3000)
        bench("uniform spectrum on [0, 1]", DenseOperator(A.to(device)), exact, [K for K in Ks if K <= 50],
              1e-8, device, True)
    if "mlp" not in cases:
        return
    model, batches = small_model()
    model = model.to(device)
    batches = [(X.to(device), y.to(device)) for X, y in batches]
    op = HessianOperator(model, nn.CrossEntropyLoss(), batches, method="double_backward")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lanczos_top_k(op, max(Ks), tol=1e-11, num_steps=min(op.dim, 10 * max(Ks)), progress=False).eigenvalues
    bench("MLP 784-30-30-10 Hessian", op, ref, Ks, 1e-6, device, True)
    if args.wide:
        model, batches = wide_model(device)
        op = HessianOperator(model, nn.CrossEntropyLoss(), batches, method="double_backward")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = lanczos_top_k(op, max(Ks), tol=1e-5, num_steps=10 * max(Ks), progress=False).eigenvalues
        bench("MLP 784-1024-256-10 Hessian", op, ref, Ks, 1e-5, device, args.device == "cpu")


if __name__ == "__main__":
    main()
