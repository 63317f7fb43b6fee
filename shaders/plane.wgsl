// Translucent triangles in world space (the tangent plane at A): one colour for the draw,
// blended over the surface, depth-tested but not written. Rust side: src/render/.

// Keep in sync with `FrameUniforms` in src/render/gpu_data.rs (128 bytes).
struct Frame {
    clip_from_world: mat4x4<f32>,
    eye_world: vec4<f32>,
    light_dir_world: vec4<f32>,
    viewport_px: vec4<f32>,
    misc: vec4<f32>,
}

@group(0) @binding(0) var<uniform> frame: Frame;

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) color: vec4<f32>,
}

@vertex
fn vs_main(@location(0) position: vec4<f32>, @location(1) color: vec4<f32>) -> VertexOut {
    var out: VertexOut;
    out.clip = frame.clip_from_world * vec4<f32>(position.xyz, 1.0);
    out.color = color;
    return out;
}

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

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    return vec4<f32>(encode_for_target(in.color.rgb), in.color.a);
}
