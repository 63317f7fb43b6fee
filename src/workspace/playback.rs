//! Playback: which step the balls sit on, moved by a step at a time or by the clock while
//! playing. The step itself is persisted (`state::Playback`); what is here is the fraction of a
//! step the clock has run up between frames.

use super::Workspace;
use super::state::Playback;

/// The playback's clock between frames.
#[derive(Debug, Default)]
pub struct Player {
    /// Fractional steps accumulated while playing.
    step_fraction: f64,
}

impl Player {
    /// Stops and goes back to step 0.
    pub fn reset(&mut self, playback: &mut Playback) {
        playback.playing = false;
        playback.step = 0;
        self.step_fraction = 0.0;
    }

    /// Play from `current`; at the end (`last`), play starts over from step 0.
    pub fn toggle_play(&mut self, playback: &mut Playback, current: usize, last: usize) {
        if playback.playing {
            playback.playing = false;
        } else {
            if current >= last {
                playback.step = 0;
            }
            playback.playing = true;
            self.step_fraction = 0.0;
        }
    }

    /// Advances a playing `playback` from `current` by `dt_secs` at its speed; stops at `last`.
    pub fn tick(&mut self, playback: &mut Playback, dt_secs: f64, current: usize, last: usize) {
        if !playback.playing || !dt_secs.is_finite() {
            return;
        }
        self.step_fraction += dt_secs.max(0.0) * playback.speed.max(0.0);
        let whole = self.step_fraction.floor();
        self.step_fraction -= whole;
        playback.step = (current + whole as usize).min(last);
        if playback.step >= last {
            playback.playing = false;
        }
    }

    /// Forgets a partial step (a restored scene starts paused on a whole one).
    pub fn stop(&mut self) {
        self.step_fraction = 0.0;
    }
}

impl Workspace {
    /// The last step any unmuted run reached (or the step budget, while a swarm of balls rolls:
    /// they go on after the runs stop).
    pub fn last_step(&self) -> usize {
        let swarm = if self.balls_wanted() {
            self.state.playback.max_steps
        } else {
            0
        };
        self.runs.last_step(&self.state.runs).max(swarm)
    }

    /// The step the balls sit on, clamped to what exists.
    pub fn current_step(&self) -> usize {
        self.state.playback.step.min(self.last_step())
    }

    pub fn step_forward(&mut self) {
        self.state.playback.playing = false;
        self.state.playback.step = (self.current_step() + 1).min(self.last_step());
    }

    pub fn step_back(&mut self) {
        self.state.playback.playing = false;
        self.state.playback.step = self.current_step().saturating_sub(1);
    }

    pub fn reset(&mut self) {
        self.player.reset(&mut self.state.playback);
    }

    /// Play from where the balls are; at the end, play starts over from step 0.
    pub fn toggle_play(&mut self) {
        let (current, last) = (self.current_step(), self.last_step());
        self.player
            .toggle_play(&mut self.state.playback, current, last);
    }

    /// Advances playback by `dt_secs`; stops at the last step.
    pub fn tick(&mut self, dt_secs: f64) {
        if !self.state.playback.playing {
            return;
        }
        let (current, last) = (self.current_step(), self.last_step());
        self.player
            .tick(&mut self.state.playback, dt_secs, current, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;
    use crate::workspace::{AppState, RunConfig};

    #[test]
    fn the_clock_adds_whole_steps_at_the_speed_and_stops_at_the_last() {
        let mut player = Player::default();
        let mut playback = Playback {
            playing: true,
            speed: 10.0,
            step: 3,
            ..AppState::default().playback
        };
        // 0.25 s at 10 steps/s: two whole steps, half a step carried to the next frame.
        player.tick(&mut playback, 0.25, 3, 100);
        assert_eq!(playback.step, 5);
        player.tick(&mut playback, 0.05, 5, 100);
        assert_eq!(playback.step, 6);
        player.tick(&mut playback, f64::NAN, 6, 100);
        assert_eq!(playback.step, 6);
        player.tick(&mut playback, 100.0, 6, 100);
        assert_eq!((playback.step, playback.playing), (100, false));
        // Play at the end starts over.
        player.toggle_play(&mut playback, 100, 100);
        assert_eq!((playback.step, playback.playing), (0, true));
    }

    #[test]
    fn playback_stops_at_the_last_step_and_restarts_from_zero() {
        let mut workspace = Workspace::new(AppState {
            runs: vec![RunConfig::new(OptimizerKind::Sgd, 0.1, 0)],
            ..AppState::default()
        });
        workspace.set_source("x^2 + y^2");
        workspace.reset();
        workspace.toggle_play();
        workspace.tick(1000.0);
        assert!(!workspace.state.playback.playing);
        assert_eq!(workspace.current_step(), workspace.last_step());
        workspace.toggle_play();
        assert_eq!(workspace.current_step(), 0);
        assert!(workspace.state.playback.playing);
    }
}
