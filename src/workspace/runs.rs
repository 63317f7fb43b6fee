//! The runs and their outcomes: every run descends the function from the start point on the CPU
//! (f64, `optim::run_with`), rerun whenever anything they depend on changes, so the panels never
//! see stale data; and what is read off them (the last step, a ball, the plots' series).

use super::Workspace;
use super::state::RunConfig;
use crate::function::Function;
use crate::optim::{Divergence, Hyperparameters, Status, Trajectory, prediction_ratio, run_with};

/// A run stops early once ‖∇f‖ falls to this: it has converged as far as f64 can show.
pub const CONVERGED_TOL: f64 = 1e-8;
/// The most steps a run may take: every change reruns every run, live while dragging.
pub const MAX_STEPS: usize = 100_000;

/// One line of a plot: (name, colour, [x, y] rows).
pub type Series = (String, [f32; 4], Vec<[f64; 2]>);

/// The outcome of one run: its trajectory, or why it could not start (a bad hyperparameter).
#[derive(Clone, Debug)]
pub enum RunOutcome {
    Ran(Trajectory),
    Invalid(String),
}

/// One step of a run seen through the tangent plane at its start (the inspector's forecast).
#[derive(Clone, Debug, PartialEq)]
pub struct NextStep {
    /// Which run (index into the runs).
    pub run: usize,
    /// f where the step starts.
    pub value: f64,
    /// f + ∇f·Δx: the tangent plane's value at the next point.
    pub predicted: f64,
    /// f at the next point.
    pub actual: f64,
    /// (actual − f) / (predicted − f), where the prediction is not 0.
    pub rho: Option<f64>,
}

/// Every run's outcome, in the order of the state's runs.
#[derive(Debug, Default)]
pub struct Runs {
    outcomes: Vec<RunOutcome>,
}

impl Runs {
    /// Runs every one of `runs` on `function` from `start` (its first `dims` coordinates).
    pub fn run_all(
        &mut self,
        function: &Function,
        runs: &[RunConfig],
        start: [f64; 2],
        max_steps: usize,
    ) {
        let start: Vec<f64> = start[..function.dims()].to_vec();
        self.outcomes = runs
            .iter()
            .map(|r| {
                match run_with(
                    function,
                    &r.hyper,
                    &r.options,
                    &start,
                    max_steps,
                    Some(CONVERGED_TOL),
                ) {
                    Ok(trajectory) => RunOutcome::Ran(trajectory),
                    Err(error) => RunOutcome::Invalid(error.to_string()),
                }
            })
            .collect();
    }

    pub fn outcomes(&self) -> &[RunOutcome] {
        &self.outcomes
    }

    /// The unmuted runs that ran, with their index: what the view, the plots and the
    /// inspector follow.
    pub fn unmuted<'a>(
        &'a self,
        runs: &'a [RunConfig],
    ) -> impl Iterator<Item = (usize, &'a RunConfig, &'a Trajectory)> {
        runs.iter().zip(&self.outcomes).enumerate().filter_map(
            |(i, (run, outcome))| match outcome {
                RunOutcome::Ran(t) if !run.muted => Some((i, run, t)),
                _ => None,
            },
        )
    }

    /// The last step any unmuted run reached.
    pub fn last_step(&self, runs: &[RunConfig]) -> usize {
        self.unmuted(runs)
            .map(|(_, _, t)| t.steps.len().saturating_sub(1))
            .max()
            .unwrap_or(0)
    }

    /// Where run `index`'s ball is at `step` (clamped to its run).
    pub fn ball_at(&self, index: usize, step: usize) -> Option<Vec<f64>> {
        match self.outcomes.get(index)? {
            RunOutcome::Ran(t) => {
                let step = step.min(t.steps.len().checked_sub(1)?);
                Some(t.steps[step].point.clone())
            }
            RunOutcome::Invalid(_) => None,
        }
    }

    /// The first unmuted run's step out of `step`, if it took one: what the tangent plane at
    /// the ball predicted for the next value against what it was.
    pub fn next_step(&self, runs: &[RunConfig], step: usize) -> Option<NextStep> {
        let (run, _, t) = self.unmuted(runs).find(|(_, _, t)| t.steps.len() > 1)?;
        let from = t.steps.get(step)?;
        let to = t.steps.get(step + 1)?;
        let predicted_change = crate::optim::predicted_change(from, to);
        Some(NextStep {
            run,
            value: from.value,
            predicted: from.value + predicted_change,
            actual: to.value,
            rho: prediction_ratio(from, to),
        })
    }

    /// One line per unmuted run, its points made by `points` from the run's rows (non-finite
    /// values dropped).
    pub fn series_of(
        &self,
        runs: &[RunConfig],
        points: impl Fn(&[crate::optim::Step]) -> Vec<[f64; 2]>,
    ) -> Vec<Series> {
        self.unmuted(runs)
            .map(|(i, run, t)| {
                (
                    format!(
                        "{} {} (lr {})",
                        i + 1,
                        run.hyper.kind,
                        crate::format::number(run.hyper.lr)
                    ),
                    run.color,
                    points(&t.steps)
                        .into_iter()
                        .filter(|[_, v]| v.is_finite())
                        .collect(),
                )
            })
            .collect()
    }
}

/// The run the swarm follows: the first one not muted, if its settings are valid.
pub fn first_unmuted_valid(runs: &[RunConfig]) -> Option<(usize, Hyperparameters)> {
    runs.iter()
        .enumerate()
        .find(|(_, r)| !r.muted)
        .filter(|(_, r)| r.hyper.validate().is_ok())
        .map(|(i, r)| (i, r.hyper))
}

/// Editing the runs: each change reruns them.
impl Workspace {
    pub fn outcomes(&self) -> &[RunOutcome] {
        self.runs.outcomes()
    }

    /// The unmuted runs that ran, with their index and settings: what the view, the plots, the
    /// table and the inspector show.
    pub fn shown_runs(&self) -> impl Iterator<Item = (usize, &RunConfig, &Trajectory)> {
        self.runs.unmuted(&self.state.runs)
    }

    /// Replaces every run (a lesson, a loaded file) and reruns.
    pub fn set_runs(&mut self, runs: Vec<RunConfig>) {
        self.state.runs = runs;
        self.recompute();
    }

    /// Adds a run with the first optimizer not yet in use, so that a new run is visibly new.
    pub fn add_run(&mut self) {
        let used: Vec<_> = self.state.runs.iter().map(|r| r.hyper.kind).collect();
        let kind = crate::optim::OptimizerKind::ALL
            .into_iter()
            .find(|k| !used.contains(k))
            .unwrap_or(crate::optim::OptimizerKind::Sgd);
        let lr = super::state::usual_lr(kind);
        let index = self.state.runs.len();
        self.state.runs.push(RunConfig::new(kind, lr, index));
        self.recompute();
    }

    pub fn duplicate_run(&mut self, index: usize) {
        if let Some(run) = self.state.runs.get(index).copied() {
            let mut copy = run;
            copy.color = RunConfig::new(run.hyper.kind, 0.0, self.state.runs.len()).color;
            self.state.runs.insert(index + 1, copy);
            self.recompute();
        }
    }

    pub fn remove_run(&mut self, index: usize) {
        if index < self.state.runs.len() {
            self.state.runs.remove(index);
            self.recompute();
        }
    }

    /// Replaces a run's settings (optimizer, hyperparameters, mute) and reruns.
    pub fn update_run(&mut self, index: usize, config: RunConfig) {
        if let Some(run) = self.state.runs.get_mut(index)
            && *run != config
        {
            *run = config;
            self.recompute();
        }
    }

    pub fn set_max_steps(&mut self, max_steps: usize) {
        let max_steps = max_steps.clamp(1, MAX_STEPS);
        if self.state.playback.max_steps != max_steps {
            self.state.playback.max_steps = max_steps;
            self.recompute();
        }
    }

    /// Where run `index`'s ball is: its point at the current step.
    pub fn ball(&self, index: usize) -> Option<Vec<f64>> {
        self.runs.ball_at(index, self.current_step())
    }

    /// The first unmuted run's step out of the current one, if it took one: what the tangent
    /// plane at the ball predicted for the next value against what it was.
    pub fn next_step(&self) -> Option<NextStep> {
        self.runs.next_step(&self.state.runs, self.current_step())
    }

    /// One line per unmuted run for the plot: (name, colour, [step, f(x_step)] rows).
    pub fn plot_series(&self) -> Vec<Series> {
        self.series(|s| s.value)
    }

    /// Like [`Workspace::plot_series`], with ‖∇f(x_step)‖.
    pub fn gradient_norm_series(&self) -> Vec<Series> {
        self.series(crate::optim::Step::grad_norm)
    }

    /// The learning rate each step used, at the step it started from: lr(t) moves x_t to
    /// x_{t+1} (a schedule's curve, or the steps a line search took).
    pub fn lr_series(&self) -> Vec<Series> {
        self.runs.series_of(&self.state.runs, |steps| {
            steps
                .iter()
                .filter_map(|s| Some([s.step as f64 - 1.0, s.lr?]))
                .collect()
        })
    }

    /// ρ_t = actual / predicted change of f for the step into x_t: how far the tangent plane
    /// could be trusted over each step (1: fully; below 0: the step went uphill).
    pub fn rho_series(&self) -> Vec<Series> {
        self.runs.series_of(&self.state.runs, |steps| {
            steps
                .windows(2)
                .filter_map(|w| Some([w[1].step as f64, prediction_ratio(&w[0], &w[1])?]))
                .collect()
        })
    }

    fn series(&self, quantity: impl Fn(&crate::optim::Step) -> f64) -> Vec<Series> {
        self.runs.series_of(&self.state.runs, |steps| {
            steps.iter().map(|s| [s.step as f64, quantity(s)]).collect()
        })
    }

    /// Whether a lattice of swarm balls rolls with the playback: asked for, over a 2-D
    /// function, with a valid run to follow.
    pub fn balls_wanted(&self) -> bool {
        self.state.swarm.balls
            && self.dims() == 2
            && first_unmuted_valid(&self.state.runs).is_some()
    }

    /// Reruns every run from the start point; called after any change that affects them.
    /// Balls that sat at the end of their runs stay at the end of the new ones (the whole
    /// paths stay in view while dragging); a paused or playing step in the middle is kept.
    pub fn recompute(&mut self) {
        let at_end = self.current_step() >= self.last_step();
        self.run_all();
        if at_end && !self.state.playback.playing {
            // Never lower: a run muted now may come back, and its ball belongs at its end.
            self.state.playback.step = self.state.playback.step.max(self.last_step());
        }
    }

    pub(super) fn run_all(&mut self) {
        let state = &self.state;
        self.runs.run_all(
            &self.func.function,
            &state.runs,
            state.start,
            state.playback.max_steps,
        );
    }
}

/// A run's name in the view's legend: optimizer and lr, and its batch size where it has one
/// (the paths of a batch, a mini-batch and a stochastic run differ by nothing else).
pub fn run_legend(run: &RunConfig) -> String {
    let label = crate::scene::run_label(run.hyper.kind, run.hyper.lr);
    match run.options.batch {
        Some(batch) => format!("{label}, batch {}", batch.size),
        None => label,
    }
}

/// A run's status in plain words, for the runs panel.
pub fn describe_outcome(outcome: &RunOutcome) -> (String, bool) {
    match outcome {
        RunOutcome::Invalid(message) => (format!("cannot run: {message}"), true),
        RunOutcome::Ran(t) => {
            let steps = t.steps.len().saturating_sub(1);
            match t.status {
                Status::Converged => (format!("converged after {steps} steps"), false),
                Status::MaxSteps => match crate::optim::diverging(t) {
                    // Finite still, but blowing up: no "slow progress" about it.
                    Some(growth) => (
                        format!(
                            "diverging: after {steps} steps the distance from the start grows \
                             ×{} a step — the learning rate is too large here (the Inspector's \
                             2/λmax says how large it may be)",
                            crate::format::number(growth)
                        ),
                        true,
                    ),
                    None => (
                        format!(
                            "still moving after {steps} steps (‖∇f‖ not yet below {})",
                            crate::format::number(CONVERGED_TOL)
                        ),
                        false,
                    ),
                },
                Status::Diverged => {
                    let why = crate::optim::divergence(t).unwrap_or(Divergence::Overshoot);
                    (format!("diverged at step {steps}: {}", why.advice()), true)
                }
                Status::SingularHessian => (
                    format!(
                        "stopped at step {steps}: the Hessian is singular there, so Newton's step \
                         is undefined — start elsewhere or pick another optimizer"
                    ),
                    true,
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;
    use crate::workspace::tests::workspace_with;

    #[test]
    fn a_blow_up_is_called_diverging_at_every_scale_not_still_moving() {
        // x² + 3y² with sgd at lr 0.4 > 2/λmax = 1/3: finite for 200 steps, growing ×1.4 a step.
        // The same run on c·f(x/s) (lr scaled by s²/c) is the same run, scaled.
        for (c, s) in [(1.0, 1.0), (1e-6, 1.0), (1e6, 1e3), (1.0, 1e-3)] {
            let source = format!("{c}*((x/{s})^2 + 3*(y/{s})^2)");
            let lr = 0.4 * s * s / c;
            let mut workspace =
                workspace_with(&source, vec![RunConfig::new(OptimizerKind::Sgd, lr, 0)]);
            workspace.set_start(2.0 * s, 1.0 * s);
            let outcome = &workspace.outcomes()[0];
            let RunOutcome::Ran(t) = outcome else {
                panic!("{source}: the run did not run");
            };
            assert_eq!(t.status, Status::MaxSteps, "{source}: still finite");
            let (text, bad) = describe_outcome(outcome);
            assert!(text.starts_with("diverging:"), "{source}: {text}");
            assert!(bad);
        }
        // A slow but steady run is still moving, not diverging.
        let mut workspace = workspace_with(
            "x^2 + 3*y^2",
            vec![RunConfig::new(OptimizerKind::Sgd, 0.0001, 0)],
        );
        workspace.set_start(2.0, 1.0);
        let (text, _) = describe_outcome(&workspace.outcomes()[0]);
        assert!(text.starts_with("still moving"), "{text}");
    }

    #[test]
    fn a_diverging_run_says_so_plainly() {
        let workspace = workspace_with(
            "x^2 + y^2",
            vec![RunConfig::new(OptimizerKind::Sgd, 5.0, 0)],
        );
        let (text, bad) = describe_outcome(&workspace.outcomes()[0]);
        assert!(bad && text.contains("diverged") && text.contains("try a smaller learning rate"));
    }

    #[test]
    fn muting_a_long_run_and_back_keeps_the_balls_at_the_end() {
        let mut workspace = workspace_with(
            "x^2 + y^2",
            vec![
                RunConfig::new(OptimizerKind::Newton, 1.0, 0),
                RunConfig::new(OptimizerKind::Sgd, 0.001, 1),
            ],
        );
        let long = workspace.last_step();
        let mut muted = workspace.state.runs[1];
        muted.muted = true;
        workspace.update_run(1, muted);
        muted.muted = false;
        workspace.update_run(1, muted);
        assert_eq!(workspace.current_step(), long);
    }
}
