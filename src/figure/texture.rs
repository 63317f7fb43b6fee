//! Images in figures: textures kept across frames, and drawn so that a texel sits on its
//! lattice point.

use egui::{Color32, Rect, pos2};

/// A texture kept in egui's memory under `id` and rebuilt only when `version` changes, so a
/// figure drawn every frame uploads its image once.
pub fn cached_texture(
    ctx: &egui::Context,
    id: egui::Id,
    version: u64,
    make: impl FnOnce() -> egui::ColorImage,
) -> egui::TextureHandle {
    if let Some((v, handle)) = ctx.data(|d| d.get_temp::<(u64, egui::TextureHandle)>(id))
        && v == version
    {
        return handle;
    }
    let handle = ctx.load_texture(format!("{id:?}"), make(), egui::TextureOptions::NEAREST);
    ctx.data_mut(|d| d.insert_temp(id, (version, handle.clone())));
    handle
}

pub(super) fn paint_image(painter: &egui::Painter, texture: &egui::TextureHandle, rect: Rect) {
    painter.image(texture.id(), rect, lattice_uv(texture), Color32::WHITE);
}

/// The texture coordinates that put texel k's centre on lattice point k, so a map whose rect
/// spans the lattice's first to last point is not shifted by up to half a cell.
pub fn lattice_uv(texture: &egui::TextureHandle) -> Rect {
    let [w, h] = texture.size().map(|v| v.max(1) as f32);
    Rect::from_min_max(pos2(0.5 / w, 0.5 / h), pos2(1.0 - 0.5 / w, 1.0 - 0.5 / h))
}
