//! Code generation: a function's expression DAG (f, ∇f, H) → WGSL source for the GPU kernels.
//! Fully parenthesised, each shared node computed once as a `let`, with explicit validity
//! tracking so that the GPU gives NaN exactly where the f64 evaluator gives no number.
//! This layer emits text only; it knows nothing of wgpu (the `gpu` module validates with naga).
//!
//! The generated module defines
//!
//! ```wgsl
//! fn f(x: f32, y: f32) -> f32            // f
//! fn grad(x: f32, y: f32) -> vec2<f32>   // (∂f/∂x, ∂f/∂y); 1-D: (f′, 0)
//! fn hess(x: f32, y: f32) -> vec4<f32>   // (fxx, fxy, fyx, fyy); 1-D: (f″, 0, 0, 0)
//! fn gs_eval(x: f32, y: f32) -> vec4<f32> // (f, ∂f/∂x, ∂f/∂y, 0), sharing every common node
//! ```
//!
//! and expects the template it is spliced into to define `gs_nan() -> f32` and
//! `gs_is_finite(v: f32) -> bool` (shaders/grid.wgsl does). `f`, `grad` and `hess` return NaN
//! wherever a component is invalid or not finite; `gs_eval` returns NaN where invalid and
//! leaves ±inf to the kernel's final finite check.
//!
//! Semantics follow `math::Program` (src/math/eval.rs): domain rules in `functions.rs` and
//! `pow.rs`, validity in `nan.rs`, constants in `literal.rs`. Known, documented gaps where an
//! infinite f64 intermediate turns finite again (`exp(-1/x^2)` at 0, `atan(1/x)` at 0, `x/1e39`):
//! the GPU treats a division by zero or a constant beyond f32 as invalid, so such points are NaN
//! on the GPU and finite on the CPU. Overflow beyond f32 in an intermediate (f64 does not
//! overflow until 1.8e308) likewise ends as NaN where the f64 value may be finite.
//!
//! [`generate_eval`] emits `gs_eval` alone, which is all the grid kernel calls: drivers compile
//! every function of a module, and for large functions the Hessian dominates the build time.
//!
//! Callers hand the text to `gpu::GridEvaluator`, which splices it into the kernel template and
//! validates it with naga (a `gpu::ShaderError` names the offending line) before the device sees it.

mod error;
mod functions;
mod literal;
mod nan;
mod pow;
mod writer;

#[cfg(test)]
mod tests;

pub use error::CodegenError;
pub use literal::f32_literal;

use std::fmt::Write as _;

use crate::math::{Arena, Id};

use nan::Validity;
use writer::{Body, Lowered, Writer};

/// WGSL for `f`, its gradient `grad` (1 or 2 entries, which sets the dimension) and its
/// Hessian `hess` (row-major, dims × dims), all roots of `arena`: the four functions of the
/// module docs.
pub fn generate(arena: &Arena, f: Id, grad: &[Id], hess: &[Id]) -> Result<String, CodegenError> {
    generate_guarded(arena, f, grad, hess, None)
}

/// Like [`generate`], with every output NaN also wherever `domain` (the expression as typed,
/// before simplifying) is not valid: `x/x` simplifies to 1 but has a hole at 0.
pub fn generate_guarded(
    arena: &Arena,
    f: Id,
    grad: &[Id],
    hess: &[Id],
    domain: Option<Id>,
) -> Result<String, CodegenError> {
    check_roots(arena, f, grad, Some(hess))?;
    check_domain(arena, domain)?;
    Ok(write_module(arena, f, grad, Some(hess), domain))
}

/// Only `gs_eval` (and the helpers it calls): what the grid kernel runs. Drivers compile every
/// function of a module, called or not, and the Hessian is the largest part; for a sum of 500
/// terms lavapipe builds this in 4 s against 39 s for [`generate`]'s full module.
pub fn generate_eval(arena: &Arena, f: Id, grad: &[Id]) -> Result<String, CodegenError> {
    generate_eval_guarded(arena, f, grad, None)
}

/// [`generate_eval`] with the holes of `domain` (see [`generate_guarded`]).
pub fn generate_eval_guarded(
    arena: &Arena,
    f: Id,
    grad: &[Id],
    domain: Option<Id>,
) -> Result<String, CodegenError> {
    check_roots(arena, f, grad, None)?;
    check_domain(arena, domain)?;
    Ok(write_module(arena, f, grad, None, domain))
}

fn check_domain(arena: &Arena, domain: Option<Id>) -> Result<(), CodegenError> {
    match domain {
        Some(id) if id.index() >= arena.len() => Err(CodegenError::UnknownNode {
            index: id.index(),
            len: arena.len(),
        }),
        _ => Ok(()),
    }
}

fn check_roots(arena: &Arena, f: Id, grad: &[Id], hess: Option<&[Id]>) -> Result<(), CodegenError> {
    let dims = grad.len();
    if !(1..=2).contains(&dims) {
        return Err(CodegenError::Dimensions(dims));
    }
    if let Some(hess) = hess
        && hess.len() != dims * dims
    {
        return Err(CodegenError::HessianShape {
            dims,
            got: hess.len(),
        });
    }
    let roots = std::iter::once(&f)
        .chain(grad)
        .chain(hess.unwrap_or_default());
    if let Some(bad) = roots.into_iter().find(|id| id.index() >= arena.len()) {
        return Err(CodegenError::UnknownNode {
            index: bad.index(),
            len: arena.len(),
        });
    }
    Ok(())
}

/// The module; `f`, `grad` and `hess` only when `hess` is given.
fn write_module(
    arena: &Arena,
    f: Id,
    grad: &[Id],
    hess: Option<&[Id]>,
    domain: Option<Id>,
) -> String {
    let mut writer = Writer::new(arena);
    let mut functions = String::new();
    // Each body lowers its roots and, last, the domain guard, whose validity every root takes on.
    let lower = |writer: &mut Writer, roots: &[Id]| {
        let with_domain: Vec<Id> = roots.iter().copied().chain(domain).collect();
        let mut body = writer.body(&with_domain);
        if domain.is_some()
            && let Some(guard) = body.roots.pop()
        {
            for root in &mut body.roots {
                root.ok = both(&root.ok, &guard.ok);
            }
        }
        body
    };

    if let Some(hess) = hess {
        let body = lower(&mut writer, &[f]);
        let value = checked(&body.roots[0]);
        emit(&mut functions, "f", "f32", &body, &value);

        let body = lower(&mut writer, grad);
        let result = vector("vec2<f32>", body.roots.iter().map(checked), 2);
        emit(&mut functions, "grad", "vec2<f32>", &body, &result);

        let body = lower(&mut writer, hess);
        let result = vector("vec4<f32>", body.roots.iter().map(checked), 4);
        emit(&mut functions, "hess", "vec4<f32>", &body, &result);
    }

    // The grid kernel's entry: f and ∇f together. The kernel applies the finite check itself.
    let value_grad: Vec<Id> = std::iter::once(f).chain(grad.iter().copied()).collect();
    let body = lower(&mut writer, &value_grad);
    let result = vector("vec4<f32>", body.roots.iter().map(guarded), 4);
    emit(&mut functions, "gs_eval", "vec4<f32>", &body, &result);

    let mut out = String::from(
        "// Generated by gradscape's codegen from the function's expression DAG. Every `v` is one\n\
         // node, every `ok` where it is valid; needs gs_nan() and gs_is_finite() from the template.\n",
    );
    if writer.reads_data {
        // A data objective's rows (the columns its expressions use, row-major, f32), bound by
        // the kernel beside its own group.
        out.push_str(DATA_BINDING);
    }
    for helper in &writer.helpers {
        out.push_str(helper.source());
        out.push('\n');
    }
    out.push_str(&functions);
    out
}

/// The declaration of a data objective's rows in generated code: group 1, binding 0, as every
/// kernel's pipeline layout has it.
pub const DATA_BINDING: &str = "@group(1) @binding(0) var<storage, read> gs_data: array<f32>;\n";

/// Valid where both are.
fn both(a: &Validity, b: &Validity) -> Validity {
    match (a.expr(), b.expr()) {
        ("false", _) | (_, "false") => Validity::Never,
        (_, "true") => a.clone(),
        ("true", _) => b.clone(),
        (p, q) => Validity::When(format!("({p} && {q})")),
    }
}

/// `ty(a, b, 0.0f, ...)` padded with zeros to `len` components.
fn vector(ty: &str, parts: impl Iterator<Item = String>, len: usize) -> String {
    let mut parts: Vec<String> = parts.collect();
    parts.resize(len, "0.0f".into());
    format!("{ty}({})", parts.join(", "))
}

fn emit(out: &mut String, name: &str, ret: &str, body: &Body, result: &str) {
    // Writing into a String cannot fail.
    let _ = writeln!(out, "fn {name}(x: f32, y: f32) -> {ret} {{");
    for line in &body.lines {
        out.push_str(line);
        out.push('\n');
    }
    let _ = writeln!(out, "    return {result};\n}}\n");
}

/// The value where valid, NaN elsewhere.
fn guarded(l: &Lowered) -> String {
    match l.ok.expr() {
        "true" => l.atom.clone(),
        "false" => "gs_nan()".into(),
        ok => format!("select(gs_nan(), {}, {ok})", l.atom),
    }
}

/// The value where valid and finite, NaN elsewhere (for `f`, `grad`, `hess`, which no kernel
/// post-processes).
fn checked(l: &Lowered) -> String {
    let atom = &l.atom;
    match l.ok.expr() {
        "false" => "gs_nan()".into(),
        // A valid constant is a finite f32 literal.
        "true" if l.constant.is_some() => atom.clone(),
        "true" => format!("select(gs_nan(), {atom}, gs_is_finite({atom}))"),
        ok => format!("select(gs_nan(), {atom}, ({ok} && gs_is_finite({atom})))"),
    }
}
