// The swarm's balls, drawn straight from the walker buffer the swarm kernel (swarm.wgsl) wrote:
// one instance per walker, its position and value read as vertex attributes, placed on the
// surface with the surface's own world mapping and height scale; no CPU work per ball. Diverged
// walkers are dropped (their quad is moved outside the clip volume), and so are walkers whose f
// lies beyond an end of the z-range that cuts the surface: the surface has a hole there and a
// run's path stops at the box, so a ball pinned to the box's lid or floor would claim a value f
// does not have. Beyond an end that is not cut (a hair past the sampled extreme) the ball sits on
// that end, as the surface does. Walkers outside the domain's box are dropped too (1/(x·y)
// throws them far off along the axes, where f is near 0 and well inside the z-range): a ball
// hanging beside the box, over the colour bar, stands for no point of the surface drawn; a
// run's path likewise stops at the box. Shaded like balls.wgsl.
//#prelude frame.wgsl surface.wgsl: the Frame and Surface uniforms and height_fraction come first.

struct SwarmBallOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) color: vec3<f32>,
    // Position inside the disc, -1..1.
    @location(1) uv: vec2<f32>,
}

@vertex
fn vs_swarm(
    @builtin(vertex_index) corner: u32,
    @location(0) pos: vec2<f32>,
    @location(1) value: f32,
    @location(2) status: u32,
) -> SwarmBallOut {
    var us = array<f32, 6>(-1.0, 1.0, -1.0, -1.0, 1.0, 1.0);
    var vs = array<f32, 6>(-1.0, -1.0, 1.0, 1.0, -1.0, 1.0);
    let uv = vec2<f32>(us[corner % 6u], vs[corner % 6u]);
    // Status 2 is diverged (src/gpu/layout.rs, walker_status).
    let flags = surface.dims.w;
    let beyond = ((flags & 8u) != 0u && value < surface.scale.x)
        || ((flags & 16u) != 0u && value > surface.scale.y);
    let finite = status != 2u && is_finite(pos.x) && is_finite(pos.y) && is_finite(value);
    let t = height_fraction(select(surface.scale.x, value, finite && !beyond));
    let p = vec3<f32>(
        (pos.x - surface.world_xy.x) * surface.world_xy.z,
        (pos.y - surface.world_xy.y) * surface.world_xy.w,
        (t - 0.5) * surface.look.x,
    );
    // The box spans ±1 in world x and y (scene::WorldMap::bounds_world); a hair of slack keeps
    // a walker resting on the domain's edge.
    let inside = abs(p.x) <= 1.0001 && abs(p.y) <= 1.0001;
    let ok = finite && !beyond && inside;
    let c = frame.clip_from_world * vec4<f32>(p, 1.0);
    let w = max(c.w, 1e-5);
    let offset_ndc = uv * surface.swarm.w * 2.0 * frame.viewport_px.zw;
    var out: SwarmBallOut;
    out.clip = vec4<f32>(c.xy + offset_ndc * w, c.z - frame.misc.z * w, c.w);
    if (!ok) {
        // Behind the far plane: clipped away.
        out.clip = vec4<f32>(0.0, 0.0, 2.0, 1.0);
    }
    out.color = surface.swarm.rgb;
    out.uv = uv;
    return out;
}

@fragment
fn fs_swarm(in: SwarmBallOut) -> @location(0) vec4<f32> {
    let r2 = dot(in.uv, in.uv);
    if (r2 > 1.0) {
        discard;
    }
    let n = vec3<f32>(in.uv.x, in.uv.y, sqrt(1.0 - r2));
    let light = normalize(vec3<f32>(-0.4, 0.5, 0.8));
    let shade = 0.45 + 0.55 * max(dot(n, light), 0.0);
    var c = in.color * shade;
    c = select(c, in.color * 0.25, r2 > 0.55);
    return vec4<f32>(encode_for_target(c), 1.0);
}
