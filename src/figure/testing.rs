//! What the figure tests share: a painter that measures text as the app does, and scenes whose
//! annotations crowd a view.

use egui::Rect;

use crate::function::Function;
use crate::scene::{Domain, SceneDesc, TrajectoryOverlay};

/// Runs `f` with a painter of a context set up as the app's, so that text measures as it
/// is painted.
pub(super) fn with_painter<R>(f: impl FnOnce(&egui::Painter) -> R) -> R {
    let ctx = egui::Context::default();
    super::setup_context(&ctx);
    let (mut f, mut out) = (Some(f), None);
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        if let Some(f) = f.take() {
            out = Some(f(ui.painter()));
        }
    });
    output.textures_delta.clear();
    out.expect("the frame ran")
}

/// Scenes whose annotations are big: every overlay of A and three labelled runs; numbers
/// as wide as the bar gets; and a flat f.
pub(super) fn crowded_scenes() -> Vec<SceneDesc> {
    let domain = Domain::new((-3.0, 3.0), (-3.0, 3.0));
    let function = Function::parse("sin(x*y)").unwrap();
    let mut busy = SceneDesc::new(&function, domain, false, 1.6);
    busy.set_point(&function, 0.5, -1.0);
    busy.overlays.show_partials = true;
    busy.overlays.show_arrows = true;
    busy.overlays.eigen = crate::inspect::eigen_symmetric(&function.hessian(&[0.5, -1.0]));
    busy.overlays.minima = vec![[0.0, 0.0, 0.0]];
    for (k, label) in ["sgd, lr 0.1", "momentum, lr 0.1", "adam, lr 0.001"]
        .into_iter()
        .enumerate()
    {
        let run = TrajectoryOverlay {
            points: vec![[1.0, 1.0, 1.0f64.sin()], [0.5, 0.8, 0.4f64.sin()]],
            current: 1,
            color: crate::scene::RUN_COLORS[k],
            label: label.into(),
        };
        busy.overlays.trajectories.push(run);
    }
    let wide = Function::parse("-1.25e-3*x*y").unwrap();
    let flat = Function::parse("5e-324*sign(x*y)").unwrap();
    vec![
        busy,
        SceneDesc::new(&wide, domain, false, 1.6),
        SceneDesc::new(&flat, domain, false, 1.6),
    ]
}

pub(super) fn inside(outer: Rect, inner: Rect) -> bool {
    outer.expand(0.5).contains_rect(inner)
}
