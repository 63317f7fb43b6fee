// Translucent triangles in world space (the tangent plane at A): one colour for the draw,
// blended over the surface, depth-tested but not written. Rust side: src/render/.
//#prelude frame.wgsl: the Frame uniform and encode_for_target come first.

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

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    return vec4<f32>(encode_for_target(in.color.rgb), in.color.a);
}
