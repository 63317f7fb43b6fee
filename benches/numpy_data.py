#!/usr/bin/env python3
"""A data objective's loss surface the NumPy way: mean squared error of theta0 + theta1*x
against y over every row, and its gradient, at every point of an N x N theta grid, in float32,
vectorised over the grid and looping over the rows in chunks (the same sum gradscape's kernel
does per grid point).

`gradscape bench` writes the rows to a .npy (n, 2) float32 file and runs this; prints one JSON
object {"f32_ms": median, "rows": n, "n": N}.
"""
import argparse
import json
import statistics
import time

import numpy as np


def loss_surface(rows, t0, t1, chunk):
    f = np.zeros_like(t0)
    g0 = np.zeros_like(t0)
    g1 = np.zeros_like(t0)
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        x = part[:, 0][:, None, None]
        y = part[:, 1][:, None, None]
        r = t0[None] + t1[None] * x - y
        f += (r * r).sum(axis=0)
        g0 += (2 * r).sum(axis=0)
        g1 += (2 * r * x).sum(axis=0)
    n = np.float32(len(rows))
    return f / n, g0 / n, g1 / n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", required=True, help=".npy of (n, 2) float32 rows: x, y")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--range0", type=float, nargs=2, default=(-2.0, 10.0))
    parser.add_argument("--range1", type=float, nargs=2, default=(-4.0, 8.0))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=64)
    args = parser.parse_args()
    rows = np.load(args.rows).astype(np.float32)
    axis0 = np.linspace(*args.range0, args.n, dtype=np.float32)
    axis1 = np.linspace(*args.range1, args.n, dtype=np.float32)
    t0, t1 = np.meshgrid(axis0, axis1)
    loss_surface(rows, t0, t1, args.chunk)  # warm-up
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        loss_surface(rows, t0, t1, args.chunk)
        times.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"f32_ms": statistics.median(times), "rows": len(rows), "n": args.n}))


if __name__ == "__main__":
    main()
