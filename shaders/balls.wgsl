// Balls of fixed pixel radius (the current step of each run, markers at minima, A): a
// screen-space square per instance, cut to a disc and shaded like a sphere lit from the
// upper left, with a dark rim so it reads on any colour. Rust side: src/render/ (BallInstance).
//#prelude frame.wgsl: the Frame uniform and encode_for_target come first.

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) color: vec4<f32>,
    // Position inside the disc, -1..1 (a bit beyond for the rim).
    @location(1) uv: vec2<f32>,
}

@vertex
fn vs_main(
    @builtin(vertex_index) corner: u32,
    @location(0) center_radius: vec4<f32>,
    @location(1) color: vec4<f32>,
) -> VertexOut {
    var us = array<f32, 6>(-1.0, 1.0, -1.0, -1.0, 1.0, 1.0);
    var vs = array<f32, 6>(-1.0, -1.0, 1.0, 1.0, -1.0, 1.0);
    let uv = vec2<f32>(us[corner % 6u], vs[corner % 6u]);
    let c = frame.clip_from_world * vec4<f32>(center_radius.xyz, 1.0);
    let w = max(c.w, 1e-5);
    let offset_ndc = uv * center_radius.w * 2.0 * frame.viewport_px.zw;
    var out: VertexOut;
    out.clip = vec4<f32>(c.xy + offset_ndc * w, c.z - frame.misc.z * w, c.w);
    out.color = color;
    out.uv = uv;
    return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let r2 = dot(in.uv, in.uv);
    if (r2 > 1.0) {
        discard;
    }
    let n = vec3<f32>(in.uv.x, in.uv.y, sqrt(1.0 - r2));
    let light = normalize(vec3<f32>(-0.4, 0.5, 0.8));
    let shade = 0.45 + 0.55 * max(dot(n, light), 0.0);
    let spot = pow(max(dot(n, light), 0.0), 30.0) * 0.35;
    var c = in.color.rgb * shade + vec3(spot);
    // A dark rim, a fifth of the radius.
    c = select(c, in.color.rgb * 0.25, r2 > 0.64);
    return vec4<f32>(encode_for_target(c), 1.0);
}
