//! Pixels of the renderer: small renders of a few presets compared with reference PNGs in
//! tests/reference/ (recreate them with `UPDATE_REFERENCE=1 cargo test --test render`), a proof
//! that the comparison catches a real change, and `gradscape render` end to end.
//!
//! The tolerance has to pass on lavapipe (Vulkan) and on llvmpipe GL (`WGPU_BACKEND=gl`), whose
//! rasterisers differ in the last bit of colour and on some edge pixels.

use std::path::PathBuf;

use super::cli::{gradscape, quoted, stderr, temp_dir};
use super::images::gif_frames;

use gradscape::function::Function;
use gradscape::gpu::{GpuContext, GridEvaluator, GridSpec};
use gradscape::optim::{Hyperparameters, OptimizerKind, run};
use gradscape::presets;
use gradscape::render::HeadlessRenderer;
use gradscape::scene::{Domain, SceneDesc, TrajectoryOverlay};

const SIZE_PX: [u32; 2] = [160, 100];
/// A pixel differs when one of its channels is off by more than this (of 255).
const CHANNEL_TOLERANCE: u8 = 12;
/// The comparison fails when more than this share of pixels differ.
const MAX_DIFFERING_SHARE: f64 = 0.002;

fn context() -> GpuContext {
    // No adapter must fail the test, never skip it.
    GpuContext::headless().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
}

fn preset_scene(name: &str, log_scale: bool) -> (Function, SceneDesc) {
    let preset = presets::find(name).unwrap();
    let function = preset.function();
    let y = preset.domain.y.unwrap();
    let domain = Domain::new((preset.domain.x[0], preset.domain.x[1]), (y[0], y[1]));
    let mut scene = SceneDesc::new(
        &function,
        domain,
        log_scale,
        SIZE_PX[0] as f32 / SIZE_PX[1] as f32,
    );
    scene.set_minima(&function, &preset.minima);
    (function, scene)
}

fn render(ctx: &GpuContext, function: &Function, scene: &SceneDesc) -> image::RgbaImage {
    render_at(ctx, function, scene, SIZE_PX)
}

fn render_at(
    ctx: &GpuContext,
    function: &Function,
    scene: &SceneDesc,
    size: [u32; 2],
) -> image::RgbaImage {
    let domain = scene.map.domain;
    let evaluator = GridEvaluator::new(ctx, &function.grid_wgsl()).unwrap();
    let grid = evaluator
        .evaluate(&GridSpec::square(domain.x, domain.y, 128))
        .unwrap();
    let mut renderer = HeadlessRenderer::new(ctx).unwrap();
    renderer.render(ctx, scene, &grid, size).unwrap()
}

fn sin_xy_scene() -> (Function, SceneDesc) {
    let (function, mut scene) = preset_scene("sin-xy", false);
    scene.set_point(&function, 0.1, -1.0);
    (function, scene)
}

fn himmelblau_scene() -> (Function, SceneDesc) {
    let (function, mut scene) = preset_scene("himmelblau", false);
    let runs = [
        (OptimizerKind::Sgd, 0.01),
        (OptimizerKind::Momentum, 0.002),
        (OptimizerKind::Rmsprop, 0.05),
        (OptimizerKind::Adam, 0.2),
    ];
    for (index, (kind, lr)) in runs.into_iter().enumerate() {
        let t = run(
            &function,
            &Hyperparameters::new(kind, lr),
            &[-0.5, 0.5],
            60,
            None,
        )
        .unwrap();
        scene
            .overlays
            .trajectories
            .push(TrajectoryOverlay::from_trajectory(&t, index));
    }
    (function, scene)
}

fn rosenbrock_scene() -> (Function, SceneDesc) {
    let (function, mut scene) = preset_scene("rosenbrock", true);
    let hyper = Hyperparameters::new(OptimizerKind::Adam, 0.05);
    let t = run(&function, &hyper, &[-1.2, 1.0], 300, None).unwrap();
    scene
        .overlays
        .trajectories
        .push(TrajectoryOverlay::from_trajectory(&t, 0));
    (function, scene)
}

fn styled_saddle_scene() -> (Function, SceneDesc) {
    let (function, mut scene) = preset_scene("monkey-saddle", false);
    scene.surface.colormap = gradscape::scene::Colormap::Diverging;
    scene.surface.contour_levels = 12;
    scene.surface.wireframe = true;
    scene.camera.orbit(0.6, 0.3);
    scene.fit_camera(SIZE_PX[0] as f32 / SIZE_PX[1] as f32);
    (function, scene)
}

fn reference_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(format!("{name}.png"))
}

/// Share of pixels whose largest channel difference exceeds [`CHANNEL_TOLERANCE`].
fn differing_share(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    super::images::differing_share(a, b, CHANNEL_TOLERANCE)
}

/// Compares with the reference, first (re)writing it under `UPDATE_REFERENCE=1`.
fn matches_reference(name: &str, image: &image::RgbaImage) -> Result<(), String> {
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        image.save(reference_path(name)).unwrap();
    }
    compare_with_reference(name, image)
}

/// Compares with the reference and never writes it.
fn compare_with_reference(name: &str, image: &image::RgbaImage) -> Result<(), String> {
    let path = reference_path(name);
    let reference = image::open(&path)
        .map_err(|e| {
            format!(
                "{}: {e}; create it with UPDATE_REFERENCE=1 cargo test --test render",
                path.display()
            )
        })?
        .to_rgba8();
    let share = differing_share(image, &reference);
    let max_diff = image
        .pixels()
        .zip(reference.pixels())
        .flat_map(|(p, q)| p.0.into_iter().zip(q.0).map(|(x, y)| x.abs_diff(y)))
        .max()
        .unwrap_or(0);
    eprintln!(
        "{name}: {:.3}% of pixels differ, largest channel difference {max_diff}",
        share * 100.0
    );
    if share <= MAX_DIFFERING_SHARE {
        Ok(())
    } else {
        let actual = std::env::temp_dir().join(format!("gradscape-{name}-actual.png"));
        let _ = image.save(&actual);
        Err(format!(
            "{name}: {:.2}% of pixels differ from {} by more than {CHANNEL_TOLERANCE}/255 \
             (allowed {:.2}%); this render is at {}",
            share * 100.0,
            path.display(),
            MAX_DIFFERING_SHARE * 100.0,
            actual.display()
        ))
    }
}

#[test]
fn sin_xy_with_plane_and_partial_lines_matches_reference() {
    let ctx = context();
    let (function, scene) = sin_xy_scene();
    matches_reference("sin-xy", &render(&ctx, &function, &scene)).unwrap();
}

#[test]
fn a_tangent_plane_lying_on_a_linear_f_is_drawn_whole() {
    // The plane coincides with the surface: without the plane's depth bias every other pixel
    // of it lost to the surface by rounding (a speckle over a few percent of the image).
    let ctx = context();
    let function = Function::parse("x + 0.5*y").unwrap();
    let domain = Domain::new((-3.0, 3.0), (-3.0, 3.0));
    let size = [320, 200];
    let mut scene = SceneDesc::new(&function, domain, false, size[0] as f32 / size[1] as f32);
    scene.set_point(&function, 0.5, 0.5);
    matches_reference("linear-plane", &render_at(&ctx, &function, &scene, size)).unwrap();
}

#[test]
fn himmelblau_with_four_optimizers_matches_reference() {
    let ctx = context();
    let (function, scene) = himmelblau_scene();
    matches_reference("himmelblau", &render(&ctx, &function, &scene)).unwrap();
}

#[test]
fn rosenbrock_log_scale_matches_reference() {
    let ctx = context();
    let (function, scene) = rosenbrock_scene();
    matches_reference("rosenbrock-log", &render(&ctx, &function, &scene)).unwrap();
}

#[test]
fn diverging_contours_wireframe_match_reference() {
    let ctx = context();
    let (function, scene) = styled_saddle_scene();
    matches_reference("monkey-saddle-styled", &render(&ctx, &function, &scene)).unwrap();
}

/// 1/(x·y) on [−3, 3]²: the automatic z-range stops short of the poles along the axes, and the
/// four sheets (up where xy > 0, down where xy < 0) are cut there, not flattened into plates.
fn one_over_xy_scene() -> (Function, SceneDesc) {
    let function = Function::parse("1/(x*y)").unwrap();
    let domain = Domain::new((-3.0, 3.0), (-3.0, 3.0));
    let scene = SceneDesc::new(&function, domain, false, 1.6);
    (function, scene)
}

#[test]
fn one_over_xy_is_cut_at_the_z_range_and_matches_reference() {
    let ctx = context();
    let (function, scene) = one_over_xy_scene();
    let scale = scene.map.scale;
    // Robust: the range is tens, not the hundreds the samples nearest the axes reach, and
    // symmetric as f is; the surface is cut beyond it.
    assert!(scale.hi > 10.0 && scale.hi < 40.0, "{scale:?}");
    assert!((scale.lo + scale.hi).abs() < 1e-9, "{scale:?}");
    assert_eq!(scale.cut, [true, true]);
    matches_reference("one-over-xy-cut", &render(&ctx, &function, &scene)).unwrap();
}

#[test]
fn swarm_balls_beyond_a_cut_z_range_or_off_the_domain_are_hidden() {
    use gradscape::gpu::Walker;
    use wgpu::util::DeviceExt;
    let ctx = context();
    let (function, scene) = one_over_xy_scene();
    let scale = scene.map.scale;
    assert_eq!(scale.cut, [true, true]);
    let domain = scene.map.domain;
    let evaluator = GridEvaluator::new(&ctx, &function.grid_wgsl()).unwrap();
    let grid = evaluator
        .evaluate(&GridSpec::square(domain.x, domain.y, 128))
        .unwrap();
    let mut renderer = HeadlessRenderer::new(&ctx).unwrap();
    let bare = renderer.render(&ctx, &scene, &grid, SIZE_PX).unwrap();
    let walker = |x: f32, y: f32, value: f32| Walker {
        pos: [x, y],
        value,
        status: gradscape::gpu::walker_status::RUNNING,
        ..bytemuck::Zeroable::zeroed()
    };
    let with_walkers = |renderer: &mut HeadlessRenderer, walkers: &[Walker]| {
        let buffer = ctx
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("test walkers"),
                contents: bytemuck::cast_slice(walkers),
                usage: wgpu::BufferUsages::VERTEX,
            });
        renderer.set_swarm(Some((&buffer, walkers.len() as u32)), [1.0, 0.8, 0.0], 6.0);
        renderer.render(&ctx, &scene, &grid, SIZE_PX).unwrap()
    };
    // Far above and far below the range: a reader would take balls on the lid or the floor
    // for values of f there; nothing is drawn.
    let (above, below) = (scale.hi as f32 * 4.0, scale.lo as f32 * 4.0);
    let beyond = with_walkers(
        &mut renderer,
        &[walker(0.3, 0.3, above), walker(0.3, -0.3, below)],
    );
    assert_eq!(differing_share(&bare, &beyond), 0.0);
    // The same places with values inside the range are drawn.
    let (inside_hi, inside_lo) = (scale.hi as f32 * 0.9, scale.lo as f32 * 0.9);
    let inside = with_walkers(
        &mut renderer,
        &[walker(0.3, 0.3, inside_hi), walker(0.3, -0.3, inside_lo)],
    );
    assert!(differing_share(&bare, &inside) > 0.0);
    // Off the domain (x, y beyond ±3), where f is small and inside the range: a ball there
    // would hang beside the box; none is drawn.
    let off = with_walkers(
        &mut renderer,
        &[
            walker(5.0, 0.5, 0.4),
            walker(-0.5, -7.0, -0.3),
            walker(9.0, 9.0, 0.01),
        ],
    );
    assert_eq!(differing_share(&bare, &off), 0.0);
    // And on the domain's edge it still is.
    let edge = with_walkers(&mut renderer, &[walker(3.0, 0.5, 1.0 / 1.5)]);
    assert!(differing_share(&bare, &edge) > 0.0);
}

/// x² + y² with sgd at lr 1.1 from (1, 0.5): each step multiplies the point by −1.2, so the run
/// leaves the box after a few steps and heads for infinity.
fn diverged_run_scene() -> (Function, SceneDesc) {
    let function = Function::parse("x^2 + y^2").unwrap();
    let domain = Domain::new((-2.0, 2.0), (-2.0, 2.0));
    let mut scene = SceneDesc::new(&function, domain, false, 1.6);
    let t = run(
        &function,
        &Hyperparameters::new(OptimizerKind::Sgd, 1.1),
        &[1.0, 0.5],
        400,
        None,
    )
    .unwrap();
    scene
        .overlays
        .trajectories
        .push(TrajectoryOverlay::from_trajectory(&t, 0));
    (function, scene)
}

#[test]
fn a_diverged_run_ends_with_a_marker_at_the_box_edge_and_matches_reference() {
    let ctx = context();
    let (function, scene) = diverged_run_scene();
    let run = &scene.overlays.trajectories[0];
    let last = run.points.last().unwrap();
    assert!(
        last[0].abs() > 1e20 || !last[0].is_finite(),
        "the run diverged: {last:?}"
    );
    // Every drawn line of the run stays inside the box; no ball is drawn for it.
    let primitives = scene.primitives();
    let (min, max) = scene.map.bounds_world();
    let run_lines: Vec<_> = primitives
        .lines
        .iter()
        .filter(|l| l.color == run.color)
        .collect();
    assert!(!run_lines.is_empty(), "the run's path is drawn");
    for line in run_lines {
        for p in [line.a_world, line.b_world] {
            assert!(
                p.x.abs() <= max.x + 0.1 && p.y.abs() <= max.y + 0.1,
                "{p} leaves the box"
            );
            assert!(
                p.z >= min.z - 0.1 && p.z <= max.z + 0.1,
                "{p} leaves the box"
            );
        }
    }
    assert!(!primitives.balls.iter().any(|b| b.color == run.color));
    // Larger than the others: the cross's thick edges are where GL and Vulkan rasterise apart.
    let image = render_at(&ctx, &function, &scene, [320, 200]);
    matches_reference("diverged-run", &image).unwrap();
}

/// A figure as `gradscape render` draws it: sin(xy) with the plane and derivative lines at
/// (0.1, −1), a run, axis names and numbers, the colour bar and the legend, under a title.
#[test]
fn sin_xy_figure_with_axes_colour_bar_and_legend_matches_reference() {
    use gradscape::figure::{FigureLayout, FigureOptions, figure_title};
    let ctx = context();
    let size = [640, 400];
    let options = FigureOptions {
        title: Some(figure_title(
            "sin(x*y)",
            &[(OptimizerKind::Adam, 0.1)],
            Some(&[0.1, -1.0]),
        )),
        axes: true,
        legend: true,
    };
    let view = FigureLayout::new(size, &options).view_px();
    let aspect = view[0] as f32 / view[1] as f32;
    let preset = presets::find("sin-xy").unwrap();
    let function = preset.function();
    let y = preset.domain.y.unwrap();
    let domain = Domain::new((preset.domain.x[0], preset.domain.x[1]), (y[0], y[1]));
    let mut scene = SceneDesc::new(&function, domain, false, aspect);
    scene.set_point(&function, 0.1, -1.0);
    let t = run(
        &function,
        &Hyperparameters::new(OptimizerKind::Adam, 0.1),
        &[0.1, -1.0],
        60,
        None,
    )
    .unwrap();
    scene.overlays.trajectories.push(
        TrajectoryOverlay::from_trajectory(&t, 0)
            .with_label(gradscape::scene::run_label(OptimizerKind::Adam, 0.1)),
    );
    let evaluator = GridEvaluator::new(&ctx, &function.grid_wgsl()).unwrap();
    let grid = evaluator
        .evaluate(&GridSpec::square(domain.x, domain.y, 128))
        .unwrap();
    let mut renderer = HeadlessRenderer::new(&ctx).unwrap();
    let image = gradscape::app::offscreen::render_figure(
        &ctx,
        &mut renderer,
        &scene,
        &grid,
        size,
        &options,
    )
    .unwrap();
    matches_reference("sin-xy-figure", &image).unwrap();
}

#[test]
fn a_1d_render_has_no_controls_and_matches_reference() {
    let dir = temp_dir("render-fig");
    let path = dir.join("double-well.png");
    let o = gradscape(&format!(
        "render 'x^4/4 - x^2 + 1/2' --x-range=-2,2 --from 0.25 --optimizer sgd --lr 0.1 --steps \
         20 --size 480x360 --out {}",
        quoted(&path)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let image = image::open(&path).unwrap().to_rgba8();
    std::fs::remove_dir_all(&dir).unwrap();
    matches_reference("double-well-1d", &image).unwrap();
}

#[test]
fn cli_title_legend_and_z_range_flags_change_the_figure() {
    let dir = temp_dir("fig-flags");
    let draw = |name: &str, extra: &str| {
        let path = dir.join(name);
        let o = gradscape(&format!(
            "render x*y --from 1,1 --size 400x260 --resolution 32 --out {} {extra}",
            quoted(&path)
        ));
        assert!(o.status.success(), "{}", stderr(&o));
        image::open(&path).unwrap().to_rgba8()
    };
    let plain = draw("plain.png", "");
    for (name, extra) in [
        ("titled.png", "--title 'A title of my own'"),
        ("untitled.png", "--no-title"),
        ("no-legend.png", "--no-legend"),
        ("z-range.png", "--z-range=-1,1"),
    ] {
        let other = draw(name, extra);
        assert_eq!(other.dimensions(), (400, 260));
        assert!(
            differing_share(&plain, &other) > 0.001,
            "{extra:?} changed nothing"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn changing_the_tangent_plane_colour_fails_the_comparison() {
    let ctx = context();
    let (function, mut scene) = sin_xy_scene();
    scene.palette.plane = [0.85, 0.25, 0.75, 0.45];
    let image = render(&ctx, &function, &scene);
    let error = compare_with_reference("sin-xy", &image)
        .expect_err("a differently coloured tangent plane must not pass as the reference");
    assert!(error.contains("differ"), "{error}");
}

#[test]
fn renders_are_deterministic() {
    let ctx = context();
    let (function, scene) = sin_xy_scene();
    let a = render(&ctx, &function, &scene);
    let b = render(&ctx, &function, &scene);
    assert_eq!(differing_share(&a, &b), 0.0);
}

#[test]
fn nan_points_are_holes() {
    // ln(x) is NaN for x <= 0: the left half of the domain is not drawn, so the background shows
    // through where the surface would be.
    let ctx = context();
    let function = Function::parse("ln(x) + 0*y").unwrap();
    let domain = Domain::new((-2.0, 2.0), (-2.0, 2.0));
    let mut scene = SceneDesc::new(&function, domain, false, 1.6);
    scene.overlays.axes = false;
    scene.camera.yaw_rad = -std::f32::consts::FRAC_PI_2;
    scene.camera.pitch_rad = 1.5;
    scene.fit_camera(1.6);
    let image = render(&ctx, &function, &scene);
    let background = |x: u32, y: u32| image.get_pixel(x, y).0 == [255, 255, 255, 255];
    // Looking straight down with +x to the right: left of centre is a hole, right is surface.
    assert!(background(SIZE_PX[0] / 2 - 20, SIZE_PX[1] / 2));
    assert!(!background(SIZE_PX[0] / 2 + 20, SIZE_PX[1] / 2));
}

#[test]
fn cli_writes_a_png_and_a_gif() {
    let dir = temp_dir("render");
    let png = dir.join("sin.png");
    let o = gradscape(&format!(
        "render --preset sin-xy --at 0.1,-1 --size 160x100 --contours --out {}",
        quoted(&png)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        image::open(&png).unwrap().to_rgba8().dimensions(),
        (160, 100)
    );

    let gif = dir.join("descent.gif");
    let o = gradscape(&format!(
        "render --preset himmelblau --from=-0.5,0.5 --optimizer sgd,adam --lr 0.01,0.2 --steps 30 \
         --frames 4 --size 96x60 --out {}",
        quoted(&gif)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let frames = gif_frames(&gif);
    assert_eq!(frames.len(), 4);
    // The ball moves: the first and last frames differ.
    assert_ne!(frames[0].buffer(), frames[3].buffer());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_renders_the_1d_notebook_view_and_its_secant_animation() {
    let dir = temp_dir("render-1d");
    let still = |at: &str, name: &str| {
        let path = dir.join(name);
        let o = gradscape(&format!(
            "render 'x^4/4 - x^2 + 1/2' --x-range=-2,2 --at {at} --size 400x300 --out {}",
            quoted(&path)
        ));
        assert!(o.status.success(), "{}", stderr(&o));
        image::open(&path).unwrap().to_rgba8()
    };
    let a = still("0.25", "a.png");
    assert_eq!(a.dimensions(), (400, 300));
    // Moving A moves the tangent and the point on f′.
    assert_ne!(a, still("1", "b.png"));

    let gif = dir.join("secant.gif");
    let o = gradscape(&format!(
        "render x^2 --at 1 --secant --frames 3 --size 480x360 --out {}",
        quoted(&gif)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let frames = gif_frames(&gif);
    assert_eq!(frames.len(), 3);
    // B glides toward A: the frames differ.
    assert_ne!(frames[0].buffer(), frames[2].buffer());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_bad_render_input_exits_2() {
    let many = vec!["sgd"; 17].join(",");
    let many_runs = format!("render sin(x*y) --out a.png --from 1,1 --optimizer {many}");
    let cases: [&str; 17] = [
        // Caps: the pixels of an animation (2-D and 1-D) and the number of runs.
        "render sin(x*y) --out a.gif --from 1,1 --frames 1000 --size 8192x8192",
        "render x^2 --out a.gif --secant --frames 1000 --size 8192x8192",
        &many_runs,
        "render x^2 --out a.png --contours",
        "render sin(x*y) --out a.png --secant",
        "render x^2 --out a.png --y-range 0,1",
        "render x^2 --out a.gif",
        "render x^2 --out a.png --optimizer adam",
        "render sin(x*y) --out a.jpg",
        "render sin(x*y) --out a.png --size big",
        "render sin(x*y) --out a.png --frames 3",
        "render sin(x*y) --out a.gif",
        "render sin(x*y) --out a.png --colormap jet",
        // The figure's flags: an empty z-range, one for a 1-D plot, a legend the 1-D plots do
        // not have, and a title both given and dropped.
        "render sin(x*y) --out a.png --z-range 1,0",
        "render x^2 --out a.png --z-range 0,1",
        "render x^2 --out a.png --no-legend",
        "render sin(x*y) --out a.png --title t --no-title",
    ];
    for args in cases {
        let o = gradscape(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert!(!o.stderr.is_empty());
    }
}

#[test]
fn render_exit_codes_follow_the_contract_on_tiny_huge_and_unwritable_cases() {
    let dir = temp_dir("codes");
    let png = quoted(&dir.join("t.png"));
    // Values at the bottom of f64 used to overflow a Vec's capacity in the tick computation.
    let o = gradscape(&format!(
        "render 5e-324*sign(x*y) --out {png} --size 160x100 --resolution 16"
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bad = [
        // A domain f32 cannot resolve (it used to panic in the ticks, then exit 1).
        format!("render x*y --x-range 0,1e-323 --out {png}"),
        format!("render x*y --x-range=-1e39,1e39 --out {png}"),
        // The 1-D view used to put the default range in its place and exit 0.
        format!("render x^2 --x-range 0,1e-320 --out {png}"),
        format!("render x^2 --x-range=-1e39,1e39 --out {png}"),
        // Unwritable paths: the user's to fix.
        "render x*y --out /nonexistent-gradscape-dir/a.png".to_string(),
        "render x^2 --out /nonexistent-gradscape-dir/a.png".to_string(),
    ];
    for args in bad {
        let o = gradscape(&format!("{args} --size 160x100"));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty() && !o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn every_8_bit_target_format_stores_the_same_colours() {
    // What a window's swapchain may be: BGRA or RGBA, sRGB or not. The shaders hand an sRGB
    // target decoded values, so opaque colours store the same bytes as in the plain Rgba8Unorm
    // render. Translucent overlays blend in the target's own space (linear for sRGB formats), so
    // the sRGB comparison leaves them out.
    use gradscape::render::{DEPTH_FORMAT, TargetFormat};
    let ctx = context();
    let (function, full) = sin_xy_scene();
    let mut opaque = full.clone();
    opaque.overlays.at = None;
    opaque.overlays.axes = false;
    let domain = full.map.domain;
    let evaluator = GridEvaluator::new(&ctx, &function.grid_wgsl()).unwrap();
    let grid = evaluator
        .evaluate(&GridSpec::square(domain.x, domain.y, 128))
        .unwrap();
    let render_in = |color, scene: &SceneDesc| {
        let target = TargetFormat {
            color,
            depth: DEPTH_FORMAT,
            sample_count: 1,
        };
        let mut renderer = HeadlessRenderer::with_target(&ctx, target).unwrap();
        renderer.render(&ctx, scene, &grid, SIZE_PX).unwrap()
    };
    let mut checked = 0;
    for format in [
        wgpu::TextureFormat::Rgba8UnormSrgb,
        wgpu::TextureFormat::Bgra8Unorm,
        wgpu::TextureFormat::Bgra8UnormSrgb,
    ] {
        let usages = ctx
            .adapter
            .get_texture_format_features(format)
            .allowed_usages;
        if !usages.contains(wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC)
        {
            continue;
        }
        let scene = if format.is_srgb() { &opaque } else { &full };
        let plain = render_in(wgpu::TextureFormat::Rgba8Unorm, scene);
        let share = differing_share(&render_in(format, scene), &plain);
        assert!(
            share <= MAX_DIFFERING_SHARE,
            "{format:?}: {:.2}% of pixels differ",
            share * 100.0
        );
        checked += 1;
    }
    assert!(
        checked >= 1,
        "no sRGB or BGRA format was renderable on {}",
        ctx.adapter_summary()
    );
}
