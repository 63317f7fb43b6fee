// Shared by every render shader (surface, lines, balls, plane), which Rust prefixes with this
// file (src/render/pipelines.rs): the per-frame uniform and the colour encoding for the target.

// Keep in sync with `FrameUniforms` in src/render/gpu_data.rs (128 bytes).
struct Frame {
    clip_from_world: mat4x4<f32>,
    eye_world: vec4<f32>,
    light_dir_world: vec4<f32>,
    // width, height, 1/width, 1/height.
    viewport_px: vec4<f32>,
    // x: 1 when the target is an sRGB format (colours are then decoded, the hardware re-encodes);
    // y: depth bias of lines, z: depth bias of balls (NDC units).
    misc: vec4<f32>,
}

@group(0) @binding(0) var<uniform> frame: Frame;

// Colours are sRGB-encoded values throughout. A plain UNORM target stores them as they are; an
// sRGB target encodes what it is given, so it is handed the exact inverse (the piecewise sRGB
// curve, not a 2.2 power) and both store the same bytes.
fn encode_for_target(c: vec3<f32>) -> vec3<f32> {
    if (frame.misc.x > 0.5) {
        let v = clamp(c, vec3(0.0), vec3(1.0));
        return select(pow((v + 0.055) / 1.055, vec3(2.4)), v / 12.92, v <= vec3(0.04045));
    }
    return c;
}

