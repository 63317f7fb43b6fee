//! A seeded fuzzer (no nightly needed): random byte strings and grammar-aware random expressions
//! through parse → print → parse again (the same node) → derivatives printed and re-parsed (the
//! same nodes) → f64 evaluation with rounding bounds → the differentiability verdict → WGSL
//! codegen → naga validation; data objectives (random models and losses on the built-in `linear`
//! set, through f, ∇f, H, mini-batches and WGSL; random CSV text through the reader); plus random
//! argument vectors for the CLI commands that need no GPU or window. Counts panics, inputs slower than a second, invalid WGSL and printed forms
//! that do not read back; exits 1 if any.
//!
//!     cargo run --release --example fuzz -- [--inputs N] [--seed S]
//!
//! Not part of `cargo test`; CI runs a bounded slice (see .ci/run).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use rayon::prelude::*;

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

/// An input slower than this is a hang to report. The 10-million-input run (release) holds
/// every input to one second; a debug build, as CI runs its slice, is about ten times slower,
/// and a few-hundred-node expression's derivation took just over a second there once the
/// derivatives came to be multiplied out.
const SLOW: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(5)
} else {
    Duration::from_secs(1)
};

const NUMBERS: &[&str] = &[
    "0", "1", "2", "0.5", ".5", "3", "10", "1e-3", "2.5E+4", "1e300", "1e-300", "5e-324", "1e308",
    "pi", "e", "7",
];
const FUNCS: &[&str] = &[
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "exp", "ln", "log", "sqrt", "cbrt", "abs", "sign", "sigmoid", "softplus",
];
const LOSSES: &[&str] = &[
    "mse",
    "mae",
    "huber:1",
    "huber:0.01",
    "logistic",
    "(m - t)^4",
    "abs(m)^t",
    "m",
    "ln(m - t)",
    "huber:0",
    "huber:x",
    "1/(m - t)",
    "",
    "m t",
    "q",
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

impl Tally {
    fn join(&mut self, other: Tally) {
        self.inputs += other.inputs;
        self.parsed += other.parsed;
        self.panics.extend(other.panics);
        self.slow.extend(other.slow);
        self.bad_wgsl.extend(other.bad_wgsl);
        self.no_round_trip.extend(other.no_round_trip);
    }
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

/// A point uniform in [−4, 4)², drawn as every pipeline draws its evaluation points.
fn random_point(rng: &mut Rng) -> [f64; 2] {
    [
        (rng.next() as f64 / u64::MAX as f64 - 0.5) * 8.0,
        (rng.next() as f64 / u64::MAX as f64 - 0.5) * 8.0,
    ]
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
        let point = random_point(rng);
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

/// A random model (an expression in theta0, theta1 and the columns x and y) and loss on the
/// built-in `linear` set: f, ∇f and H at random points, a random mini-batch, and the WGSL.
fn data_pipeline(src: &str, table: &gradscape::data::Table, rng: &mut Rng, tally: &mut Tally) {
    // The grammar's y becomes theta1; theta0 enters through x, a column of `linear`.
    let model = match rng.below(3) {
        0 => src.replace('y', "theta1"),
        1 => format!("({}) + theta0*x", src.replace('y', "theta1")),
        _ => format!("theta0 + theta1*({src})"),
    };
    let spec = gradscape::data::ObjectiveSpec {
        model,
        loss: (rng.below(4) != 0).then(|| rng.pick(LOSSES).to_string()),
        target: None,
        l2: [0.0, 0.1, 1e300][rng.below(3)],
        l1: [0.0, 0.5][rng.below(2)],
    };
    let Ok(function) = gradscape::data::build_objective(table, &spec) else {
        return;
    };
    tally.parsed += 1;
    let rows: Vec<u32> = (0..1 + rng.below(5))
        .map(|_| rng.below(100) as u32)
        .collect();
    for _ in 0..2 {
        let point = random_point(rng);
        let point = &point[..function.dims()];
        let _ = function.value_and_gradient_with_error(point);
        let _ = function.hessian(point);
        let _ = function.batch_value_and_gradient(point, &rows);
    }
    let generated = function.grid_wgsl();
    let valid = splice(GRID_TEMPLATE, &generated).is_ok_and(|module| validate(&module).is_ok());
    if !valid {
        tally
            .bad_wgsl
            .push(format!("data model {:?} loss {:?}", spec.model, spec.loss));
    }
}

/// Random CSV-like text: header names, numbers, words, ragged rows, quotes and odd bytes.
fn csv_text(rng: &mut Rng) -> String {
    let cells = [
        "x", "y", "sin", "1", "-2.5", "1e300", "nan", "inf", "\"3\"", "", " ", "a b", "1,2", "θ",
        "\r", "0x10", "5e-324", "theta0", "_c", "é",
    ];
    let mut text = String::new();
    for _ in 0..rng.below(6) {
        let fields = rng.below(4);
        let line: Vec<&str> = (0..fields).map(|_| rng.pick(&cells)).collect();
        text.push_str(&line.join(","));
        text.push(if rng.below(5) == 0 { '\r' } else { '\n' });
    }
    text
}

/// Random argument vectors for the commands that need neither a GPU nor a window.
fn argv(rng: &mut Rng, expr: &str) -> Vec<String> {
    let command = rng.pick(&[
        "eval", "descend", "analyze", "presets", "grid", "data", "basins", "sweep",
    ]);
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
        "--data",
        "--model",
        "--loss",
        "--batch-size",
        "--epochs",
        "--sampling",
        "--seed",
        "--l2",
        "--list",
        "--line-search",
        "--lr-range",
        "--param",
        "--param-range",
        "--max-work",
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
        "linear",
        "iris",
        "linear:x",
        "logistic:petal_width",
        "theta0*x + theta1",
        "replace",
        "shuffle",
        "huber:2",
        "/no/such.csv",
        "armijo",
        "inverse:10",
        "exp:0.9",
        "1e-300,1e300",
        "beta1",
        "0,0.99",
        "1e3",
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
    if command == "basins" || command == "sweep" {
        // The CPU backend only (no GPU here), small, into a scratch file.
        args.extend(["--backend", "cpu", "--resolution", "3", "--steps", "20"].map(String::from));
        if command == "basins" {
            args.extend(["--x-range", "-1,1"].map(String::from));
        } else {
            args.extend(["--from", "1,1"].map(String::from));
        }
        args.push("--out".into());
        args.push(
            std::env::temp_dir()
                .join("gradscape-fuzz-swarm.npy")
                .display()
                .to_string(),
        );
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

/// One fuzz input: its number, which pipeline it goes through, its text, and the seed of the
/// generator its pipeline draws from.
struct Input {
    k: u64,
    src: String,
    local_seed: u64,
}

impl Input {
    fn draw(k: u64, rng: &mut Rng) -> Input {
        let src = if k.is_multiple_of(10) {
            random_bytes(rng)
        } else {
            let mut s = String::new();
            // Mostly small, one in fifty up to a few hundred nodes.
            let most = if rng.below(50) == 0 { 300 } else { 24 };
            let budget = 1 + rng.below(most);
            expression(rng, budget, &mut s);
            s
        };
        Input {
            k,
            src,
            local_seed: rng.next(),
        }
    }

    /// Runs the input through its pipeline, timed, and tallies what it finds.
    fn run(&self, linear: &gradscape::data::Table) -> Tally {
        let mut tally = Tally::default();
        let (panicked, elapsed) = self.run_timed(linear, &mut tally);
        if panicked {
            tally.panics.push(self.src.clone());
        }
        // Over the limit once may be the machine (a 2-core VM sharing its cores, and the other
        // inputs running beside this one): the same input is run again, counting nothing, and
        // is slow only if it is slow twice.
        if elapsed > SLOW && self.run_timed(linear, &mut Tally::default()).1 > SLOW {
            tally.slow.push(self.src.clone());
        }
        tally.inputs = 1;
        tally
    }

    fn run_timed(&self, linear: &gradscape::data::Table, tally: &mut Tally) -> (bool, Duration) {
        let (k, kind, src) = (self.k, self.k % 10, &self.src);
        let begun = Instant::now();
        let mut local = Rng(self.local_seed);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if kind == 9 {
                let args = argv(&mut local, src);
                if let Ok(cli) = <gradscape::cli::Cli as clap::Parser>::try_parse_from(&args) {
                    let _ = gradscape::cli::run(cli, &mut Vec::new());
                }
            } else if kind == 8 && k % 20 == 8 {
                let text = csv_text(&mut local);
                let _ = gradscape::data::parse_csv(&text, "fuzz.csv", &|n| {
                    gradscape::data::is_reserved_name(n)
                });
            } else if kind == 8 {
                data_pipeline(src, linear, &mut local, tally);
            } else {
                expression_pipeline(src, &mut local, tally);
            }
        }));
        (outcome.is_err(), begun.elapsed())
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
    let linear = gradscape::data::builtin("linear").expect("linear is built in");
    let started = Instant::now();
    // The inputs are drawn in order from one stream, so a seed names the same inputs however
    // many cores run them; each then runs on its own generator, on every core, and the tallies
    // are joined in input order (CI's 2 cores halve its slice's time). Drawn a chunk at a time,
    // so that memory stays flat over a long run.
    const CHUNK: u64 = 10_000;
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let mut first = 0;
    while first < inputs {
        let chunk: Vec<Input> = (first..inputs.min(first + CHUNK))
            .map(|k| Input::draw(k, &mut rng))
            .collect();
        first += chunk.len() as u64;
        let tallies: Vec<Tally> = chunk.par_iter().map(|input| input.run(&linear)).collect();
        for one in tallies {
            tally.join(one);
        }
        if first.is_multiple_of(100_000) {
            eprintln!(
                "{first} inputs, {} parsed, {:.0} s",
                tally.parsed,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "seed {seed}: {} inputs ({} expressions parsed) in {:.1} s: {} panics, {} over {} s, {} invalid WGSL, {} printed forms that do not read back",
        tally.inputs,
        tally.parsed,
        started.elapsed().as_secs_f64(),
        tally.panics.len(),
        tally.slow.len(),
        SLOW.as_secs(),
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
