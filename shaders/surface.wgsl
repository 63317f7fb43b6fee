// The function's surface, pulled straight from the grid buffer the compute pass wrote
// (bound as a vertex buffer: one vec4 [f, fx, fy, 0] per point, row i = y major). Heights,
// normals (from the gradient) and colours are made per vertex; the fragment stage only adds
// contour and wireframe lines and leaves NaN points as holes. Rust side: src/render/.
//#prelude frame.wgsl: the Frame uniform and encode_for_target come first.

// Keep in sync with `SurfaceUniforms` in src/render/gpu_data.rs (96 bytes).
struct Surface {
    // x0, y0, dx, dy of the grid.
    grid: vec4<f32>,
    // world = ((x - cx) * sx, (y - cy) * sy, ...): cx, cy, sx, sy.
    world_xy: vec4<f32>,
    // lo, hi, log offset s, log norm (0 for a linear scale).
    scale: vec4<f32>,
    // world height of the value range, wireframe step in cells, contour levels, max |f| for
    // the diverging map.
    look: vec4<f32>,
    // nx, ny, colormap, flags (1 wireframe, 2 contours, 4 colours from the overlay texture,
    // 8 cut the surface below the z-range, 16 cut it above).
    dims: vec4<u32>,
    // The swarm's balls (shaders/swarm_balls.wgsl): colour and radius in pixels.
    swarm: vec4<f32>,
}

@group(0) @binding(1) var<uniform> surface: Surface;
// Colours draped over the surface instead of the colormap (the basins of attraction), one texel
// per grid point of the same lattice, row 0 at the first y. A 1×1 texture when unused.
@group(0) @binding(2) var overlay_texture: texture_2d<f32>;
@group(0) @binding(3) var overlay_sampler: sampler;

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) color: vec3<f32>,
    // Height fraction (contours), grid column and row (wireframe), and hole (> 0 near a NaN).
    @location(1) t_cell_hole: vec4<f32>,
    // Where the overlay texture is sampled, and the lighting (diffuse factor, specular) the
    // overlay's colour gets in place of the colormap's.
    @location(2) uv_light: vec4<f32>,
    // 1 where the vertex lies above a cut top end, and where below a cut bottom end: a cell
    // with corners on both sides spans a pole (+huge next to −huge) and is no surface.
    @location(3) beyond: vec2<f32>,
}

fn is_finite(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// Height fraction in [0, 1]; keep in sync with `VerticalScale::t` in src/scene/space.rs.
fn height_fraction(f: f32) -> f32 {
    let lo = surface.scale.x;
    let hi = surface.scale.y;
    let c = clamp(f, lo, hi);
    if (surface.scale.w > 0.0) {
        return log(1.0 + (c - lo) / surface.scale.z) * surface.scale.w;
    }
    return (c - lo) / (hi - lo);
}

// d(height fraction)/df; zero where the surface is clamped flat.
fn height_slope(f: f32) -> f32 {
    let lo = surface.scale.x;
    let hi = surface.scale.y;
    if (f < lo || f > hi) {
        return 0.0;
    }
    if (surface.scale.w > 0.0) {
        return surface.scale.w / (surface.scale.z + f - lo);
    }
    return 1.0 / (hi - lo);
}

// The height fraction continued past the z-range (0 at lo, 1 at hi; under a log scale continued
// below lo by its slope there), where the surface is cut rather than flattened. Keep in sync
// with `VerticalScale::t_unclamped` in src/scene/space.rs.
fn height_fraction_free(f: f32) -> f32 {
    let lo = surface.scale.x;
    if (surface.scale.w > 0.0) {
        if (f >= lo) {
            return log(1.0 + (f - lo) / surface.scale.z) * surface.scale.w;
        }
        return (f - lo) / surface.scale.z * surface.scale.w;
    }
    return (f - lo) / (surface.scale.y - lo);
}

// d(height_fraction_free)/df.
fn height_slope_free(f: f32) -> f32 {
    let lo = surface.scale.x;
    if (surface.scale.w > 0.0) {
        return surface.scale.w / (surface.scale.z + max(f - lo, 0.0));
    }
    return 1.0 / (surface.scale.y - lo);
}

// How far past the range (in height fractions) a vertex may go: a cell reaching into a pole
// still crosses the range's edge close to where f does, and the positions stay small numbers.
const CLIP_REACH: f32 = 1.0;
// Fragments further than this outside the range are cut (the rounding of interpolation aside).
const CLIP_EPSILON: f32 = 1e-4;

// Piecewise-linear maps with 9 stops, in sRGB: matplotlib's coolwarm and viridis, and a
// blue-white-red diverging map. Written as a sum of clamped ramps rather than an indexed table:
// software rasterisers run shaders as SIMD lanes, where arithmetic is cheap and a dynamically
// indexed local array is not. Keep the numbering in sync with `Colormap` in src/scene/style.rs.
fn ramp9(
    x: f32,
    c0: vec3<f32>, c1: vec3<f32>, c2: vec3<f32>, c3: vec3<f32>, c4: vec3<f32>,
    c5: vec3<f32>, c6: vec3<f32>, c7: vec3<f32>, c8: vec3<f32>,
) -> vec3<f32> {
    return c0
        + (c1 - c0) * clamp(x, 0.0, 1.0)
        + (c2 - c1) * clamp(x - 1.0, 0.0, 1.0)
        + (c3 - c2) * clamp(x - 2.0, 0.0, 1.0)
        + (c4 - c3) * clamp(x - 3.0, 0.0, 1.0)
        + (c5 - c4) * clamp(x - 4.0, 0.0, 1.0)
        + (c6 - c5) * clamp(x - 5.0, 0.0, 1.0)
        + (c7 - c6) * clamp(x - 6.0, 0.0, 1.0)
        + (c8 - c7) * clamp(x - 7.0, 0.0, 1.0);
}

fn colormap(which: u32, t: f32) -> vec3<f32> {
    let x = clamp(t, 0.0, 1.0) * 8.0;
    if (which == 1u) {
        return ramp9(x,
            vec3(0.267, 0.005, 0.329), vec3(0.278, 0.175, 0.483), vec3(0.229, 0.322, 0.546),
            vec3(0.173, 0.449, 0.558), vec3(0.128, 0.567, 0.551), vec3(0.135, 0.659, 0.518),
            vec3(0.267, 0.749, 0.441), vec3(0.478, 0.821, 0.318), vec3(0.993, 0.906, 0.144));
    }
    if (which == 2u) {
        return ramp9(x,
            vec3(0.020, 0.188, 0.380), vec3(0.129, 0.400, 0.675), vec3(0.263, 0.576, 0.765),
            vec3(0.573, 0.773, 0.871), vec3(0.969, 0.969, 0.969), vec3(0.957, 0.647, 0.510),
            vec3(0.839, 0.376, 0.302), vec3(0.698, 0.094, 0.169), vec3(0.404, 0.000, 0.122));
    }
    return ramp9(x,
        vec3(0.230, 0.299, 0.754), vec3(0.348, 0.465, 0.880), vec3(0.485, 0.623, 0.977),
        vec3(0.620, 0.741, 0.999), vec3(0.865, 0.865, 0.865), vec3(0.958, 0.769, 0.678),
        vec3(0.958, 0.603, 0.482), vec3(0.873, 0.407, 0.320), vec3(0.706, 0.016, 0.150));
}

@vertex
fn vs_main(@builtin(vertex_index) index: u32, @location(0) point: vec4<f32>) -> VertexOut {
    let nx = surface.dims.x;
    let j = index % nx;
    let i = index / nx;
    let x = surface.grid.x + f32(j) * surface.grid.z;
    let y = surface.grid.y + f32(i) * surface.grid.w;
    let ok = is_finite(point.x) && is_finite(point.y) && is_finite(point.z);
    let f = select(surface.scale.x, point.x, ok);
    let fx = select(0.0, point.y, ok);
    let fy = select(0.0, point.z, ok);

    let cut_below = (surface.dims.w & 8u) != 0u;
    let cut_above = (surface.dims.w & 16u) != 0u;
    // Past an end that is cut the vertex goes beyond the box and the fragment stage discards
    // what lies outside; at an end that is not (f's own extreme) it is clamped onto the box.
    let t = clamp(
        height_fraction_free(f),
        select(0.0, -CLIP_REACH, cut_below),
        select(1.0, 1.0 + CLIP_REACH, cut_above),
    );
    let height = surface.look.x;
    let p = vec3<f32>(
        (x - surface.world_xy.x) * surface.world_xy.z,
        (y - surface.world_xy.y) * surface.world_xy.w,
        (t - 0.5) * height,
    );
    // The exact normal from the gradient, carried through the world mapping.
    // Flat where clamped onto the box, f's own slope elsewhere (up to a cut).
    let clamped = (f < surface.scale.x && !cut_below) || (f > surface.scale.y && !cut_above);
    let dz_df = height * select(height_slope_free(f), 0.0, clamped);
    var n = normalize(vec3<f32>(
        -dz_df * fx / surface.world_xy.z,
        -dz_df * fy / surface.world_xy.w,
        1.0,
    ));
    if (dot(n, frame.eye_world.xyz - p) < 0.0) {
        n = -n;
    }
    let diffuse = max(dot(n, frame.light_dir_world.xyz), 0.0);
    let to_eye = normalize(frame.eye_world.xyz - p);
    let specular = pow(max(dot(reflect(-frame.light_dir_world.xyz, n), to_eye), 0.0), 24.0);

    let which = surface.dims.z;
    var c = t;
    if (which == 2u) {
        c = 0.5 + 0.5 * f / surface.look.w;
    }
    let base = colormap(which, c);

    var out: VertexOut;
    out.clip = frame.clip_from_world * vec4<f32>(p, 1.0);
    out.color = base * (0.42 + 0.58 * diffuse) + vec3(0.12 * specular);
    out.t_cell_hole = vec4<f32>(t, f32(j), f32(i), select(1.0, 0.0, ok));
    out.beyond = vec2<f32>(select(0.0, 1.0, t > 1.0), select(0.0, 1.0, t < 0.0));
    out.uv_light = vec4<f32>(
        f32(j) / f32(max(nx, 2u) - 1u),
        f32(i) / f32(max(surface.dims.y, 2u) - 1u),
        0.42 + 0.58 * diffuse,
        0.12 * specular,
    );
    return out;
}

// The colour to shade: the colormap's (from the vertex) or the overlay's, lit the same way.
fn base_color(in: VertexOut) -> vec3<f32> {
    if ((surface.dims.w & 4u) != 0u) {
        // Texel k's centre is lattice point k: u = 0 and u = 1 are the first and last centres.
        let size = vec2<f32>(textureDimensions(overlay_texture));
        let uv = (in.uv_light.xy * (size - 1.0) + 0.5) / size;
        let texel = textureSampleLevel(overlay_texture, overlay_sampler, uv, 0.0).rgb;
        return texel * in.uv_light.z + vec3(in.uv_light.w);
    }
    return in.color;
}

// 1 on a line of screen width about one pixel where `v` crosses an integer, else 0.
fn grid_line(v: f32, width: f32) -> f32 {
    let d = abs(fract(v + 0.5) - 0.5) / max(width, 1e-6);
    return 1.0 - clamp(d - 0.5, 0.0, 1.0);
}

// The fast path: no holes, no cut, no lines. Without `discard` a software rasteriser can test depth
// before shading, and the many small triangles of a dense grid cost little per pixel.
@fragment
fn fs_plain(in: VertexOut) -> @location(0) vec4<f32> {
    return vec4<f32>(encode_for_target(base_color(in)), 1.0);
}

// Holes where a grid point is NaN or f leaves the z-range, plus contour and wireframe lines.
@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    // Derivatives first, while control flow is uniform.
    let levels = surface.look.z;
    let v = in.t_cell_hole.x * levels;
    let v_width = fwidth(v);
    let cell = in.t_cell_hole.yz / max(surface.look.y, 1.0);
    let cell_width = fwidth(cell);
    if (in.t_cell_hole.w > 0.0) {
        discard;
    }
    let t = in.t_cell_hole.x;
    let below = (surface.dims.w & 8u) != 0u && t < -CLIP_EPSILON;
    let above = (surface.dims.w & 16u) != 0u && t > 1.0 + CLIP_EPSILON;
    let across_pole = in.beyond.x > 0.0 && in.beyond.y > 0.0;
    if (below || above || across_pole) {
        discard;
    }
    var c = base_color(in);
    let flags = surface.dims.w;
    if ((flags & 2u) != 0u) {
        c = mix(c, c * 0.3, grid_line(v, v_width) * 0.9);
    }
    if ((flags & 1u) != 0u) {
        let w = max(grid_line(cell.x, cell_width.x), grid_line(cell.y, cell_width.y));
        c = mix(c, vec3(0.12), w * 0.55);
    }
    return vec4<f32>(encode_for_target(c), 1.0);
}
