//! The data sets that ship inside the program (`--data linear`, `--data iris`, …): seeded
//! regressions drawn from the project's generator, and Fisher's iris from assets/data/.

use super::csv::parse_csv;
use super::table::Table;
use crate::rng::NormalRng;

/// A built-in data set's name and what it holds, for `gradscape data --list`.
pub struct Builtin {
    pub name: &'static str,
    pub description: &'static str,
}

/// Every built-in data set, in the order `gradscape data --list` shows them.
pub const BUILTINS: [Builtin; 3] = [
    Builtin {
        name: "linear",
        description: "100 rows: x uniform on [0, 2), y = 4 + 3x + N(0, 1) (seed 42) — the \
                      training-models chapter's linear regression",
    },
    Builtin {
        name: "iris",
        description: "sepal_length, sepal_width, petal_length, petal_width (cm), species \
                      (0 setosa, 1 versicolor, 2 virginica), virginica (0/1) — Fisher's iris \
                      (1936), 150 rows, as shipped with scikit-learn",
    },
    Builtin {
        name: "ridge",
        description: "20 rows: x uniform on [0, 3), y = 1 + 0.5x + N(0, 1)/1.5 (seed 42) — the \
                      training-models chapter's ridge regression",
    },
];

/// The shipped copy of scikit-learn's iris.csv (see assets/data/ and the README).
const IRIS_CSV: &str = include_str!("../../assets/data/iris.csv");

/// The built-in set by name, or None.
pub fn builtin(name: &str) -> Option<Table> {
    match name {
        "linear" => Some(regression("linear", 100, 2.0, |x, noise| {
            4.0 + 3.0 * x + noise
        })),
        "ridge" => Some(regression("ridge", 20, 3.0, |x, noise| {
            1.0 + 0.5 * x + noise / 1.5
        })),
        // The file is compiled in and its parse is tested below, so a failure here can only be a
        // broken build, never a user's input.
        "iris" => {
            Some(parse_csv(IRIS_CSV, "iris", &|_| false).expect("the shipped iris.csv parses"))
        }
        _ => None,
    }
}

/// `rows` rows of (x, y): x uniform on [0, x_max), y = line(x, N(0, 1)), drawn from seed 42 in the
/// order x, then its noise, row after row — the order is part of the data set.
fn regression(name: &str, rows: usize, x_max: f64, line: impl Fn(f64, f64) -> f64) -> Table {
    let mut rng = NormalRng::new(42);
    let mut values = Vec::with_capacity(2 * rows);
    for _ in 0..rows {
        let x = x_max * rng.uniform();
        let noise = rng.normal();
        values.extend([x, line(x, noise)]);
    }
    // Two named columns and rows ≥ 1 rows of two values each: Table::new's checks all hold.
    Table::new(name, vec!["x".into(), "y".into()], values).expect("regression table shape")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Least-squares (intercept, slope) of y on x.
    fn fit(t: &Table) -> (f64, f64) {
        let (x, y) = (t.column(0), t.column(1));
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
        let slope = sxy / sxx;
        (my - slope * mx, slope)
    }

    #[test]
    fn every_listed_builtin_exists_in_order() {
        let names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
        assert_eq!(names, ["linear", "iris", "ridge"]);
        for b in &BUILTINS {
            let t = builtin(b.name).unwrap();
            assert_eq!(t.name(), b.name);
        }
        assert!(builtin("nope").is_none());
        assert!(builtin("Linear").is_none());
    }

    #[test]
    fn linear_is_y_4_plus_3x() {
        let t = builtin("linear").unwrap();
        assert_eq!(t.rows(), 100);
        assert_eq!(t.columns(), &["x".to_string(), "y".to_string()][..]);
        assert!(t.column(0).iter().all(|x| (0.0..2.0).contains(x)));
        let (b, m) = fit(&t);
        assert!(
            (b - 4.0).abs() < 0.5 && (m - 3.0).abs() < 0.5,
            "fit ({b}, {m})"
        );
        assert_eq!(t, builtin("linear").unwrap(), "seeded: the same every time");
    }

    #[test]
    fn pinned_first_values_of_linear() {
        // A change to the generator or the draw order changes every saved run on `linear`.
        let t = builtin("linear").unwrap();
        assert_eq!(t.value(0, 0).to_bits(), PINNED_LINEAR_X0);
        assert_eq!(t.value(0, 1).to_bits(), PINNED_LINEAR_Y0);
    }

    /// x₀ = 1.6286102902458197, y₀ = 9.54527278868548.
    const PINNED_LINEAR_X0: u64 = 0x3ffa_0ec9_a9e8_8ecd;
    const PINNED_LINEAR_Y0: u64 = 0x4023_172d_feb5_9b10;

    #[test]
    fn ridge_is_y_1_plus_half_x() {
        let t = builtin("ridge").unwrap();
        assert_eq!(t.rows(), 20);
        assert!(t.column(0).iter().all(|x| (0.0..3.0).contains(x)));
        // Same seed as linear, so the same uniforms, stretched to [0, 3).
        let linear = builtin("linear").unwrap();
        assert_eq!(t.value(0, 0), linear.value(0, 0) * 1.5);
        let (b, m) = fit(&t);
        assert!(
            (b - 1.0).abs() < 1.0 && (m - 0.5).abs() < 0.6,
            "fit ({b}, {m})"
        );
    }

    #[test]
    fn iris_is_fishers() {
        let t = builtin("iris").unwrap();
        assert_eq!(t.rows(), 150);
        assert_eq!(
            t.columns(),
            [
                "sepal_length",
                "sepal_width",
                "petal_length",
                "petal_width",
                "species",
                "virginica"
            ]
        );
        let virginica = t.column(t.column_index("virginica").unwrap());
        assert_eq!(virginica.iter().filter(|&&v| v == 1.0).count(), 50);
        assert_eq!(virginica.iter().filter(|&&v| v == 0.0).count(), 100);
        let species = t.column(t.column_index("species").unwrap());
        for (s, v) in species.iter().zip(&virginica) {
            assert_eq!(*v == 1.0, *s == 2.0);
        }
        assert_eq!(t.row(0), &[5.1, 3.5, 1.4, 0.2, 0.0, 0.0]);
    }
}
