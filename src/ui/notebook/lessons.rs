//! The lessons: one scene per figure of the course notebook, in its order, each with a two-line
//! caption. Opening one sets the function, point A, the runs, the view and the camera; from
//! there the user may change anything (the caption goes once the function changes).

use super::{Model, NotebookMode, NotebookState};
use crate::optim::BatchOptions;
use crate::optim::{OptimizerKind, RunOptions, Schedule};
use crate::ui::layout::PanelTab;
use crate::ui::{DataSpec, DomainState, RunConfig};

/// One scene. A 1-D lesson leaves `y` out: the y range only frames the extruded surface.
#[derive(Clone, Copy, Debug)]
pub struct Lesson {
    pub title: &'static str,
    /// Two lines, in our own words.
    pub caption: &'static str,
    pub expr: &'static str,
    pub x: [f64; 2],
    pub y: Option<[f64; 2]>,
    /// Point A (and the runs' start); y is ignored in 1-D.
    pub point: [f64; 2],
    pub mode: NotebookMode,
    /// x_B − x_A for the secant scenes.
    pub b_offset: f64,
    /// B starts gliding toward A as the lesson opens.
    pub glide: bool,
    pub show_second: bool,
    /// (optimizer, learning rate) per run; none where the scene is not about descent.
    pub runs: &'static [(OptimizerKind, f64)],
    /// Each run's learning-rate schedule, by position; runs past the end keep a constant lr.
    pub schedules: &'static [Schedule],
    /// Playback starts from step 0 as the lesson opens.
    pub play: bool,
    pub max_steps: usize,
    pub plane: bool,
    pub partials: bool,
    /// Orbit camera (yaw, pitch) in degrees, for the 2-D scenes.
    pub camera_deg: [f32; 2],
    /// The derivation of f′, rule by rule, beside the f / f′ plots.
    pub show_steps: bool,
    /// The analysis panel's tab the caption points at, if any.
    pub tab: Option<PanelTab>,
    /// A "Training models" lesson's data objective (then `expr` is unused).
    pub data: Option<LessonData>,
    /// Each run's batch size on a data objective, by position; 0 or past the end: every row.
    pub batches: &'static [usize],
}

/// A lesson's data objective: as `--data --model --loss --l2 --l1` (default loss and target).
#[derive(Clone, Copy, Debug)]
pub struct LessonData {
    pub source: &'static str,
    pub model: &'static str,
    pub l2: f64,
    pub l1: f64,
}

impl LessonData {
    pub fn spec(&self) -> DataSpec {
        DataSpec {
            l2: self.l2,
            l1: self.l1,
            ..DataSpec::new(self.source, self.model)
        }
    }
}

const LINEAR: LessonData = LessonData {
    source: "linear",
    model: "linear:x",
    l2: 0.0,
    l1: 0.0,
};

const BASE: Lesson = Lesson {
    title: "",
    caption: "",
    expr: "x^2",
    x: [-2.0, 2.0],
    y: None,
    point: [1.0, 0.0],
    mode: NotebookMode::Tangent,
    b_offset: 1.0,
    glide: false,
    show_second: false,
    runs: &[],
    schedules: &[],
    play: false,
    max_steps: 200,
    plane: false,
    partials: false,
    camera_deg: [-60.0, 30.0],
    show_steps: false,
    tab: None,
    data: None,
    batches: &[],
};

/// The 2-D lessons' surface: sin(xy) over [−3, 3]², seen from A = (0.1, −1).
const SIN_XY: Lesson = Lesson {
    expr: "sin(x*y)",
    x: [-3.0, 3.0],
    y: Some([-3.0, 3.0]),
    point: [0.1, -1.0],
    ..BASE
};

const DOUBLE_WELL: &str = "1/4*x^4 - x^2 + 1/2";

/// The secant lessons where B glides toward A on its own.
const GLIDE: Lesson = Lesson {
    mode: NotebookMode::Secant,
    b_offset: 1.0,
    glide: true,
    ..BASE
};

/// A ball rolling down the double well at lr 0.01, played.
const ROLL: Lesson = Lesson {
    expr: DOUBLE_WELL,
    x: [-2.5, 2.5],
    runs: &[(OptimizerKind::Sgd, 0.01)],
    play: true,
    max_steps: 2000,
    ..BASE
};

// The workspace repairs a saved lesson index by its count of lessons: the two must agree.
const _: () = assert!(LESSONS.len() == crate::workspace::LESSON_COUNT);

/// The notebook's figures, in its order.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        title: "Slope of a line",
        caption: "A straight line climbs the same amount for every step across: slope = rise ÷ run.\n\
                  Drag A, or grab B: wherever the two points sit, this line's slope stays ½.",
        expr: "1/2*x + 1",
        x: [-3.0, 3.0],
        point: [-1.0, 0.0],
        mode: NotebookMode::Secant,
        b_offset: 3.0,
        ..BASE
    },
    Lesson {
        title: "Slope of x²",
        caption: "On a curve, rise ÷ run depends on which two points you take.\n\
                  Move A or B along x² and the line through them tilts: no single slope fits all of it.",
        point: [0.5, 0.0],
        mode: NotebookMode::Secant,
        b_offset: 1.0,
        ..BASE
    },
    Lesson {
        title: "Secant → tangent on x²",
        caption: "Let B glide toward A: the secant's slope settles on one number, 2·x_A.\n\
                  That limit is the derivative f′(x_A), and the line it gives is the tangent.",
        point: [1.0, 0.0],
        b_offset: 0.9,
        ..GLIDE
    },
    Lesson {
        title: "Secant → tangent on |x|",
        caption: "At 0 the secants have slope −1 from the left and +1 from the right.\n\
                  They never agree, so |x| has no derivative there: a kink.",
        expr: "abs(x)",
        point: [0.0, 0.0],
        ..GLIDE
    },
    Lesson {
        title: "Secant → tangent on ∛x",
        caption: "As B closes in on 0, the secants of ∛x stand up steeper and steeper.\n\
                  Their slope grows without bound: the tangent is vertical and f′(0) does not exist.",
        expr: "cbrt(x)",
        point: [0.0, 0.0],
        ..GLIDE
    },
    Lesson {
        title: "f and f′: x²",
        caption: "Under f sits f′, the slope of f at every x; for x² it is the straight line 2x.\n\
                  Drag A: the tangent on top and the point on f′ below move together.",
        point: [1.0, 0.0],
        ..BASE
    },
    Lesson {
        title: "f and f′: sin(2x²) + 1",
        caption: "Where f climbs, f′ is above 0; where f falls, below; at each top or bottom, exactly 0.\n\
                  The ripples crowd together, so the slope swings faster and faster away from 0.",
        expr: "sin(2x^2) + 1",
        point: [0.7, 0.0],
        ..BASE
    },
    Lesson {
        title: "The rules at work: x³ + cos(x)",
        caption: "No limits needed: the sum rule splits f, the power rule gives 3x², the cos rule −sin(x).\n\
                  Beside the plots, each step with its rule; click a step to see the rule and why it holds.",
        expr: "x^3 + cos(x)",
        x: [-2.0, 2.0],
        point: [1.0, 0.0],
        show_steps: true,
        ..BASE
    },
    Lesson {
        title: "The rules at work: sin(2x²) + 1",
        caption: "Call u = 2x²: the product and power rules give u′ = 4x, the sin and chain rules cos(u)·u′.\n\
                  So f′ = 4x·cos(2x²): the derivative the plot of f′ draws below f.",
        expr: "sin(2x^2) + 1",
        point: [0.7, 0.0],
        show_steps: true,
        ..BASE
    },
    Lesson {
        title: "Critical points of ¼x⁴ − x² + ½",
        caption: "f′ is 0 three times: two valleys at ±√2 and a hump at 0 between them.\n\
                  f″ tells them apart: above 0 at a minimum, below 0 at a maximum.",
        expr: DOUBLE_WELL,
        x: [-2.5, 2.5],
        point: [1.0, 0.0],
        show_second: true,
        ..BASE
    },
    Lesson {
        title: "x³'s flat point",
        caption: "x³ is flat at 0, yet 0 is neither a minimum nor a maximum.\n\
                  f′ = 3x² touches 0 without changing sign: a flat inflection point.",
        expr: "x^3",
        point: [0.0, 0.0],
        show_second: true,
        ..BASE
    },
    Lesson {
        title: "Gradient descent from x₀ = ¼",
        caption: "Each step moves x against the slope: x ← x − 0.01·f′(x).\n\
                  From ¼ the ball rolls right and comes to rest in the valley at √2 ≈ 1.414.",
        point: [0.25, 0.0],
        ..ROLL
    },
    Lesson {
        title: "Gradient descent from x₀ = −¼",
        caption: "The same rule from −¼ rolls the ball left instead, to −√2.\n\
                  The hump at 0 splits the line: where you start decides where you land.",
        point: [-0.25, 0.0],
        ..ROLL
    },
    Lesson {
        title: "How far can you trust the tangent?",
        caption: "The tangent predicts each step's drop in f as f′·Δx; ρ (Plots) is the real drop ÷ that.\n\
                  At lr 0.05 ρ stays near 1; at lr 0.6 (past 2/f″ = 0.5 at √2) the ball overshoots, f rises and ρ < 0.",
        expr: DOUBLE_WELL,
        x: [-2.5, 2.5],
        point: [0.5, 0.0],
        runs: &[(OptimizerKind::Sgd, 0.6), (OptimizerKind::Sgd, 0.05)],
        play: true,
        max_steps: 60,
        tab: Some(PanelTab::Plots),
        ..BASE
    },
    Lesson {
        title: "Schedules: Adam on Rosenbrock, constant vs cosine",
        caption: "Both runs are Adam at lr 0.5; the second lets a cosine schedule lower lr to 0 over 2000 steps.\n\
                  The constant one keeps rattling across the valley near (1, 1); the cosine one settles into it.",
        expr: "(1 - x)^2 + 100*(y - x^2)^2",
        x: [-2.0, 2.0],
        y: Some([-1.0, 3.0]),
        point: [-1.2, 1.0],
        runs: &[(OptimizerKind::Adam, 0.5), (OptimizerKind::Adam, 0.5)],
        schedules: &[
            Schedule::Constant,
            Schedule::Cosine {
                t_max: 2000,
                eta_min: 0.0,
            },
        ],
        play: true,
        max_steps: 2000,
        camera_deg: [-60.0, 40.0],
        tab: Some(PanelTab::Plots),
        ..BASE
    },
    Lesson {
        title: "sin(xy): partial derivatives at (0.1, −1)",
        caption: "Hold y fixed and f is a curve in x; hold x fixed and it is a curve in y.\n\
                  The slopes of those two curves at A are ∂f/∂x and ∂f/∂y (the lines, and the panel on the right).",
        partials: true,
        camera_deg: [-60.0, 35.0],
        tab: Some(PanelTab::Slices),
        ..SIN_XY
    },
    Lesson {
        title: "The tangent plane",
        caption: "The two partial slopes at A span a plane that touches the surface there.\n\
                  Close to A, plane and surface agree: the plane is f's best linear approximation.",
        plane: true,
        partials: true,
        camera_deg: [-35.0, 25.0],
        tab: Some(PanelTab::Slices),
        ..SIN_XY
    },
    Lesson {
        title: "Not totally differentiable: abs(sign(xy))",
        caption: "On both axes f is 0, so ∂f/∂x = ∂f/∂y = 0 at the origin.\n\
                  Yet just off the axes f jumps to 1: no plane fits, so f has no total derivative there.",
        expr: "abs(sign(x*y))",
        x: [-1.0, 1.0],
        y: Some([-1.0, 1.0]),
        point: [0.0, 0.0],
        plane: true,
        partials: true,
        camera_deg: [-50.0, 35.0],
        tab: Some(PanelTab::Slices),
        ..BASE
    },
    Lesson {
        title: "Gradient descent in 2-D",
        caption: "In 2-D each step goes against the gradient (∂f/∂x, ∂f/∂y), the steepest way down.\n\
                  On sin(xy) the runs slide from (0.1, −1) to the valley floor xy = −π/2, where f = −1.",
        runs: &[(OptimizerKind::Sgd, 0.1), (OptimizerKind::Adam, 0.05)],
        play: true,
        max_steps: 400,
        camera_deg: [-60.0, 45.0],
        tab: Some(PanelTab::Plots),
        ..SIN_XY
    },
    Lesson {
        title: "The Hessian of sin(xy)",
        caption: "The Hessian holds the second derivatives: how each slope changes along x and along y.\n\
                  For sin(xy) the mixed partials ∂²f/∂x∂y and ∂²f/∂y∂x are equal, as for every smooth f.",
        partials: true,
        camera_deg: [-60.0, 35.0],
        tab: Some(PanelTab::Inspector),
        ..SIN_XY
    },
    // Training models: the loss of a model on data, over its two parameters.
    Lesson {
        title: "Training models: the data and the line",
        caption: "100 points around y = 4 + 3x; the model ŷ = θ0 + θ1·x is a line, and f(θ0, θ1) is its mean squared error over the rows.\n\
                  Drag θ on the map and the line moves over the data (Data tab); drag the line's square ends and θ moves. The dashed line is the least-squares fit.",
        point: [1.0, 1.0],
        ..ON_LINEAR
    },
    Lesson {
        title: "Batch gradient descent: three learning rates",
        caption: "Every step uses all 100 rows. At η = 0.02 the ball crawls, at η = 0.1 it arrives, at η = 0.5 it overshoots further each step.\n\
                  Open the Inspector at the start: the stable learning rate 2/λmax of this bowl is about 0.45, and 0.5 is past it.",
        runs: &[
            (OptimizerKind::Sgd, 0.02),
            (OptimizerKind::Sgd, 0.1),
            (OptimizerKind::Sgd, 0.5),
        ],
        play: true,
        max_steps: 1000,
        ..ON_LINEAR
    },
    Lesson {
        title: "Stochastic gradient descent with a learning schedule",
        caption: "Each step sees one row drawn at random, so it follows that row's downhill, not the bowl's: the path jitters.\n\
                  The learning rate shrinks as η = t0/(k + t1), t0 = 5, t1 = 50 (lr 0.1, schedule inverse:50), and the jitter settles near the minimum.",
        runs: &[(OptimizerKind::Sgd, 0.1)],
        schedules: &[Schedule::Inverse { t: 50.0 }],
        batches: &[1],
        play: true,
        max_steps: 1000,
        ..ON_LINEAR
    },
    Lesson {
        title: "Batch, mini-batch and stochastic paths",
        caption: "One surface, three ways to estimate its slope: all 100 rows (smooth), 20 rows (a little noise), one row with the schedule (much noise).\n\
                  The smaller the batch, the cheaper each step and the noisier its path; all three end near the same minimum.",
        runs: &[
            (OptimizerKind::Sgd, 0.1),
            (OptimizerKind::Sgd, 0.1),
            (OptimizerKind::Sgd, 0.1),
        ],
        schedules: &[
            Schedule::Constant,
            Schedule::Constant,
            Schedule::Inverse { t: 50.0 },
        ],
        batches: &[0, 20, 1],
        play: true,
        max_steps: 500,
        tab: Some(PanelTab::Plots),
        ..ON_LINEAR
    },
    Lesson {
        title: "Logistic regression on iris",
        caption: "Is an iris a virginica, from its petal width? The model's logit θ0 + θ1·width goes through the sigmoid; the loss is the logistic one.\n\
                  The sigmoid's ends are handles in the Data tab; its ½ crossing is the decision boundary. Newton gets to the minimum in a few steps, SGD crawls.",
        data: Some(LessonData {
            source: "iris",
            model: "logistic:petal_width",
            l2: 0.0,
            l1: 0.0,
        }),
        x: IRIS_X,
        y: Some(IRIS_Y),
        // Not (0, 0): a flat sigmoid has no quartiles to hold; this one crosses ½ at 2 cm.
        point: [-4.0, 2.0],
        runs: &[(OptimizerKind::Sgd, 1.0), (OptimizerKind::Newton, 1.0)],
        max_steps: 1000,
        ..TRAINING
    },
    Lesson {
        title: "Ridge: an L2 penalty",
        caption: "20 noisy points; the L2 penalty A₂·(θ0² + θ1²) adds a round bowl centred at 0, and the minimum moves toward 0.\n\
                  Slide L2 in the Data panel: the dashed best line flattens smoothly, but no θ ever becomes exactly 0.",
        data: Some(LessonData {
            source: "ridge",
            model: "linear:x",
            l2: 0.5,
            l1: 0.0,
        }),
        runs: &[(OptimizerKind::Sgd, 0.05)],
        ..ON_RIDGE
    },
    Lesson {
        title: "Lasso: an L1 penalty",
        caption: LASSO_CAPTION,
        data: Some(LessonData {
            source: "ridge",
            model: "linear:x",
            l2: 0.0,
            l1: LASSO_L1,
        }),
        runs: &[(OptimizerKind::Sgd, 0.05), (OptimizerKind::Sgd, 0.1)],
        schedules: &[Schedule::Constant, Schedule::Inverse { t: 20.0 }],
        ..ON_RIDGE
    },
];

/// The training lessons' view: the loss surface from the usual side, the Data tab open.
const TRAINING: Lesson = Lesson {
    camera_deg: [-60.0, 40.0],
    tab: Some(PanelTab::Data),
    ..BASE
};

/// The lessons on the `linear` set: θ over [−1, 7] × [−1, 6] from (0, 0).
const ON_LINEAR: Lesson = Lesson {
    data: Some(LINEAR),
    x: [-1.0, 7.0],
    y: Some([-1.0, 6.0]),
    point: [0.0, 0.0],
    ..TRAINING
};

/// The penalty lessons on the `ridge` set: θ over [−1, 2]², from (−0.5, 1.5), 400 steps.
const ON_RIDGE: Lesson = Lesson {
    x: [-1.0, 2.0],
    y: Some([-1.0, 2.0]),
    point: [-0.5, 1.5],
    max_steps: 400,
    ..TRAINING
};

/// The θ domain of the iris lesson: the start and the minimum, about (−21, 13).
const IRIS_X: [f64; 2] = [-25.0, 5.0];
const IRIS_Y: [f64; 2] = [-5.0, 20.0];
/// The lasso lesson's penalty: enough that the lowest point sits on the crease θ0 = 0.
const LASSO_L1: f64 = 2.5;
/// Checked by its test: gradient steps reach the crease and zigzag across it; they never land
/// on exactly 0 (that takes a proximal step, which torch.optim's rules do not make).
const LASSO_CAPTION: &str = "The L1 penalty A₁·(|θ0| + |θ1|) creases the surface along each axis; at A₁ = 2.5 the lowest point sits on the crease θ0 = 0: the intercept is dropped.\n\
                  Both paths run onto the crease, then zigzag across it: a gradient step never lands on exactly 0. The constant lr saws within about 2·lr·A₁ of it; the inverse schedule narrows the saw.";

/// The menu entry for lesson `index`: numbered, so the order is visible.
pub fn menu_label(index: usize) -> String {
    LESSONS
        .get(index)
        .map_or_else(String::new, |l| format!("{}. {}", index + 1, l.title))
}

/// Opens lesson `index`: function, domain, A, runs, playback, view toggles and camera. The
/// scene before the first lesson opened is kept, for Close to bring back.
pub fn apply(model: &mut Model, index: usize) {
    let Some(lesson) = LESSONS.get(index) else {
        return;
    };
    if model.state.lesson_return.is_none() {
        let mut saved = model.state.clone();
        saved.playback.playing = false;
        saved.notebook.animating = false;
        saved.notebook.lesson = None;
        model.state.lesson_return = Some(Box::new(saved));
    }
    // A catalog function keeps its preset name, so the picker shows it.
    match (
        lesson.data,
        crate::presets::catalog()
            .iter()
            .find(|p| p.expr == lesson.expr),
    ) {
        (Some(data), _) => {
            // The lessons' data specs are constants, checked by a test to build.
            if let Err(problem) = model.open_data(data.spec()) {
                model.notice = Some((problem.message, true));
            }
        }
        (None, Some(preset)) => model.apply_preset(preset),
        (None, None) => model.set_source(lesson.expr),
    }
    let span = lesson.x[1] - lesson.x[0];
    let y = lesson.y.unwrap_or([-span / 2.0, span / 2.0]);
    // The lessons' domains are constants, checked by a test to be valid.
    let _ = model.set_domain(DomainState { x: lesson.x, y });
    model.state.runs = lesson
        .runs
        .iter()
        .enumerate()
        .map(|(i, &(kind, lr))| RunConfig {
            options: RunOptions {
                schedule: lesson.schedules.get(i).copied().unwrap_or_default(),
                batch: lesson
                    .batches
                    .get(i)
                    .filter(|&&size| size > 0)
                    .map(|&size| BatchOptions {
                        size,
                        sampling: Default::default(),
                    }),
                ..RunOptions::default()
            },
            ..RunConfig::new(kind, lr, i)
        })
        .collect();
    model.state.playback.max_steps = lesson.max_steps;
    // A lesson shows its own scene only: no swarm rolling over its runs (Close brings the
    // user's swarm back with the rest of their scene).
    model.state.swarm.balls = false;
    model.state.swarm.basins = false;
    model.state.swarm.sweep = false;
    model.state.display.plane = lesson.plane;
    model.state.display.partials = lesson.partials;
    model.state.notebook = NotebookState {
        mode: lesson.mode,
        b_offset: lesson.b_offset,
        secant_t: 0.0,
        animating: lesson.glide,
        show_second: lesson.show_second,
        lesson: Some(index),
        show_slices: model.state.notebook.show_slices,
    };
    if let Some(tab) = lesson.tab {
        model.state.layout.tab = tab;
    }
    model.state.camera.yaw_rad = lesson.camera_deg[0].to_radians();
    model.state.camera.pitch_rad = lesson.camera_deg[1].to_radians();
    model.request_fit();
    // set_start reruns every run from A.
    model.set_start(lesson.point[0], lesson.point[1]);
    model.reset();
    if lesson.play {
        model.toggle_play();
    } else {
        model.state.playback.step = model.last_step();
    }
}

/// The Lessons menu, in the notebook's order, each caption as the entry's tooltip.
pub(super) fn menu(ui: &mut egui::Ui, model: &mut Model) {
    ui.menu_button("Lessons", |ui| {
        for (index, lesson) in LESSONS.iter().enumerate() {
            if ui
                .button(menu_label(index))
                .on_hover_text(lesson.caption)
                .clicked()
            {
                apply(model, index);
                ui.close();
            }
        }
    })
    .response
    .on_hover_text("The course notebook's figures, in order: each opens its own scene.");
}

/// Leaves the lesson: the scene from before it comes back (camera included). Undoable.
pub fn close(model: &mut Model) {
    match model.state.lesson_return.take() {
        Some(saved) => {
            let mut saved = *saved;
            // What the user did to files during the lesson is not part of the scene: keep it.
            saved.export_dir = model.state.export_dir.clone();
            saved.recent_scenes = model.state.recent_scenes.clone();
            saved.scene_file = model.state.scene_file.clone();
            if let Err(why) = model.restore(saved) {
                model.notice = Some((
                    format!("could not bring back the scene before the lesson: {why}"),
                    true,
                ));
            }
            model.state.notebook.lesson = None;
            model.state.lesson_return = None;
        }
        None => model.state.notebook.lesson = None,
    }
}

/// Leaves the lesson keeping its scene as the user's own (the scene before it is forgotten).
pub fn keep(model: &mut Model) {
    model.state.lesson_return = None;
    model.state.notebook.lesson = None;
}

/// Whether the current lesson is one of "The rules at work", which show the derivation of f′
/// open beside the plots.
pub(super) fn shows_steps(model: &Model) -> bool {
    model
        .state
        .notebook
        .lesson
        .and_then(|i| LESSONS.get(i))
        .is_some_and(|l| l.show_steps && shows_function_of(model, l))
}

/// Whether the scene still has `lesson`'s function (its expression, or its data objective).
fn shows_function_of(model: &Model, lesson: &Lesson) -> bool {
    match lesson.data {
        Some(data) => model.state.data.as_ref() == Some(&data.spec()),
        None => model.state.data.is_none() && model.state.good_source == lesson.expr,
    }
}

/// The current lesson's buttons (always in the same places: ◀ Previous, Next ▶, Close, Keep
/// this scene), its title and two-line caption. While the scene before the lesson is kept, the
/// caption stays even if the function is changed; without one, the lesson stops being current
/// once its function is replaced.
pub(super) fn caption(ui: &mut egui::Ui, model: &mut Model) {
    let Some(index) = model.state.notebook.lesson else {
        return;
    };
    let Some(lesson) = LESSONS.get(index) else {
        model.state.notebook.lesson = None;
        return;
    };
    let saved = model.state.lesson_return.is_some();
    if !saved && !shows_function_of(model, lesson) {
        model.state.notebook.lesson = None;
        return;
    }
    #[derive(Clone, Copy)]
    enum Action {
        Open(usize),
        Close,
        Keep,
    }
    let mut action = None;
    ui.horizontal(|ui| {
        let previous = ui
            .add_enabled(index > 0, egui::Button::new("◀ Previous").small())
            .on_hover_text(if index > 0 {
                menu_label(index - 1)
            } else {
                "This is the first lesson.".to_string()
            });
        if previous.clicked() && index > 0 {
            action = Some(Action::Open(index - 1));
        }
        let last = index + 1 >= LESSONS.len();
        let next = ui
            .add_enabled(!last, egui::Button::new("Next ▶").small())
            .on_hover_text(if last {
                "This is the last lesson.".to_string()
            } else {
                menu_label(index + 1)
            });
        if next.clicked() && !last {
            action = Some(Action::Open(index + 1));
        }
        let close_help = if saved {
            "Leave the lessons and bring back your scene as it was before (Esc)."
        } else {
            "Hide the caption (Esc)."
        };
        if ui
            .small_button("× Close")
            .on_hover_text(close_help)
            .clicked()
        {
            action = Some(Action::Close);
        }
        if saved
            && ui
                .small_button("Keep this scene")
                .on_hover_text(
                    "Leave the lessons keeping this lesson's scene as your own; the scene from \
                     before the lesson is let go (Edit → Undo still has it).",
                )
                .clicked()
        {
            action = Some(Action::Keep);
        }
        ui.strong(format!(
            "Lesson {}/{}: {}",
            index + 1,
            LESSONS.len(),
            lesson.title
        ));
    });
    for line in lesson.caption.lines() {
        ui.label(line.trim());
    }
    match action {
        Some(Action::Open(next)) => apply(model, next),
        Some(Action::Close) => close(model),
        Some(Action::Keep) => keep(model),
        None => {}
    }
}

#[cfg(test)]
mod tests;
