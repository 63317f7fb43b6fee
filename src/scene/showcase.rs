//! A scene with every overlay switched on (tangent plane, derivative lines, arrows, minima,
//! axes, four optimizer runs), for benchmarks and demos that need a representative frame.

use super::desc::{SceneDesc, TrajectoryOverlay};
use super::space::Domain;
use crate::function::Function;
use crate::optim::{Hyperparameters, OptimizerKind, run};
use crate::presets::Preset;

/// The four runs of the showcase: (optimizer, learning rate).
const RUNS: [(OptimizerKind, f64); 4] = [
    (OptimizerKind::Sgd, 0.01),
    (OptimizerKind::Momentum, 0.002),
    (OptimizerKind::Rmsprop, 0.05),
    (OptimizerKind::Adam, 0.2),
];

/// `preset` (2-D) over its domain with all overlays: A at a point a fifth of the way from the
/// domain's centre to its corner, four runs of 100 steps from the mirror-image point, the
/// preset's minima and the axes; the camera fitted for `aspect`. None for a 1-D preset.
pub fn showcase(preset: &Preset, aspect: f32) -> Option<(Function, SceneDesc)> {
    let y = preset.domain.y?;
    let function = preset.function();
    let domain = Domain::new((preset.domain.x[0], preset.domain.x[1]), (y[0], y[1]));
    let mut scene = SceneDesc::new(&function, domain, false, aspect);
    let [cx, cy] = domain.center();
    let (dx, dy) = (domain.width() * 0.1, domain.height() * 0.1);
    scene.set_point(&function, cx + dx, cy + dy);
    scene.set_minima(&function, &preset.minima);
    let start = [cx - dx, cy - dy];
    for (index, (kind, lr)) in RUNS.into_iter().enumerate() {
        // The hyperparameters are valid constants and the start is finite and 2-D, so `run`
        // can only fail if that changes; a failed run is then simply left out.
        if let Ok(trajectory) = run(
            &function,
            &Hyperparameters::new(kind, lr),
            &start,
            100,
            None,
        ) {
            scene
                .overlays
                .trajectories
                .push(TrajectoryOverlay::from_trajectory(&trajectory, index));
        }
    }
    Some((function, scene))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn showcase_has_every_overlay() {
        let preset = crate::presets::find("himmelblau").unwrap();
        let (_, scene) = showcase(preset, 1.6).unwrap();
        assert!(scene.overlays.at.is_some());
        assert_eq!(scene.overlays.trajectories.len(), 4);
        assert_eq!(scene.overlays.minima.len(), 4);
        let primitives = scene.primitives();
        assert!(!primitives.triangles.is_empty() && primitives.balls.len() >= 9);
        assert!(showcase(crate::presets::find("square").unwrap(), 1.6).is_none());
    }
}
