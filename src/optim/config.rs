//! Which optimizer to run and with which hyperparameters: CLI names, PyTorch's defaults, the flags
//! each optimizer takes, and range checks. Serialisable so the CLI can build it from flags and the
//! app can keep it in a saved session.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::OptimError;

/// The optimizers gradscape offers; serde and the CLI both use the lowercase names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Nesterov,
    Adagrad,
    Rmsprop,
    Adam,
    Newton,
    Adamw,
    Adamax,
    Nadam,
    Radam,
    Adadelta,
}

/// Every numeric hyperparameter name `Hyperparameters::set` knows, as CLI flags without the `--`.
pub const HYPERPARAMETER_NAMES: [&str; 9] = [
    "lr",
    "momentum",
    "alpha",
    "beta1",
    "beta2",
    "eps",
    "rho",
    "weight-decay",
    "momentum-decay",
];

/// The on/off hyperparameters (`--amsgrad`, `--centered`), set with `Hyperparameters::set_switch`.
pub const SWITCH_NAMES: [&str; 2] = ["amsgrad", "centered"];

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 12] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adagrad,
        OptimizerKind::Rmsprop,
        OptimizerKind::Adam,
        OptimizerKind::Newton,
        OptimizerKind::Adamw,
        OptimizerKind::Adamax,
        OptimizerKind::Nadam,
        OptimizerKind::Radam,
        OptimizerKind::Adadelta,
    ];

    /// The CLI and serde name.
    pub const fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::Rmsprop => "rmsprop",
            OptimizerKind::Adam => "adam",
            OptimizerKind::Newton => "newton",
            OptimizerKind::Adamw => "adamw",
            OptimizerKind::Adamax => "adamax",
            OptimizerKind::Nadam => "nadam",
            OptimizerKind::Radam => "radam",
            OptimizerKind::Adadelta => "adadelta",
        }
    }

    /// One line for a tooltip or `--help`.
    pub const fn description(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "Plain gradient descent: x -= lr·∇f.",
            OptimizerKind::Momentum => {
                "Heavy-ball momentum: a velocity that sums past gradients (torch SGD, momentum)."
            }
            OptimizerKind::Nesterov => {
                "Nesterov momentum: steps along the gradient plus the velocity (torch SGD, nesterov=True)."
            }
            OptimizerKind::Adagrad => {
                "Adagrad: each coordinate's step shrinks with the sum of its squared gradients so far."
            }
            OptimizerKind::Rmsprop => {
                "RMSprop: each coordinate's step is scaled by a running average of squared gradients."
            }
            OptimizerKind::Adam => {
                "Adam: momentum plus RMSprop-style scaling, with bias correction for the early steps."
            }
            OptimizerKind::Newton => {
                "Newton's method: x -= lr·H⁻¹∇f with the exact Hessian; one step to a quadratic's minimum."
            }
            OptimizerKind::Adamw => {
                "AdamW: Adam whose weight decay shrinks x directly instead of joining the gradient."
            }
            OptimizerKind::Adamax => {
                "Adamax: Adam with the running maximum of |gradient| in place of the squared average."
            }
            OptimizerKind::Nadam => {
                "NAdam: Adam with Nesterov momentum, looking one step ahead along the velocity."
            }
            OptimizerKind::Radam => {
                "RAdam: Adam that takes plain momentum steps until its variance estimate can be trusted."
            }
            OptimizerKind::Adadelta => {
                "Adadelta: steps sized by the ratio of running averages of past steps and gradients."
            }
        }
    }

    /// The numeric hyperparameter flags (besides `lr`, which all take) this optimizer accepts,
    /// in the order of CLI.md's table.
    pub const fn flags(self) -> &'static [&'static str] {
        match self {
            OptimizerKind::Newton => &[],
            OptimizerKind::Sgd => &["weight-decay"],
            OptimizerKind::Momentum | OptimizerKind::Nesterov => &["momentum", "weight-decay"],
            OptimizerKind::Adagrad => &["eps", "weight-decay"],
            OptimizerKind::Rmsprop => &["alpha", "eps", "momentum", "weight-decay"],
            OptimizerKind::Adam
            | OptimizerKind::Adamw
            | OptimizerKind::Adamax
            | OptimizerKind::Radam => &["beta1", "beta2", "eps", "weight-decay"],
            OptimizerKind::Nadam => &["beta1", "beta2", "eps", "momentum-decay", "weight-decay"],
            OptimizerKind::Adadelta => &["rho", "eps", "weight-decay"],
        }
    }

    /// The on/off flags this optimizer accepts (torch's `amsgrad`, `centered`).
    pub const fn switches(self) -> &'static [&'static str] {
        match self {
            OptimizerKind::Adam | OptimizerKind::Adamw => &["amsgrad"],
            OptimizerKind::Rmsprop => &["centered"],
            _ => &[],
        }
    }

    /// Whether `--flag` is meaningful for this optimizer (`lr` always is).
    pub fn takes(self, flag: &str) -> bool {
        flag == "lr" || self.flags().contains(&flag) || self.switches().contains(&flag)
    }

    /// PyTorch's eps: Adagrad 1e-10, Adadelta 1e-6, the others 1e-8.
    const fn default_eps(self) -> f64 {
        match self {
            OptimizerKind::Adagrad => 1e-10,
            OptimizerKind::Adadelta => 1e-6,
            _ => 1e-8,
        }
    }

    /// torch SGD's momentum is the point of momentum and nesterov; RMSprop's defaults to 0 (off).
    const fn default_momentum(self) -> f64 {
        match self {
            OptimizerKind::Rmsprop => 0.0,
            _ => 0.9,
        }
    }

    /// AdamW decays by 0.01 unless told otherwise; every other torch optimizer by 0.
    const fn default_weight_decay(self) -> f64 {
        match self {
            OptimizerKind::Adamw => 0.01,
            _ => 0.0,
        }
    }
}

display_as_name!(OptimizerKind);

impl FromStr for OptimizerKind {
    type Err = OptimError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        OptimizerKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| OptimError::UnknownOptimizer { name: s.to_owned() })
    }
}

/// An optimizer and all its hyperparameters. Fields the chosen kind does not use keep PyTorch's
/// defaults, so switching kinds in the app never lands on a nonsense value. Read through
/// [`HyperparametersFile`] so that sessions saved before a field existed still load.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "HyperparametersFile")]
pub struct Hyperparameters {
    pub kind: OptimizerKind,
    pub lr: f64,
    /// Momentum and Nesterov: torch SGD's `momentum`.
    pub momentum: f64,
    /// RMSprop's smoothing constant.
    pub alpha: f64,
    /// Adam's `betas[0]`.
    pub beta1: f64,
    /// Adam's `betas[1]`.
    pub beta2: f64,
    /// Adagrad, RMSprop, Adadelta and the Adam family: added to the denominator.
    pub eps: f64,
    /// Adadelta's decay of its two running averages.
    pub rho: f64,
    /// torch's `weight_decay`: L2 added to the gradient, or (AdamW) x shrunk by lr·wd each step.
    pub weight_decay: f64,
    /// NAdam's `momentum_decay` (ψ in the paper's momentum schedule).
    pub momentum_decay: f64,
    /// Adam and AdamW: divide by the running maximum of the second moment.
    pub amsgrad: bool,
    /// RMSprop: normalise by the variance estimate instead of the raw second moment.
    pub centered: bool,
}

/// What a session file may hold: the fields that came later are optional, and their absence
/// means the file predates them.
#[derive(Deserialize)]
struct HyperparametersFile {
    kind: OptimizerKind,
    lr: f64,
    momentum: f64,
    alpha: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    rho: Option<f64>,
    weight_decay: Option<f64>,
    momentum_decay: Option<f64>,
    #[serde(default)]
    amsgrad: bool,
    #[serde(default)]
    centered: bool,
}

impl From<HyperparametersFile> for Hyperparameters {
    fn from(file: HyperparametersFile) -> Self {
        let defaults = Hyperparameters::new(file.kind, file.lr);
        // Before RMSprop took --momentum, every saved run carried SGD's 0.9 in that field;
        // an RMSprop run from then ran without momentum, and must load that way.
        let momentum = if file.weight_decay.is_none() && file.kind == OptimizerKind::Rmsprop {
            0.0
        } else {
            file.momentum
        };
        Hyperparameters {
            kind: file.kind,
            lr: file.lr,
            momentum,
            alpha: file.alpha,
            beta1: file.beta1,
            beta2: file.beta2,
            eps: file.eps,
            rho: file.rho.unwrap_or(defaults.rho),
            weight_decay: file.weight_decay.unwrap_or(defaults.weight_decay),
            momentum_decay: file.momentum_decay.unwrap_or(defaults.momentum_decay),
            amsgrad: file.amsgrad,
            centered: file.centered,
        }
    }
}

impl Hyperparameters {
    /// `kind` at learning rate `lr` with PyTorch's defaults for everything else. Not validated:
    /// call [`Hyperparameters::validate`] (the runner and [`super::Optimizer::new`] do).
    pub const fn new(kind: OptimizerKind, lr: f64) -> Self {
        Hyperparameters {
            kind,
            lr,
            momentum: kind.default_momentum(),
            alpha: 0.99,
            beta1: 0.9,
            beta2: 0.999,
            eps: kind.default_eps(),
            rho: 0.9,
            weight_decay: kind.default_weight_decay(),
            momentum_decay: 4e-3,
            amsgrad: false,
            centered: false,
        }
    }

    /// Another optimizer at the same learning rate, with that optimizer's defaults.
    pub const fn with_kind(self, kind: OptimizerKind) -> Self {
        Hyperparameters::new(kind, self.lr)
    }

    /// The value of `--name` if this optimizer takes it.
    pub fn get(&self, name: &str) -> Option<f64> {
        let name = strip_dashes(name);
        if !self.kind.takes(name) {
            return None;
        }
        match name {
            "lr" => Some(self.lr),
            "momentum" => Some(self.momentum),
            "alpha" => Some(self.alpha),
            "beta1" => Some(self.beta1),
            "beta2" => Some(self.beta2),
            "eps" => Some(self.eps),
            "rho" => Some(self.rho),
            "weight-decay" => Some(self.weight_decay),
            "momentum-decay" => Some(self.momentum_decay),
            _ => None,
        }
    }

    /// The state of `--name` (amsgrad, centered) if this optimizer takes it.
    pub fn get_switch(&self, name: &str) -> Option<bool> {
        let name = strip_dashes(name);
        if !self.kind.switches().contains(&name) {
            return None;
        }
        match name {
            "amsgrad" => Some(self.amsgrad),
            "centered" => Some(self.centered),
            _ => None,
        }
    }

    /// Turns `--name` (amsgrad, centered) on or off, refusing it where the optimizer does not
    /// take it; on error nothing changes.
    pub fn set_switch(&mut self, name: &str, on: bool) -> Result<(), OptimError> {
        let name = strip_dashes(name);
        let Some(&known) = SWITCH_NAMES.iter().find(|&&n| n == name) else {
            return Err(OptimError::UnknownHyperparameter {
                kind: self.kind,
                name: name.to_owned(),
            });
        };
        if !self.kind.switches().contains(&known) {
            return Err(OptimError::NotTaken {
                kind: self.kind,
                name: known.to_owned(),
            });
        }
        match known {
            "amsgrad" => self.amsgrad = on,
            _ => self.centered = on,
        }
        Ok(())
    }

    /// `(flag, value)` for `lr` and each flag this optimizer takes, in CLI order.
    pub fn values(&self) -> Vec<(&'static str, f64)> {
        std::iter::once("lr")
            .chain(self.kind.flags().iter().copied())
            .filter_map(|flag| self.get(flag).map(|v| (flag, v)))
            .collect()
    }

    /// Sets `--name` (with or without the dashes), refusing flags this optimizer does not take
    /// and values out of range; on error nothing changes.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), OptimError> {
        let name = strip_dashes(name);
        let Some(&known) = HYPERPARAMETER_NAMES.iter().find(|&&n| n == name) else {
            if SWITCH_NAMES.contains(&name) && self.kind.takes(name) {
                return Err(OptimError::NotANumber {
                    name: name.to_owned(),
                });
            }
            return Err(OptimError::UnknownHyperparameter {
                kind: self.kind,
                name: name.to_owned(),
            });
        };
        if !self.kind.takes(known) {
            return Err(OptimError::NotTaken {
                kind: self.kind,
                name: known.to_owned(),
            });
        }
        check(known, value)?;
        let field = match known {
            "lr" => &mut self.lr,
            "momentum" => &mut self.momentum,
            "alpha" => &mut self.alpha,
            "beta1" => &mut self.beta1,
            "beta2" => &mut self.beta2,
            "rho" => &mut self.rho,
            "weight-decay" => &mut self.weight_decay,
            "momentum-decay" => &mut self.momentum_decay,
            _ => &mut self.eps,
        };
        *field = value;
        Ok(())
    }

    /// Checks every field, not only the ones the kind uses, so a hand-edited session file with a
    /// stray NaN is caught before a kind switch could make it matter.
    pub fn validate(&self) -> Result<(), OptimError> {
        check("lr", self.lr)?;
        check("momentum", self.momentum)?;
        check("alpha", self.alpha)?;
        check("beta1", self.beta1)?;
        check("beta2", self.beta2)?;
        check("eps", self.eps)?;
        check("rho", self.rho)?;
        check("weight-decay", self.weight_decay)?;
        check("momentum-decay", self.momentum_decay)?;
        // torch.optim.SGD refuses nesterov=True without momentum; so do we.
        if self.kind == OptimizerKind::Nesterov && self.momentum == 0.0 {
            return Err(OptimError::OutOfRange {
                name: "momentum",
                value: self.momentum,
                requirement: "> 0 for nesterov (as torch requires)",
            });
        }
        Ok(())
    }
}

fn strip_dashes(name: &str) -> &str {
    name.trim().trim_start_matches("--")
}

/// Range rules. torch lets SGD's momentum and RMSprop's alpha reach 1 and beyond, but such
/// values only make a run stand still or blow up, so every decay rate here stays in [0, 1).
fn check(name: &'static str, value: f64) -> Result<(), OptimError> {
    let (ok, requirement) = match name {
        "lr" => (value.is_finite() && value > 0.0, "finite and > 0"),
        "eps" | "weight-decay" | "momentum-decay" => {
            (value.is_finite() && value >= 0.0, "finite and >= 0")
        }
        _ => ((0.0..1.0).contains(&value), "in [0, 1)"),
    };
    if ok {
        Ok(())
    } else {
        Err(OptimError::OutOfRange {
            name,
            value,
            requirement,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesterov_needs_momentum_as_in_torch() {
        let mut h = Hyperparameters::new(OptimizerKind::Nesterov, 0.1);
        assert!(h.validate().is_ok());
        h.set("momentum", 0.0).ok();
        let err = h.validate().unwrap_err().to_string();
        assert!(err.contains("nesterov"), "{err}");
    }

    #[test]
    fn names_round_trip_through_from_str_and_serde() {
        for kind in OptimizerKind::ALL {
            assert_eq!(kind.name().parse::<OptimizerKind>(), Ok(kind));
            assert_eq!(kind.to_string(), kind.name());
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<OptimizerKind>(&json).unwrap(), kind);
            assert!(!kind.description().is_empty());
        }
        assert_eq!("ADAM".parse::<OptimizerKind>(), Ok(OptimizerKind::Adam));
    }

    #[test]
    fn unknown_optimizer_lists_valid_names() {
        let err = "adamz".parse::<OptimizerKind>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("'adamz'"), "{msg}");
        assert!(
            msg.contains(
                "sgd, momentum, nesterov, adagrad, rmsprop, adam, newton, adamw, adamax, nadam, \
                 radam, adadelta"
            ),
            "{msg}"
        );
    }

    #[test]
    fn flags_per_kind() {
        use OptimizerKind::*;
        assert_eq!(Sgd.flags(), &["weight-decay"]);
        assert_eq!(Newton.flags(), &[] as &[&str]);
        assert_eq!(Momentum.flags(), &["momentum", "weight-decay"]);
        assert_eq!(Nesterov.flags(), &["momentum", "weight-decay"]);
        assert_eq!(Adagrad.flags(), &["eps", "weight-decay"]);
        assert_eq!(
            Rmsprop.flags(),
            &["alpha", "eps", "momentum", "weight-decay"]
        );
        assert_eq!(Adam.flags(), &["beta1", "beta2", "eps", "weight-decay"]);
        assert_eq!(Adamw.flags(), Adam.flags());
        assert_eq!(
            Nadam.flags(),
            &["beta1", "beta2", "eps", "momentum-decay", "weight-decay"]
        );
        assert_eq!(Adadelta.flags(), &["rho", "eps", "weight-decay"]);
        assert_eq!(Adam.switches(), &["amsgrad"]);
        assert_eq!(Adamw.switches(), &["amsgrad"]);
        assert_eq!(Rmsprop.switches(), &["centered"]);
        for kind in OptimizerKind::ALL {
            assert!(kind.takes("lr"));
            // Every optimizer but newton takes torch's weight decay.
            assert_eq!(kind.takes("weight-decay"), kind != Newton, "{kind}");
            for flag in kind.flags() {
                assert!(HYPERPARAMETER_NAMES.contains(flag));
            }
            for flag in kind.switches() {
                assert!(SWITCH_NAMES.contains(flag));
            }
        }
    }

    #[test]
    fn new_has_pytorch_defaults() {
        let adam = Hyperparameters::new(OptimizerKind::Adam, 0.01);
        assert_eq!(
            adam.values(),
            vec![
                ("lr", 0.01),
                ("beta1", 0.9),
                ("beta2", 0.999),
                ("eps", 1e-8),
                ("weight-decay", 0.0)
            ]
        );
        assert_eq!(adam.get_switch("amsgrad"), Some(false));
        let adamw = Hyperparameters::new(OptimizerKind::Adamw, 0.01);
        assert_eq!(adamw.get("weight-decay"), Some(0.01));
        let nadam = Hyperparameters::new(OptimizerKind::Nadam, 0.01);
        assert_eq!(nadam.get("momentum-decay"), Some(0.004));
        let adadelta = Hyperparameters::new(OptimizerKind::Adadelta, 1.0);
        assert_eq!(
            adadelta.values(),
            vec![
                ("lr", 1.0),
                ("rho", 0.9),
                ("eps", 1e-6),
                ("weight-decay", 0.0)
            ]
        );
        let adagrad = Hyperparameters::new(OptimizerKind::Adagrad, 0.1);
        assert_eq!(
            adagrad.values(),
            vec![("lr", 0.1), ("eps", 1e-10), ("weight-decay", 0.0)]
        );
        let rms = Hyperparameters::new(OptimizerKind::Rmsprop, 0.1);
        assert_eq!(
            rms.values(),
            vec![
                ("lr", 0.1),
                ("alpha", 0.99),
                ("eps", 1e-8),
                ("momentum", 0.0),
                ("weight-decay", 0.0)
            ]
        );
        assert_eq!(rms.get_switch("centered"), Some(false));
        let mom = Hyperparameters::new(OptimizerKind::Nesterov, 0.1);
        assert_eq!(
            mom.values(),
            vec![("lr", 0.1), ("momentum", 0.9), ("weight-decay", 0.0)]
        );
        assert_eq!(
            Hyperparameters::new(OptimizerKind::Newton, 0.1).values(),
            vec![("lr", 0.1)]
        );
        assert_eq!(adagrad.with_kind(OptimizerKind::Adam).eps, 1e-8);
        assert_eq!(adagrad.with_kind(OptimizerKind::Adam).lr, 0.1);
        for kind in OptimizerKind::ALL {
            assert_eq!(Hyperparameters::new(kind, 0.5).validate(), Ok(()));
        }
    }

    #[test]
    fn set_accepts_taken_flags_with_or_without_dashes() {
        let mut h = Hyperparameters::new(OptimizerKind::Adam, 0.01);
        h.set("beta1", 0.8).unwrap();
        h.set("--beta2", 0.99).unwrap();
        h.set("eps", 0.0).unwrap();
        h.set("lr", 0.5).unwrap();
        assert_eq!((h.beta1, h.beta2, h.eps, h.lr), (0.8, 0.99, 0.0, 0.5));
        assert_eq!(h.get("beta1"), Some(0.8));
        assert_eq!(h.get("momentum"), None);
    }

    #[test]
    fn set_errors_name_the_accepted_flags() {
        let mut newton = Hyperparameters::new(OptimizerKind::Newton, 0.1);
        let msg = newton.set("weight-decay", 0.5).unwrap_err().to_string();
        assert!(
            msg.contains("newton takes no hyperparameters besides --lr"),
            "{msg}"
        );

        let mut adam = Hyperparameters::new(OptimizerKind::Adam, 0.1);
        let msg = adam.set("momentum", 0.5).unwrap_err().to_string();
        assert_eq!(
            msg,
            "adam takes --beta1, --beta2, --eps, --weight-decay, --amsgrad (not --momentum)"
        );

        let mut rms = Hyperparameters::new(OptimizerKind::Rmsprop, 0.1);
        let msg = rms.set("--beta1", 0.5).unwrap_err().to_string();
        assert_eq!(
            msg,
            "rmsprop takes --alpha, --eps, --momentum, --weight-decay, --centered (not --beta1)"
        );
        let msg = rms.set_switch("amsgrad", true).unwrap_err().to_string();
        assert!(msg.ends_with("(not --amsgrad)"), "{msg}");
        let mut adamax = Hyperparameters::new(OptimizerKind::Adamax, 0.1);
        let msg = adamax
            .set_switch("--amsgrad", true)
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "adamax takes --beta1, --beta2, --eps, --weight-decay (not --amsgrad)"
        );
        let mut adamw = Hyperparameters::new(OptimizerKind::Adamw, 0.1);
        adamw.set_switch("--amsgrad", true).unwrap();
        assert!(adamw.amsgrad);

        let msg = rms.set("gamma", 0.5).unwrap_err().to_string();
        assert_eq!(
            msg,
            "unknown hyperparameter --gamma: rmsprop takes --alpha, --eps, --momentum, \
             --weight-decay, --centered"
        );
        // A refused set leaves everything as it was.
        assert_eq!(rms, Hyperparameters::new(OptimizerKind::Rmsprop, 0.1));
    }

    #[test]
    fn set_and_validate_check_ranges() {
        let mut h = Hyperparameters::new(OptimizerKind::Adam, 0.1);
        for (name, bad) in [
            ("lr", 0.0),
            ("lr", -1.0),
            ("lr", f64::NAN),
            ("lr", f64::INFINITY),
            ("beta1", 1.0),
            ("beta1", -0.1),
            ("beta2", f64::NAN),
            ("eps", -1e-8),
            ("eps", f64::INFINITY),
        ] {
            let err = h.set(name, bad).unwrap_err();
            assert!(
                matches!(err, OptimError::OutOfRange { name: n, .. } if n == name),
                "{name}={bad}: {err}"
            );
        }
        assert_eq!(h, Hyperparameters::new(OptimizerKind::Adam, 0.1));
        assert_eq!(
            h.set("beta1", 1.0).unwrap_err().to_string(),
            "--beta1 must be in [0, 1), got 1"
        );
        h.set("beta1", 0.0).unwrap();

        let mut m = Hyperparameters::new(OptimizerKind::Momentum, 0.1);
        assert!(m.set("momentum", 1.0).is_err());
        m.set("momentum", 0.0).unwrap();
        let mut r = Hyperparameters::new(OptimizerKind::Rmsprop, 0.1);
        assert!(r.set("alpha", 1.0).is_err());

        let mut raw = Hyperparameters::new(OptimizerKind::Sgd, 0.1);
        raw.alpha = f64::NAN;
        assert!(matches!(
            raw.validate(),
            Err(OptimError::OutOfRange { name: "alpha", .. })
        ));
        let msg = Hyperparameters::new(OptimizerKind::Sgd, -2.0)
            .validate()
            .unwrap_err()
            .to_string();
        assert_eq!(msg, "--lr must be finite and > 0, got -2");
    }

    #[test]
    fn a_session_from_before_the_new_optimizers_still_loads() {
        // What sessions held when there were seven optimizers: no rho, weight_decay,
        // momentum_decay, amsgrad or centered, and SGD's 0.9 momentum stored for every kind.
        let old = r#"{"kind":"rmsprop","lr":0.01,"momentum":0.9,"alpha":0.95,"beta1":0.9,"beta2":0.999,"eps":1e-8}"#;
        let h: Hyperparameters = serde_json::from_str(old).unwrap();
        assert_eq!(h.kind, OptimizerKind::Rmsprop);
        assert_eq!((h.lr, h.alpha), (0.01, 0.95));
        // Old RMSprop had no momentum; the stored 0.9 was never used and must stay unused.
        assert_eq!(h.momentum, 0.0);
        assert_eq!((h.weight_decay, h.rho, h.momentum_decay), (0.0, 0.9, 0.004));
        assert!(!h.amsgrad && !h.centered);
        let old_momentum = old.replace("rmsprop", "momentum");
        let h: Hyperparameters = serde_json::from_str(&old_momentum).unwrap();
        assert_eq!(h.momentum, 0.9);
        assert_eq!(h.validate(), Ok(()));
    }

    #[test]
    fn hyperparameters_serde_round_trip() {
        for kind in OptimizerKind::ALL {
            let mut h = Hyperparameters::new(kind, 0.0123);
            if kind == OptimizerKind::Adam {
                h.set("beta2", 0.95).unwrap();
                h.set_switch("amsgrad", true).unwrap();
            }
            if kind == OptimizerKind::Rmsprop {
                h.set("momentum", 0.3).unwrap();
                h.set_switch("centered", true).unwrap();
            }
            let json = serde_json::to_string(&h).unwrap();
            assert!(
                json.contains(&format!("\"kind\":\"{}\"", kind.name())),
                "{json}"
            );
            let back: Hyperparameters = serde_json::from_str(&json).unwrap();
            assert_eq!(back, h);
        }
    }
}
