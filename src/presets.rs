//! The preset catalog: the notebook's functions and the classic optimisation test functions, each
//! with a domain worth looking at and its known minima. The data lives in `assets/presets.json`,
//! compiled into the binary; the CLI's `presets --json` prints it back in the same shape.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::function::Function;

/// Compiled in, so a malformed catalog is a build-time bug that the tests below catch, never a
/// runtime condition the user could meet.
const CATALOG_JSON: &str = include_str!("../assets/presets.json");

/// One named function with the view and the facts that go with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Short, lowercase, typeable on the command line (`--preset rosenbrock`).
    pub name: String,
    pub title: String,
    /// In the expression grammar of CLI.md.
    pub expr: String,
    pub domain: Domain,
    /// Known global minimizers, one point of `dims()` coordinates each. Empty when there is no
    /// minimum, or when the minimum is reached on whole curves rather than at isolated points.
    pub minima: Vec<Vec<f64>>,
    /// The global minimum value; `None` when the function is unbounded below (on the whole line
    /// or plane, not just in the domain).
    pub minimum_value: Option<f64>,
    pub caption: String,
    pub group: Group,
}

/// The ranges shown by default; `y` is present exactly for 2-D presets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub x: [f64; 2],
    // Omitted rather than `null` for 1-D presets, so that printing the catalog gives back the
    // asset's own shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<[f64; 2]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// The functions of the course notebook this tool grew out of.
    Notebook,
    /// Standard optimisation test functions.
    Classic,
}

impl Preset {
    /// The compiled function, with its derivatives.
    pub fn function(&self) -> Function {
        // Every catalog expression parses: the test `every_preset_parses_with_matching_dims`
        // checks each one, and the catalog cannot change after the build.
        Function::parse(&self.expr).expect("catalog expression parses (see presets tests)")
    }

    /// The known minima as (x, y) points (y = 0 for a 1-D preset), as the swarm takes them.
    pub fn minima_xy(&self) -> Vec<[f64; 2]> {
        self.minima
            .iter()
            .map(|m| {
                [
                    m.first().copied().unwrap_or(0.0),
                    m.get(1).copied().unwrap_or(0.0),
                ]
            })
            .collect()
    }

    /// 1 or 2, read from the domain; the tests check it agrees with the expression.
    pub fn dims(&self) -> usize {
        if self.domain.y.is_some() { 2 } else { 1 }
    }
}

/// Every preset, in the catalog's order (the notebook's first).
pub fn catalog() -> &'static [Preset] {
    static CATALOG: OnceLock<Vec<Preset>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The test `catalog_deserialises` proves this never panics for the compiled-in file.
        serde_json::from_str(CATALOG_JSON)
            .unwrap_or_else(|err| panic!("assets/presets.json is malformed: {err}"))
    })
}

/// The preset names, in catalog order.
pub fn names() -> Vec<&'static str> {
    catalog().iter().map(|p| p.name.as_str()).collect()
}

/// Looks a preset up by name. Case and `_` for `-` are forgiven, since names are typed by hand.
pub fn find(name: &str) -> Result<&'static Preset, UnknownPreset> {
    let wanted = normalise(name);
    catalog()
        .iter()
        .find(|p| p.name == wanted)
        .ok_or_else(|| UnknownPreset {
            name: name.to_string(),
            suggestions: suggestions(&wanted),
        })
}

/// A name that is not in the catalog, with the near misses worth offering instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown preset '{name}' ({})", hint(.suggestions))]
pub struct UnknownPreset {
    pub name: String,
    /// Catalog names within edit distance 2, sharing a prefix or containing the name; closest
    /// first, at most three. Empty when nothing is close (the message then lists every name).
    pub suggestions: Vec<&'static str>,
}

fn hint(suggestions: &[&str]) -> String {
    match suggestions {
        [] => format!("presets: {}", names().join(", ")),
        [one] => format!("did you mean {one}?"),
        [init @ .., last] => format!("did you mean {} or {last}?", init.join(", ")),
    }
}

fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('_', "-")
}

/// Up to three names close to `wanted`: a typo (edit distance ≤ 2), a prefix either way
/// (`rosen`, `rosenbrock2`) or a part of the name (`camel`).
fn suggestions(wanted: &str) -> Vec<&'static str> {
    const MAX_DISTANCE: usize = 2;
    const MAX_SUGGESTIONS: usize = 3;
    const MIN_PART: usize = 3;
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut close: Vec<(usize, &'static str)> = catalog()
        .iter()
        .map(|p| p.name.as_str())
        .filter_map(|name| {
            let distance = edit_distance(wanted, name);
            let prefix = name.starts_with(wanted) || wanted.starts_with(name);
            // A part of a longer name (`camel`, `hump`), once it is long enough to mean something.
            let part = wanted.len() >= MIN_PART && name.contains(wanted);
            (distance <= MAX_DISTANCE || prefix || part).then_some((distance, name))
        })
        .collect();
    // Stable: among equals, catalog order decides.
    close.sort_by_key(|&(distance, _)| distance);
    close
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| name)
        .collect()
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours each cost 1, because a swapped pair is the commonest typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use argmin_testfunctions as tf;

    /// Presets whose listed minimum sits on a kink, where ∇f and H do not exist; for these the
    /// stationarity and curvature checks are replaced by a check that the kink is really there.
    const KINK_AT_MINIMUM: &[&str] = &["abs", "ackley"];

    /// SplitMix64: deterministic points without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next_unit(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (z >> 11) as f64 / (1u64 << 53) as f64
        }

        fn point_in(&mut self, domain: &Domain) -> Vec<f64> {
            let mut lerp = |[lo, hi]: [f64; 2]| lo + (hi - lo) * self.next_unit();
            let mut point = vec![lerp(domain.x)];
            if let Some(y) = domain.y {
                point.push(lerp(y));
            }
            point
        }
    }

    fn max_abs(values: &[f64]) -> f64 {
        values.iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    #[test]
    fn catalog_deserialises() {
        let catalog = catalog();
        assert!(catalog.len() >= 25, "catalog has {} presets", catalog.len());
    }

    #[test]
    fn every_preset_parses_with_matching_dims() {
        for preset in catalog() {
            let f = Function::parse(&preset.expr).unwrap_or_else(|e| {
                panic!("{}: '{}' does not parse: {e}", preset.name, preset.expr)
            });
            assert_eq!(
                f.dims(),
                preset.dims(),
                "{}: dims of expr vs domain",
                preset.name
            );
        }
    }

    #[test]
    fn names_are_unique_and_typeable() {
        let mut seen = std::collections::HashSet::new();
        for preset in catalog() {
            let name = &preset.name;
            assert!(seen.insert(name.as_str()), "duplicate preset name {name}");
            assert!(
                !name.is_empty()
                    && name.len() <= 20
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !name.starts_with('-')
                    && !name.ends_with('-'),
                "name '{name}' is not short lowercase ascii with '-'"
            );
            assert!(
                !preset.title.is_empty() && !preset.caption.is_empty(),
                "{name}"
            );
            assert!(
                !preset.caption.contains('\n'),
                "{name}: caption is one line"
            );
        }
    }

    #[test]
    fn notebook_group_holds_the_notebooks_functions() {
        let notebook: Vec<&str> = catalog()
            .iter()
            .filter(|p| p.group == Group::Notebook)
            .map(|p| p.name.as_str())
            .collect();
        let expected = [
            "square",
            "abs",
            "cbrt",
            "cubic-cos",
            "sin-2x2",
            "double-well",
            "cube",
            "sin-xy",
            "not-differentiable",
        ];
        assert_eq!(notebook, expected);
    }

    #[test]
    fn domains_are_proper_and_minima_lie_inside() {
        for preset in catalog() {
            let name = &preset.name;
            let ranges: Vec<[f64; 2]> = std::iter::once(preset.domain.x)
                .chain(preset.domain.y)
                .collect();
            for [lo, hi] in &ranges {
                assert!(
                    lo.is_finite() && hi.is_finite() && lo < hi,
                    "{name}: range {lo}..{hi}"
                );
            }
            if preset.minimum_value.is_none() {
                assert!(
                    preset.minima.is_empty(),
                    "{name}: minima listed without a value"
                );
            }
            for point in &preset.minima {
                assert_eq!(point.len(), preset.dims(), "{name}: {point:?}");
                for (v, [lo, hi]) in point.iter().zip(&ranges) {
                    assert!(
                        lo <= v && v <= hi,
                        "{name}: minimum {point:?} outside the domain"
                    );
                }
            }
        }
    }

    /// f = minimum_value, ∇f = 0 and H ⪰ 0 at every listed minimum.
    #[test]
    fn listed_minima_are_minima() {
        for preset in catalog() {
            let name = preset.name.as_str();
            let f = preset.function();
            for point in &preset.minima {
                let v = preset.minimum_value.expect("checked in domains test");
                let value = f.value(point);
                assert!(
                    (value - v).abs() <= 1e-12 * (1.0 + v.abs()),
                    "{name}: f({point:?}) = {value}, listed {v}"
                );
                if KINK_AT_MINIMUM.contains(&name) {
                    assert_kink(&f, point, name);
                    continue;
                }
                let grad = f.gradient(point);
                let hess = f.hessian(point);
                // Rounding in ∇f is about ε times the terms that cancel in it, which grow with
                // the curvature and the distance from the origin.
                let norm: f64 = point.iter().map(|c| c * c).sum::<f64>().sqrt();
                let scale = 1.0 + max_abs(&hess) * (1.0 + norm);
                let grad_norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
                assert!(
                    grad_norm <= 1e-9 * scale,
                    "{name}: |grad f({point:?})| = {grad_norm}"
                );
                let tol = 1e-9 * scale;
                match hess[..] {
                    [h] => assert!(h >= -tol, "{name}: f'' = {h} at {point:?}"),
                    [a, b, c, d] => {
                        assert!((b - c).abs() <= tol, "{name}: H not symmetric");
                        assert!(
                            a >= -tol && d >= -tol && a * d - b * c >= -tol * scale,
                            "{name}: H = {hess:?} at {point:?} is not PSD"
                        );
                    }
                    _ => panic!("{name}: Hessian {hess:?}"),
                }
            }
        }
    }

    /// The minimum value is a lower bound over the domain, also for the presets that list no
    /// point because their minimum lies on whole curves (`sin-xy`, `not-differentiable`).
    #[test]
    fn no_sample_beats_the_minimum_value() {
        let mut rng = Rng(0x00C0_FFEE_D0E5_B0A7);
        for preset in catalog() {
            let Some(v) = preset.minimum_value else {
                continue;
            };
            let f = preset.function();
            for _ in 0..2000 {
                let point = rng.point_in(&preset.domain);
                let value = f.value(&point);
                assert!(
                    value >= v - 1e-12 * (1.0 + v.abs()),
                    "{}: f({point:?}) = {value} < listed minimum {v}",
                    preset.name
                );
            }
        }
    }

    /// Along x the one-sided slopes differ: the exemption in `listed_minima_are_minima` is real.
    fn assert_kink(f: &Function, point: &[f64], name: &str) {
        let h = 1e-6;
        let mut right = point.to_vec();
        right[0] += h;
        let mut left = point.to_vec();
        left[0] -= h;
        let at = f.value(point);
        let slope_right = (f.value(&right) - at) / h;
        let slope_left = (at - f.value(&left)) / h;
        assert!(
            slope_right - slope_left > 0.5,
            "{name}: no kink at {point:?} (slopes {slope_left}, {slope_right})"
        );
    }

    /// Newton from each listed minimum stays there to the last bits: the digits written in the
    /// catalog are the converged f64 values, not a rough guess.
    #[test]
    fn minima_are_newton_fixed_points() {
        for preset in catalog() {
            if KINK_AT_MINIMUM.contains(&preset.name.as_str()) {
                continue;
            }
            let f = preset.function();
            for listed in &preset.minima {
                let mut point = listed.clone();
                for _ in 0..20 {
                    let g = f.gradient(&point);
                    let step = match f.hessian(&point)[..] {
                        [h] => vec![g[0] / h],
                        [a, b, c, d] => {
                            let det = a * d - b * c;
                            vec![(d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det]
                        }
                        _ => unreachable!("1-D or 2-D"),
                    };
                    for (p, s) in point.iter_mut().zip(&step) {
                        *p -= s;
                    }
                }
                for (p, l) in point.iter().zip(listed) {
                    let ulps = (p - l).abs() / (f64::EPSILON * l.abs().max(f64::MIN_POSITIVE));
                    assert!(
                        (p - l).abs() <= 1e-300 || ulps <= 1.0,
                        "{}: Newton moves {listed:?} to {point:?}",
                        preset.name
                    );
                }
            }
        }
    }

    /// The number literals of a JSON text, in document order (strings skipped).
    fn number_tokens(json: &str) -> Vec<String> {
        let mut in_string = false;
        let mut escaped = false;
        let mut token = String::new();
        let mut tokens = Vec::new();
        for c in json.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
            } else if c == '"' {
                in_string = true;
            } else if c.is_ascii_digit() || "+-.eE".contains(c) {
                token.push(c);
                continue;
            }
            if !token.is_empty() {
                tokens.push(std::mem::take(&mut token));
            }
        }
        tokens
    }

    /// Rust's parser rounds correctly, so this is the double a literal denotes.
    fn exact(token: &str) -> u64 {
        let value: f64 = token.parse().unwrap_or_else(|e| panic!("'{token}': {e}"));
        value.to_bits()
    }

    /// serde_json without its `float_roundtrip` feature rounds some 17-digit literals to the
    /// neighbouring double, so the asset spells each number in a form it reads exactly; this
    /// proves the catalog holds the very doubles written.
    #[test]
    fn numbers_in_the_asset_parse_exactly() {
        let tokens = number_tokens(CATALOG_JSON);
        assert!(tokens.len() > 100, "found only {} numbers", tokens.len());
        for token in tokens {
            let via_serde: f64 = serde_json::from_str(&token).unwrap();
            assert_eq!(exact(&token), via_serde.to_bits(), "'{token}' misparsed");
        }
    }

    /// Printing the catalog gives back the asset: the same keys in the same shape (1-D domains
    /// without `y`) and, read by an exact parser, the same numbers.
    #[test]
    fn serialises_to_the_assets_shape() {
        // Structure only; numbers are compared exactly below, because reading them back through
        // serde_json could itself misround (see `numbers_in_the_asset_parse_exactly`).
        fn without_numbers(v: serde_json::Value) -> serde_json::Value {
            use serde_json::Value;
            match v {
                Value::Number(_) => Value::from("number"),
                Value::Array(a) => Value::Array(a.into_iter().map(without_numbers).collect()),
                Value::Object(o) => Value::Object(
                    o.into_iter()
                        .map(|(k, v)| (k, without_numbers(v)))
                        .collect(),
                ),
                other => other,
            }
        }
        let printed = serde_json::to_string_pretty(catalog()).unwrap();
        let printed_value: serde_json::Value = serde_json::from_str(&printed).unwrap();
        let asset_value: serde_json::Value = serde_json::from_str(CATALOG_JSON).unwrap();
        assert_eq!(without_numbers(printed_value), without_numbers(asset_value));
        let printed_numbers: Vec<u64> = number_tokens(&printed).iter().map(|t| exact(t)).collect();
        let asset_numbers: Vec<u64> = number_tokens(CATALOG_JSON)
            .iter()
            .map(|t| exact(t))
            .collect();
        assert_eq!(printed_numbers, asset_numbers);
    }

    #[test]
    fn find_finds_and_suggests() {
        assert_eq!(find("rosenbrock").unwrap().name, "rosenbrock");
        assert_eq!(find("Six_Hump_Camel").unwrap().name, "six-hump-camel");
        for name in names() {
            assert_eq!(find(name).unwrap().name, name);
        }

        let err = find("rosenbock").unwrap_err();
        assert_eq!(err.suggestions, ["rosenbrock"]);
        assert_eq!(
            err.to_string(),
            "unknown preset 'rosenbock' (did you mean rosenbrock?)"
        );
        assert_eq!(find("himmelbalu").unwrap_err().suggestions, ["himmelblau"]);
        assert_eq!(find("rosen").unwrap_err().suggestions, ["rosenbrock"]);
        assert_eq!(find("sadle").unwrap_err().suggestions[0], "saddle");
        assert_eq!(
            find("camel").unwrap_err().to_string(),
            "unknown preset 'camel' (did you mean six-hump-camel or three-hump-camel?)"
        );

        let err = find("zzzzzzzz").unwrap_err();
        assert!(err.suggestions.is_empty());
        let message = err.to_string();
        assert!(message.starts_with("unknown preset 'zzzzzzzz' (presets: square, abs,"));
        assert!(message.contains("rosenbrock") && message.ends_with("monkey-saddle)"));
        assert!(find("").is_err());
    }

    #[test]
    fn edit_distance_counts_typos() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("rosenbock", "rosenbrock"), 1);
        assert_eq!(edit_distance("rosenbrokc", "rosenbrock"), 1);
        assert_eq!(edit_distance("booth", "beale"), 4);
    }

    // ---- against argmin_testfunctions ----

    type Reference = (
        fn(&[f64; 2]) -> f64,
        fn(&[f64; 2]) -> [f64; 2],
        fn(&[f64; 2]) -> [[f64; 2]; 2],
    );

    fn vec2(v: Vec<f64>) -> [f64; 2] {
        [v[0], v[1]]
    }

    fn mat2(m: Vec<Vec<f64>>) -> [[f64; 2]; 2] {
        [[m[0][0], m[0][1]], [m[1][0], m[1][1]]]
    }

    /// The crate's value, gradient and Hessian for each preset it also defines. Its slice-taking
    /// functions are the n-D forms, used here with n = 2 (Ackley and Rastrigin with their
    /// standard constants 20, 0.2, 2π and A = 10, as in the catalog).
    fn reference(name: &str) -> Option<Reference> {
        Some(match name {
            "sphere" => (
                |p| tf::sphere(p),
                |p| vec2(tf::sphere_derivative(p)),
                |p| mat2(tf::sphere_hessian(p)),
            ),
            "matyas" => (tf::matyas, tf::matyas_derivative, tf::matyas_hessian),
            "booth" => (tf::booth, tf::booth_derivative, tf::booth_hessian),
            "rosenbrock" => (
                |p| tf::rosenbrock(p),
                |p| vec2(tf::rosenbrock_derivative(p)),
                |p| mat2(tf::rosenbrock_hessian(p)),
            ),
            "beale" => (tf::beale, tf::beale_derivative, tf::beale_hessian),
            "himmelblau" => (
                tf::himmelblau,
                tf::himmelblau_derivative,
                tf::himmelblau_hessian,
            ),
            "goldstein-price" => (
                tf::goldsteinprice,
                tf::goldsteinprice_derivative,
                tf::goldsteinprice_hessian,
            ),
            "rastrigin" => (
                |p| tf::rastrigin(p),
                |p| vec2(tf::rastrigin_derivative(p)),
                |p| mat2(tf::rastrigin_hessian(p)),
            ),
            "ackley" => (
                |p| tf::ackley(p),
                |p| vec2(tf::ackley_derivative(p)),
                |p| mat2(tf::ackley_hessian(p)),
            ),
            "three-hump-camel" => (
                tf::threehumpcamel,
                tf::threehumpcamel_derivative,
                tf::threehumpcamel_hessian,
            ),
            "mccormick" => (
                tf::mccorminck,
                tf::mccorminck_derivative,
                tf::mccorminck_hessian,
            ),
            "levi-n13" => (tf::levy_n13, tf::levy_n13_derivative, tf::levy_n13_hessian),
            "styblinski-tang" => (
                |p| tf::styblinski_tang(p),
                |p| vec2(tf::styblinski_tang_derivative(p)),
                |p| mat2(tf::styblinski_tang_hessian(p)),
            ),
            _ => return None,
        })
    }

    #[test]
    fn presets_agree_with_argmin_testfunctions() {
        let mut compared = Vec::new();
        let mut rng = Rng(0x5EED_0F9A_D5CA_9E00);
        for preset in catalog() {
            let Some((value, gradient, hessian)) = reference(&preset.name) else {
                continue;
            };
            compared.push(preset.name.as_str());
            let f = preset.function();
            let mut worst = [0.0f64; 3];
            for _ in 0..50 {
                let point = rng.point_in(&preset.domain);
                let p = [point[0], point[1]];
                let want_h = hessian(&p);
                let checks = [
                    (vec![f.value(&point)], vec![value(&p)]),
                    (f.gradient(&point), gradient(&p).to_vec()),
                    (f.hessian(&point), want_h.concat()),
                ];
                for (k, (got, want)) in checks.iter().enumerate() {
                    let scale = 1.0 + max_abs(want);
                    let err = got
                        .iter()
                        .zip(want)
                        .map(|(g, w)| (g - w).abs() / scale)
                        .fold(0.0, f64::max);
                    worst[k] = worst[k].max(err);
                    assert!(
                        err <= 1e-12,
                        "{}: {} at {point:?}: ours {got:?}, argmin {want:?}",
                        preset.name,
                        ["value", "gradient", "Hessian"][k]
                    );
                }
            }
            eprintln!("{}: worst relative error {worst:?}", preset.name);
        }
        assert_eq!(compared.len(), 13, "compared {compared:?}");
    }
}
