// idw.py of a PyTorch package whose two-tower model is weighted by `idw(...)`. Takes nothing from the
// spec (the settings reach it as arguments); gives the deterministic part of one IDW reweighting
// (src/runtime/weighting/idw.ts and kde.ts, spelled out in numpy): the inverse-CDF selection of the
// drawn items from prepared uniforms, the prepared normals scaled by σ, a Gaussian KDE with Scott's
// bandwidth (full or diagonal), w̃ ∝ 1/(density + 1e-4), momentum and the per-example weights.
// The random draws themselves come from `recspec prepare` (weighting/idw-draws.ts); nothing here
// draws. Densities stay in log space, as on the TypeScript side, and in float64 throughout.

/** The text of idw.py. */
export function idwPy(): string {
  return `"""Iterative density weighting (Mehta et al., 2023): the deterministic part of one reweighting.

The seeded draws (which uniforms pick the KDE's items, the Gaussian noise added to them) are
prepared by \`recspec prepare\`; this module turns them, the current item weights and the trained
item vectors into the next weights exactly as the TypeScript runtime does (weighting/idw.ts,
weighting/kde.ts).
"""

import math

import numpy as np

# The density floor of w~_i = 1 / (density_i + floor).
DENSITY_FLOOR = 1e-4


def initial_item_weights(counts):
    """w_i = count_i / total over ids 0..N; the padding id 0 weighs 0."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts[1:].sum()
    if not total > 0:
        raise ValueError("IDW: no training targets to weight")
    w = np.zeros_like(counts)
    w[1:] = counts[1:] / total
    return w


def sample_by_weight(w, uniforms):
    """The ids the uniforms pick with probability proportional to w.

    Each is the first id whose cumulative weight exceeds u * total.
    """
    cdf = np.cumsum(np.asarray(w, dtype=np.float64))
    picked = np.searchsorted(cdf, np.asarray(uniforms) * cdf[-1], side="right")
    return np.minimum(picked, len(cdf) - 1)


def fit_kde(sample, bandwidth="full"):
    """Scott's-rule Gaussian KDE of sample [n, D].

    Gives the mean, the whitening L^-1 and the log normaliser.
    """
    sample = np.asarray(sample, dtype=np.float64)
    n, dim = sample.shape
    factor = n ** (-1.0 / (dim + 4))
    mean = sample.mean(axis=0)
    centred = sample - mean
    cov = centred.T @ centred / (n - 1)
    if bandwidth == "diagonal":
        cov = np.diag(np.diag(cov))
    chol = np.linalg.cholesky(cov * factor * factor)
    whitening = np.linalg.inv(chol)
    log_normaliser = -math.log(n) - dim / 2 * math.log(2 * math.pi) - np.log(np.diag(chol)).sum()
    return mean, whitening, log_normaliser


def kde_log_density(sample, points, bandwidth="full", chunk_distances=1 << 22):
    """log p(q) of each row of points [M, D] under the KDE fitted to sample [n, D]."""
    mean, whitening, log_normaliser = fit_kde(sample, bandwidth)
    zs = (np.asarray(sample, dtype=np.float64) - mean) @ whitening.T
    zq = (np.asarray(points, dtype=np.float64) - mean) @ whitening.T
    zs_norm = (zs * zs).sum(axis=1)
    zq_norm = (zq * zq).sum(axis=1)
    out = np.empty(len(zq))
    rows = max(1, chunk_distances // len(zs))
    for first in range(0, len(zq), rows):
        q = zq[first : first + rows]
        # -|q - s|^2 / 2 expanded (float64 keeps the cancellation harmless);
        # rounding clamped to <= 0.
        squared = zq_norm[first : first + rows, None] + zs_norm[None, :]
        log_kernel = np.minimum(q @ zs.T - 0.5 * squared, 0.0)
        top = log_kernel.max(axis=1)
        out[first : first + rows] = top + np.log(np.exp(log_kernel - top[:, None]).sum(axis=1))
    return out + log_normaliser


def inverse_density_weights(log_density, floor=DENSITY_FLOOR):
    """w~ over ids 0..N from the log densities of items 1..N.

    Proportional to 1 / (density + floor), summing to 1.
    """
    log_inverse = -np.logaddexp(log_density, math.log(floor))
    weights = np.exp(log_inverse - log_inverse.max())
    return np.concatenate([[0.0], weights / weights.sum()])


def momentum_update(w, target, momentum):
    """w <- m * w + (1 - m) * w~, and the largest change of any weight."""
    weights = momentum * w + (1 - momentum) * target
    return weights, float(np.abs(weights - w).max())


def per_example_weights(w, counts):
    """The loss weight of an example by its target.

    w_i / count_i, scaled to mean 1 over the examples.
    """
    counts = np.asarray(counts, dtype=np.float64)
    raw = np.zeros_like(w)
    seen = counts > 0
    seen[0] = False
    raw[seen] = w[seen] / counts[seen]
    weighted = (raw * counts).sum()
    if not weighted > 0:
        raise ValueError("IDW: the training targets all have weight 0")
    return (raw * (counts[seen].sum() / weighted)).astype(np.float32)


def reweight(item_vectors, w, uniforms, normals, noise, momentum, bandwidth="full"):
    """One reweighting from w.

    item_vectors [N, D] are items 1..N (float32, as the model gives them), uniforms [sample]
    and normals [sample, D] this iteration's prepared draws. Gives the new weights,
    their largest change and the log densities."""
    item_vectors = np.asarray(item_vectors, dtype=np.float32)
    drawn = sample_by_weight(w, uniforms)
    # As the TypeScript side stores it: float32 of (item + sigma * normal).
    noisy = item_vectors[drawn - 1].astype(np.float64) + noise * np.asarray(normals)
    sample = noisy.astype(np.float32)
    log_density = kde_log_density(sample, item_vectors, bandwidth)
    weights, max_delta = momentum_update(w, inverse_density_weights(log_density), momentum)
    return weights, max_delta, log_density
`;
}
