#!/usr/bin/env python3
"""The notebook's way of evaluating a grid: NumPy, vectorised, f and its hand-derived gradient.

`gradscape bench` runs this and compares it with its GPU and CPU backends. Prints one JSON
object: {name: {"f64_ms", "f32_ms": medians of the evaluation, "f32_save_ms": of evaluating in
float32 and np.save-ing the stacked (N, N, 3) array}} for each function, at --n points per axis.
"""
import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np


def sin_xy(x, y):
    t = x * y
    c = np.cos(t)
    return np.sin(t), y * c, x * c


def rosenbrock(x, y):
    d = y - x * x
    f = (1 - x) ** 2 + 100 * d * d
    return f, -2 * (1 - x) - 400 * x * d, 200 * d


def rastrigin(x, y):
    two_pi = 2 * np.pi
    f = 20 + x * x - 10 * np.cos(two_pi * x) + y * y - 10 * np.cos(two_pi * y)
    fx = 2 * x + 10 * two_pi * np.sin(two_pi * x)
    fy = 2 * y + 10 * two_pi * np.sin(two_pi * y)
    return f, fx, fy


FUNCTIONS = {
    "sin_xy": (sin_xy, (-3.0, 3.0), (-3.0, 3.0)),
    "rosenbrock": (rosenbrock, (-2.0, 2.0), (-1.0, 3.0)),
    "rastrigin": (rastrigin, (-5.12, 5.12), (-5.12, 5.12)),
}


def median_ms(fn, repeats):
    fn()  # warm-up: page in the arrays once
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def compute_and_save(func, x, y, path):
    """What a notebook user does to hand the grid on: the three arrays, stacked, np.save'd."""
    f, fx, fy = func(x, y)
    np.save(path, np.stack([f, fx, fy], axis=-1))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    out = {}
    for name, (func, (x0, x1), (y0, y1)) in FUNCTIONS.items():
        result = {}
        for dtype in (np.float64, np.float32):
            xs = np.linspace(x0, x1, args.n, dtype=dtype)
            ys = np.linspace(y0, y1, args.n, dtype=dtype)
            # As the notebook does: the meshgrid is built once, the evaluation is what is timed.
            x, y = np.meshgrid(xs, ys)
            key = "f64_ms" if dtype == np.float64 else "f32_ms"
            result[key] = median_ms(lambda: func(x, y), args.repeats)
            if dtype == np.float32:
                with tempfile.TemporaryDirectory() as tmp:
                    path = os.path.join(tmp, "grid.npy")
                    result["f32_save_ms"] = median_ms(
                        lambda: compute_and_save(func, x, y, path), args.repeats
                    )
        out[name] = result
    print(json.dumps(out))


if __name__ == "__main__":
    main()
