#!/usr/bin/env python3
"""SymPy's simplified first and second derivatives of the presets and the notebook's functions,
and their printed sizes: the reference that tests/derivative_sizes.rs holds ours to (CI has no
SymPy, so this is run by hand and its output committed as sympy_sizes.tsv beside it).

    python3 tests/reference/sympy_sizes.py > tests/reference/sympy_sizes.tsv

Size: the tokens of the printed expression that are operators, symbols, function names or
numbers (parentheses and commas are not counted; `**` is one operator, as `^` is in ours). The
Rust test counts our printed derivatives with the same rule, so both are measured alike.
Optionally `--ours FILE` (lines `expr<TAB>which<TAB>our text`) prints the ratio table instead.
"""

import json
import os
import re
import sys

import sympy
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The notebook's functions that are not presets, and the two examples.
EXTRA = ["1/2*x + 1", "1/(x*y)", "sqrt(x^2 + y^2)"]

TOKEN = re.compile(r"\*\*|[A-Za-z_][A-Za-z_0-9]*|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[-+*/^]")


def size(text):
    """Operators, symbols, function names and numbers in a printed expression."""
    return len(TOKEN.findall(text))


x, y = sympy.symbols("x y", real=True)
LOCALS = {
    "x": x,
    "y": y,
    "e": sympy.E,
    "pi": sympy.pi,
    "abs": sympy.Abs,
    "sign": sympy.sign,
    "cbrt": sympy.cbrt,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
}


def parse(src):
    transformations = standard_transformations + (
        implicit_multiplication_application,
        convert_xor,
    )
    return parse_expr(src, local_dict=LOCALS, transformations=transformations)


def functions():
    with open(os.path.join(ROOT, "assets", "presets.json")) as f:
        presets = [p["expr"] for p in json.load(f)]
    return presets + [e for e in EXTRA if e not in presets]


def main():
    print("# expr\twhich\tsympy_size\tsympy_simplified")
    for src in functions():
        f = parse(src)
        variables = [x, y] if f.has(y) else [x]
        names = [str(v) for v in variables]
        for i, vi in enumerate(variables):
            fi = sympy.diff(f, vi)
            d = sympy.simplify(fi)
            print(f"{src}\t{names[i]}\t{size(str(d))}\t{d}", flush=True)
            for j, vj in enumerate(variables):
                # Hessian entry (i, j): ∂/∂x_j of ∂f/∂x_i, as gradscape orders it.
                d2 = sympy.simplify(sympy.diff(fi, vj))
                print(f"{src}\t{names[i]}{names[j]}\t{size(str(d2))}\t{d2}", flush=True)


if __name__ == "__main__":
    main()
