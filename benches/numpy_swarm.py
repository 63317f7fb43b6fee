#!/usr/bin/env python3
"""The notebook user's swarm: many descents at once as one vectorised NumPy float32 loop.

`gradscape bench` runs this beside its GPU swarm and f64 CPU runner. For each case (function,
optimizer, lr) it runs a side x side lattice of starts for --steps steps of torch.optim's rule and
prints one JSON object: {case: {"ms": median wall time}}.
"""
import argparse
import json
import statistics
import time

import numpy as np


def himmelblau(x, y):
    a = x * x + y - 11
    b = x + y * y - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def rosenbrock(x, y):
    d = y - x * x
    return -2 * (1 - x) - 400 * x * d, 200 * d


FUNCTIONS = {
    "himmelblau": (himmelblau, (-5.0, 5.0), (-5.0, 5.0)),
    "rosenbrock": (rosenbrock, (-2.0, 2.0), (-1.0, 3.0)),
}


def descend(grad, x, y, optimizer, lr, steps):
    f32 = np.float32
    lr = f32(lr)
    if optimizer == "sgd":
        for _ in range(steps):
            gx, gy = grad(x, y)
            x = x - lr * gx
            y = y - lr * gy
    elif optimizer == "momentum":
        mu = f32(0.9)
        bx, by = grad(x, y)
        x = x - lr * bx
        y = y - lr * by
        for _ in range(steps - 1):
            gx, gy = grad(x, y)
            bx = bx * mu + gx
            by = by * mu + gy
            x = x - lr * bx
            y = y - lr * by
    elif optimizer == "adam":
        b1, b2, eps = f32(0.9), f32(0.999), f32(1e-8)
        mx = np.zeros_like(x)
        my = np.zeros_like(y)
        vx = np.zeros_like(x)
        vy = np.zeros_like(y)
        for t in range(1, steps + 1):
            gx, gy = grad(x, y)
            mx = mx + (1 - b1) * (gx - mx)
            my = my + (1 - b1) * (gy - my)
            vx = vx * b2 + (1 - b2) * gx * gx
            vy = vy * b2 + (1 - b2) * gy * gy
            step = lr / f32(1 - b1**t)
            c2 = f32(np.sqrt(1 - b2**t))
            x = x - step * mx / (np.sqrt(vx) / c2 + eps)
            y = y - step * my / (np.sqrt(vy) / c2 + eps)
    else:
        raise ValueError(optimizer)
    return x, y


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--cases", required=True, help="name:optimizer:lr,... ")
    args = parser.parse_args()
    out = {}
    np.seterr(all="ignore")  # diverging starts overflow to inf/NaN, as they do on the GPU
    for case in args.cases.split(","):
        name, optimizer, lr = case.split(":")
        grad, (x0, x1), (y0, y1) = FUNCTIONS[name]
        xs = np.linspace(x0, x1, args.side, dtype=np.float32)
        ys = np.linspace(y0, y1, args.side, dtype=np.float32)
        x, y = np.meshgrid(xs, ys)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            descend(grad, x, y, optimizer, float(lr), args.steps)
            times.append((time.perf_counter() - t0) * 1e3)
        out[case] = {"ms": statistics.median(times)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
