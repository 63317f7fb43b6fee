//! The hyperparameter map exported from the app as a PNG: the panel's figure with a title,
//! drawn offscreen on the window's device at the size `gradscape sweep` draws its own.

use std::path::Path;

use crate::gpu::GpuContext;
use crate::ui::Model;

/// The exported map's size, as `gradscape sweep --out FILE.png` draws it by default.
pub const MAP_SIZE_PX: [u32; 2] = [900, 700];

/// Draws the map the Sweep panel shows and writes it to `path` (a new file); says what it
/// wrote, or why not.
pub fn write_map_png(gpu: &GpuContext, model: &Model, path: &Path) -> Result<String, String> {
    let result = model
        .swarm
        .sweep
        .clone()
        .ok_or("the hyperparameter map has not come back yet")?;
    let title = match crate::ui::swarm::current_run(model) {
        Some((run, hyper)) => format!(
            "{} after {} steps of run {} ({}) from ({}, {}): f = {}",
            match model.state.swarm.sweep_metric {
                crate::figure::SweepMetric::FinalValue => "Final f",
                crate::figure::SweepMetric::Steps => "Steps",
            },
            model.state.playback.max_steps,
            run + 1,
            hyper.kind,
            crate::ui::format_value(model.state.start[0]),
            crate::ui::format_value(model.state.start[1]),
            crate::math::pretty(&model.state.good_source)
        ),
        None => String::new(),
    };
    let figure = crate::ui::swarm::map_figure(model, &result, title);
    let image = super::offscreen::render_ui(gpu, MAP_SIZE_PX, |ui| {
        figure.show(ui);
    })?;
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .and_then(|()| Ok(crate::ui::write_new(path, png.get_ref())?))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let [w, h] = MAP_SIZE_PX;
    Ok(format!("wrote {} ({w}×{h})", path.display()))
}
