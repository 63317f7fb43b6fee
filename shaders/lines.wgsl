// Overlay line segments of steady pixel width at any distance: each instance is one segment,
// expanded in screen space into a quad (6 vertices) with square caps; optional dashes counted
// in pixels along the segment. Rust side: src/render/ (LineInstance).
//#prelude frame.wgsl: the Frame uniform and encode_for_target come first.

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) color: vec4<f32>,
    // Pixels along the segment times clip w, and clip w: their perspective-correct quotient
    // is linear in screen space, which keeps dashes even without `noperspective` (not in GLES).
    @location(1) along_w_w_dash: vec3<f32>,
}

@vertex
fn vs_main(
    @builtin(vertex_index) corner: u32,
    @location(0) a_width: vec4<f32>,
    @location(1) b_dash: vec4<f32>,
    @location(2) color: vec4<f32>,
) -> VertexOut {
    let ca = frame.clip_from_world * vec4<f32>(a_width.xyz, 1.0);
    let cb = frame.clip_from_world * vec4<f32>(b_dash.xyz, 1.0);
    let wa = max(ca.w, 1e-5);
    let wb = max(cb.w, 1e-5);
    let half_viewport = 0.5 * frame.viewport_px.xy;
    let sa = ca.xy / wa * half_viewport;
    let sb = cb.xy / wb * half_viewport;
    let delta = sb - sa;
    let length_px = length(delta);
    let dir = select(vec2<f32>(1.0, 0.0), delta / length_px, length_px > 1e-6);
    let normal = vec2<f32>(-dir.y, dir.x);
    let half_width = 0.5 * a_width.w;

    // Corners of two triangles: (end, side) with end 0 = a, 1 = b.
    var ends = array<f32, 6>(0.0, 0.0, 1.0, 0.0, 1.0, 1.0);
    var sides = array<f32, 6>(-1.0, 1.0, -1.0, 1.0, 1.0, -1.0);
    let end = ends[corner % 6u];
    let side = sides[corner % 6u];
    var clip = select(ca, cb, end > 0.5);
    let w = select(wa, wb, end > 0.5);
    let offset_px = normal * side * half_width + dir * (end * 2.0 - 1.0) * half_width;
    clip = vec4<f32>(
        clip.xy + offset_px / half_viewport * w,
        clip.z - frame.misc.y * w,
        clip.w,
    );

    var out: VertexOut;
    out.clip = clip;
    out.color = color;
    let along = select(-half_width, length_px + half_width, end > 0.5);
    out.along_w_w_dash = vec3<f32>(along * w, w, b_dash.w);
    return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let dash = in.along_w_w_dash.z;
    if (dash > 0.0) {
        let along = in.along_w_w_dash.x / in.along_w_w_dash.y;
        if (fract(along / dash) > 0.55) {
            discard;
        }
    }
    return vec4<f32>(encode_for_target(in.color.rgb), in.color.a);
}

// The parts of lines hidden behind the surface, drawn faintly (depth test reversed, blended),
// so that an arrow pointing into a hill still reads. Dashes as in `fs_main`.
@fragment
fn fs_hidden(in: VertexOut) -> @location(0) vec4<f32> {
    let dash = in.along_w_w_dash.z;
    if (dash > 0.0) {
        let along = in.along_w_w_dash.x / in.along_w_w_dash.y;
        if (fract(along / dash) > 0.55) {
            discard;
        }
    }
    return vec4<f32>(encode_for_target(in.color.rgb), in.color.a * 0.3);
}
