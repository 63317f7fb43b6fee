//! A seeded fuzzer (no nightly needed): random byte strings and grammar-aware random expressions
//! through parse → print → parse again (the same node) → derivatives printed and re-parsed (the
//! same nodes) → f64 evaluation with rounding bounds → the differentiability verdict → WGSL
//! codegen → naga validation; plus random argument vectors for the CLI commands that need no
//! GPU or window. Counts panics, inputs slower than a second, invalid WGSL and printed forms
//! that do not read back; exits 1 if any.
//!
//!     cargo run --release --example fuzz -- [--inputs N] [--seed S]
//!
//! Not part of `cargo test`; CI runs a bounded slice (see .ci/run).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use gradscape::function::Function;
use gradscape::gpu::shaders::{GRID_TEMPLATE, splice, validate};
use gradscape::math::{Id, parse};

/// splitmix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NUMBERS: &[&str] = &[
    "0", "1", "2", "0.5", ".5", "3", "10", "1e-3", "2.5E+4", "1e300", "1e-300", "5e-324", "1e308",
    "pi", "e", "7",
];
const FUNCS: &[&str] = &[
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "exp", "ln", "log", "sqrt", "cbrt", "abs", "sign",
];
const OPS: &[&str] = &["+", "-", "*", "/", "^", "**", " "];

/// A random expression of the grammar with about `budget` nodes.
fn expression(rng: &mut Rng, budget: usize, out: &mut String) {
    if budget <= 1 {
        match rng.below(4) {
            0 => out.push('x'),
            1 => out.push('y'),
            _ => out.push_str(rng.pick(NUMBERS)),
        }
        return;
    }
    match rng.below(6) {
        0 => {
            out.push_str(rng.pick(FUNCS));
            out.push('(');
            expression(rng, budget - 1, out);
            out.push(')');
        }
        1 => {
            out.push('-');
            expression(rng, budget - 1, out);
        }
        2 => {
            out.push('(');
            expression(rng, budget - 1, out);
            out.push(')');
        }
        _ => {
            let left = 1 + rng.below(budget - 1);
            let paren = rng.below(3) == 0;
            if paren {
                out.push('(');
            }
            expression(rng, left, out);
            if paren {
                out.push(')');
            }
            out.push_str(rng.pick(OPS));
            expression(rng, (budget - left).max(1), out);
        }
    }
}

fn random_bytes(rng: &mut Rng) -> String {
    let len = rng.below(40);
    let alphabet = b"xy0123456789.+-*/^() eEpisncoqrtabglh,\t\xff";
    let bytes: Vec<u8> = (0..len)
        .map(|_| alphabet[rng.below(alphabet.len())])
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[derive(Default)]
struct Tally {
    inputs: u64,
    parsed: u64,
    panics: Vec<String>,
    slow: Vec<String>,
    bad_wgsl: Vec<String>,
    no_round_trip: Vec<String>,
}

/// Printing node `id` and parsing the text into the same arena gives `id` back.
fn reads_back(function: &Function, id: Id) -> bool {
    // Shared nodes print at every use: skip texts too large to be worth re-reading.
    if function.arena().tree_size(id, 20_001) > 20_000 {
        return true;
    }
    let text = function.arena().to_text(id);
    let mut arena = function.arena().clone();
    parse(&mut arena, &text).is_ok_and(|again| again == id)
}

fn expression_pipeline(src: &str, rng: &mut Rng, tally: &mut Tally) {
    let Ok(function) = Function::parse(src) else {
        return;
    };
    tally.parsed += 1;
    let roots: Vec<Id> = std::iter::once(function.f_id())
        .chain(function.gradient_ids().iter().copied())
        .collect();
    if !roots.iter().all(|&id| reads_back(&function, id)) {
        tally.no_round_trip.push(src.to_string());
    }
    for _ in 0..3 {
        let point = [
            (rng.next() as f64 / u64::MAX as f64 - 0.5) * 8.0,
            (rng.next() as f64 / u64::MAX as f64 - 0.5) * 8.0,
        ];
        let point = &point[..function.dims()];
        let _ = function.value_and_gradient_with_error(point);
        let _ = function.hessian(point);
    }
    if function.dims() == 1 && rng.below(20) == 0 {
        let _ = gradscape::calculus::classify_point(&function, 0.0);
    }
    let generated = function.grid_wgsl();
    let valid = splice(GRID_TEMPLATE, &generated).is_ok_and(|module| validate(&module).is_ok());
    if !valid {
        tally.bad_wgsl.push(src.to_string());
    }
}

/// Random argument vectors for the commands that need neither a GPU nor a window.
fn argv(rng: &mut Rng, expr: &str) -> Vec<String> {
    let command = rng.pick(&["eval", "descend", "analyze", "presets", "grid"]);
    let mut args = vec![
        "gradscape".to_string(),
        command.to_string(),
        expr.to_string(),
    ];
    let flags = [
        "--at",
        "--from",
        "--optimizer",
        "--lr",
        "--steps",
        "--x-range",
        "--y-range",
        "--json",
        "--tol",
        "--format",
        "--noise",
        "--clip-norm",
        "--schedule",
        "--momentum",
        "--eps",
        "--resolution",
        "--preset",
    ];
    let values = [
        "1",
        "-1",
        "0",
        "1,2",
        "0.5,-0.5",
        "1e300",
        "-1e-300",
        "nan",
        "inf",
        "sgd",
        "adam",
        "newton",
        "json",
        "csv",
        "step:2:0.5",
        "cosine:0",
        "3",
        "himmelblau",
        "",
        "1,",
        "--",
        "5e-324,1e-323",
        "1e400",
    ];
    for _ in 0..rng.below(6) {
        args.push(rng.pick(&flags).to_string());
        if rng.below(4) != 0 {
            args.push(rng.pick(&values).to_string());
        }
    }
    if command == "grid" {
        // The CPU backend only, into a scratch file, small.
        args.extend(["--backend", "cpu", "--resolution", "5", "--out"].map(String::from));
        args.push(
            std::env::temp_dir()
                .join("gradscape-fuzz.npy")
                .display()
                .to_string(),
        );
    }
    if command == "descend" {
        args.extend(["--steps", "50"].map(String::from));
    }
    args
}

/// `FUZZ_ONE=EXPR`: what goes wrong with one expression, in full.
fn explain(src: &str) {
    let function = Function::parse(src).expect("FUZZ_ONE parses");
    let roots: Vec<Id> = std::iter::once(function.f_id())
        .chain(function.gradient_ids().iter().copied())
        .collect();
    for id in roots {
        let text = function.arena().to_text(id);
        let mut arena = function.arena().clone();
        let again = parse(&mut arena, &text);
        println!(
            "{text:?} -> {:?} (was {id:?})",
            again.map(|a| (a, arena.to_text(a)))
        );
    }
    let generated = function.grid_wgsl();
    let module = splice(GRID_TEMPLATE, &generated).unwrap();
    if let Err(e) = validate(&module) {
        println!("{e}\n{generated}");
    }
}

fn main() {
    if let Ok(src) = std::env::var("FUZZ_ONE") {
        explain(&src);
        return;
    }
    let mut inputs: u64 = 100_000;
    let mut seed: u64 = 1;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--inputs", Some(n)) => inputs = n,
            ("--seed", Some(s)) => seed = s,
            _ => {
                eprintln!("usage: fuzz [--inputs N] [--seed S]");
                std::process::exit(2);
            }
        }
    }
    // Panics are counted, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let started = Instant::now();
    for k in 0..inputs {
        let kind = k % 10;
        let src = if kind == 0 {
            random_bytes(&mut rng)
        } else {
            let mut s = String::new();
            // Mostly small, one in fifty up to a few hundred nodes.
            let most = if rng.below(50) == 0 { 300 } else { 24 };
            let budget = 1 + rng.below(most);
            expression(&mut rng, budget, &mut s);
            s
        };
        let begun = Instant::now();
        let mut local = Rng(rng.next());
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if kind == 9 {
                let args = argv(&mut local, &src);
                if let Ok(cli) = <gradscape::cli::Cli as clap::Parser>::try_parse_from(&args) {
                    let _ = gradscape::cli::run(cli, &mut Vec::new());
                }
            } else {
                expression_pipeline(&src, &mut local, &mut tally);
            }
        }));
        if outcome.is_err() {
            tally.panics.push(src.clone());
        }
        if begun.elapsed() > Duration::from_secs(1) {
            tally.slow.push(src.clone());
        }
        tally.inputs += 1;
        if (k + 1) % 100_000 == 0 {
            eprintln!(
                "{} inputs, {} parsed, {:.0} s",
                k + 1,
                tally.parsed,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "seed {seed}: {} inputs ({} expressions parsed) in {:.1} s: {} panics, {} over 1 s, {} invalid WGSL, {} printed forms that do not read back",
        tally.inputs,
        tally.parsed,
        started.elapsed().as_secs_f64(),
        tally.panics.len(),
        tally.slow.len(),
        tally.bad_wgsl.len(),
        tally.no_round_trip.len()
    );
    for (what, list) in [
        ("panic", &tally.panics),
        ("slow", &tally.slow),
        ("invalid WGSL", &tally.bad_wgsl),
        ("no round trip", &tally.no_round_trip),
    ] {
        for src in list.iter().take(10) {
            println!("{what}: {src:?}");
        }
    }
    let clean = tally.panics.is_empty()
        && tally.slow.is_empty()
        && tally.bad_wgsl.is_empty()
        && tally.no_round_trip.is_empty();
    std::process::exit(if clean { 0 } else { 1 });
}
