"""Synthetic matrices of the schematic and verification figures: the class / cross-class pattern
generator (Fig. 1) and the spiked Wishart / Pareto matrices (Fig. 15)."""

from __future__ import annotations

import numpy as np


def pattern_vectors(C: int, D: int, N: int, *, norms=(10.0, 5.0, 2.0), noise: float = 1.0, seed: int = 0) -> dict:
    """Vectors ``v_{i,c,c'} = m_G + m_c + m_{c,c'} + z`` (``N`` per pair ``(c, c')``), ``z ~ N(0, noise^2/D I)``.

    Class means are centred (``sum_c m_c = 0``: C-1 directions), cross-class deviations centred per
    class (``sum_{c'} m_{c,c'} = 0``: C(C-1) directions); norms ``(|m_G|, |m_c|, |m_{c,c'}|)``.
    Returns the ``(C^2 N, D)`` matrix ``V`` and the mean components.
    """
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((D, 1 + C + C * C)))
    mG = norms[0] * Q[:, 0]
    mc = Q[:, 1:1 + C] - Q[:, 1:1 + C].mean(1, keepdims=True)
    mc = norms[1] * mc / np.linalg.norm(mc, axis=0)
    mcc = Q[:, 1 + C:].reshape(D, C, C)
    mcc = mcc - mcc.mean(2, keepdims=True)
    mcc = norms[2] * mcc / np.linalg.norm(mcc, axis=0)
    V = (mG[None, None, None] + mc.T[:, None, None] + np.transpose(mcc, (1, 2, 0))[:, :, None]
         + noise / np.sqrt(D) * rng.standard_normal((C, C, N, D)))
    return {"V": V.reshape(-1, D), "mG": mG, "mc": mc, "mcc": mcc.reshape(D, C * C)}


def second_moment(V: np.ndarray) -> np.ndarray:
    """``Ave_j v_j v_j^T`` of the rows of ``V``."""
    return V.T @ V / len(V)


def project_out_np(A: np.ndarray, vectors: np.ndarray, rtol: float = 1e-8) -> np.ndarray:
    """``(I - Q Q^T) A (I - Q Q^T)``, ``Q`` an orthonormal basis of the columns of ``vectors``."""
    U, s, _ = np.linalg.svd(vectors, full_matrices=False)
    Q = U[:, s > rtol * s[0]]
    P = np.eye(len(A)) - Q @ Q.T
    return P @ A @ P


def spiked_wishart(n: int = 2000, spikes=(5.0, 4.0, 3.0), seed: int = 0) -> np.ndarray:
    """Fig. 15a: ``Y = X + Z Z^T / n``, ``X = diag(spikes, 0, ...)``, ``Z`` ``(n, n)`` standard normal."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, n))
    Y = Z @ Z.T / n
    Y[np.arange(len(spikes)), np.arange(len(spikes))] += np.asarray(spikes)
    return Y


def spike_theory(spikes=(5.0, 4.0, 3.0)) -> np.ndarray:
    """Outlier locations of an additive spike theta on Marchenko-Pastur(ratio 1): ``theta + theta/(theta - 1)``."""
    t = np.asarray(spikes, dtype=float)
    return t + t / (t - 1)


def pareto_wishart(shape=(500, 1000), alpha: float = 1.0, seed: int = 0) -> np.ndarray:
    """Fig. 15b: ``Y = Z Z^T / m``, ``Z`` ``(n, m)`` i.i.d. classical Pareto(alpha), x_m = 1 (the 500 x 500 reading)."""
    rng = np.random.default_rng(seed)
    Z = rng.pareto(alpha, size=shape) + 1.0
    return Z @ Z.T / shape[1]


def fig15_checks(p: dict) -> dict:
    """Fig. 15's two checks with the preset's sizes: (a) the spiked Wishart matrix, its exact
    eigenvalues and LanczosApproxSpec density (``num_steps``, ``num_repeats`` start vectors); (b) the
    Pareto Wishart matrix and the log-spectrum variant (``log_steps``). Returns the statistics the
    claims read (``wishart-outliers``: max relative distance of the nearest density peak beyond the
    bulk edge 4.2 to each exact outlier; ``wishart-density``: L1 distance to the 100-bin histogram;
    ``pareto-log``: max |CDF(q-quantile) − q|) and the arrays the page draws."""
    import torch

    from dlspectra.curvature import DenseOperator
    from dlspectra.spectral import lanczos_density, lanczos_log_density

    Y = spiked_wishart(p["wishart_n"], seed=p["seed"])
    ev = np.sort(np.linalg.eigvalsh(Y))[::-1]
    x, dens = lanczos_density(DenseOperator(torch.from_numpy(Y)), num_steps=p["num_steps"],
                              num_repeats=p["num_repeats"], seed=p["seed"])
    Yp = pareto_wishart(tuple(p["pareto_shape"]), seed=p["seed"])
    evp = np.linalg.eigvalsh(Yp)
    u, dens_u = lanczos_log_density(DenseOperator(torch.from_numpy(Yp)), num_steps=p["log_steps"],
                                    num_repeats=p["num_repeats"], seed=p["seed"], epsilon=1e-12)
    peaks = [x[i] for i in range(1, len(x) - 1) if dens[i] > dens[i - 1] and dens[i] >= dens[i + 1] and x[i] > 4.2]
    found = [min(peaks, key=lambda q: abs(q - e)) if peaks else np.nan for e in ev[:3]]
    rel = [abs(f / e - 1) for f, e in zip(found, ev[:3])]
    hist, edges = np.histogram(ev, bins=100, density=True)
    centres = (edges[:-1] + edges[1:]) / 2
    l1 = float(np.sum(np.abs(np.interp(centres, x, dens) - hist)) * (edges[1] - edges[0]))
    cdf = np.cumsum(dens_u) * (u[1] - u[0])
    cdf /= cdf[-1]
    qs = [0.1, 0.25, 0.5, 0.75, 0.9]
    at = [float(np.interp(np.quantile(np.log(evp), q), u, cdf)) for q in qs]
    return {"wishart-outliers": float(np.max(rel)), "wishart-density": l1,
            "pareto-log": float(np.max(np.abs(np.array(at) - np.array(qs)))),
            "ev": ev, "x": x, "dens": dens, "found": found, "evp": evp, "u": u, "dens_u": dens_u, "qs": qs, "at": at}
