// Swarm kernel: many gradient descents at once, one invocation per walker, each taking up to
// `steps` optimizer steps per dispatch with its state in registers, and in the storage buffer
// between dispatches (so an animation can read positions every frame, and a basin map runs all
// its steps in a few dispatches). The function (f, grad, gs_eval, and hess for Newton) and the
// optimizer's `gs_step` are generated in Rust and spliced in at the marker line; this file holds
// no function- or optimizer-specific math. Rust side: src/gpu/swarm.rs and src/gpu/layout.rs
// (SwarmParams, Walker); the step rules: src/optim/wgsl.rs.

// Keep in sync with `SwarmParams` in src/gpu/layout.rs (80 bytes).
struct GsSwarmParams {
    // lr (unused: each walker carries its own), momentum, alpha, beta1.
    hyper_a: vec4<f32>,
    // beta2, eps, tol (negative: no tolerance), rho.
    hyper_b: vec4<f32>,
    // weight_decay, momentum_decay, unused, unused.
    hyper_c: vec4<f32>,
    // Walkers in the buffer.
    count: u32,
    // Steps each walker takes in this dispatch, at most.
    steps: u32,
    // The most steps a run may take in all.
    max_steps: u32,
    // Which hyperparameter a walker's own `param` replaces: 0 none, 1 momentum, 2 alpha,
    // 3 beta1, 4 beta2, 5 eps, 6 rho, 7 weight_decay, 8 momentum_decay (a hyperparameter sweep).
    swept: u32,
    // 1 or 2: the function's variables.
    dims: u32,
    // 0x7fc00000, set by Rust: WGSL may assume no NaN, so the NaN comes from a runtime value.
    nan_bits: u32,
    // Walkers per row of the dispatch grid (256 per workgroup): more than 65535 workgroups
    // along x are dispatched as several rows.
    row_walkers: u32,
    // Bit 0: amsgrad; bit 1: centered.
    switches: u32,
}

// Keep in sync with `Walker` in src/gpu/layout.rs (64 bytes).
struct GsWalker {
    pos: vec2<f32>,
    // ∇f at pos.
    grad: vec2<f32>,
    // Optimizer state: momentum buffer, Adagrad's sum, RMSprop's and Adadelta's square average,
    // the Adam family's exp_avg.
    m: vec2<f32>,
    // The Adam family's exp_avg_sq (Adamax's exp_inf), Adadelta's acc_delta, RMSprop's grad_avg.
    v: vec2<f32>,
    // A third state vector: AMSGrad's max_exp_avg_sq, RMSprop's momentum buffer.
    u: vec2<f32>,
    // f at pos.
    value: f32,
    // Steps taken (the row index of pos).
    steps: u32,
    // GS_CONVERGED .. GS_PENDING below.
    status: u32,
    // This walker's learning rate.
    lr: f32,
    // This walker's value of the swept hyperparameter (see GsSwarmParams.swept).
    param: f32,
    // NAdam's running product of its momentum schedule (1 before the first step).
    mu_product: f32,
    // The Adam family's 1 - beta1^t and 1 - beta2^t, by recurrence (gs_bias_step).
    bias: vec2<f32>,
}

// The hyperparameters one walker runs with.
struct GsHyper {
    lr: f32,
    momentum: f32,
    alpha: f32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    rho: f32,
    weight_decay: f32,
    momentum_decay: f32,
    amsgrad: bool,
    centered: bool,
}

// Statuses: the CLI's basin codes (0 converged, 1 max_steps, 2 diverged, 3 singular_hessian),
// then the two states of a run still going.
const GS_CONVERGED: u32 = 0u;
const GS_MAX_STEPS: u32 = 1u;
const GS_DIVERGED: u32 = 2u;
const GS_SINGULAR: u32 = 3u;
const GS_RUNNING: u32 = 4u;
// Set by Rust on upload: row 0 (f and ∇f at the start) is not evaluated yet.
const GS_PENDING: u32 = 5u;

@group(0) @binding(0) var<uniform> gs_params: GsSwarmParams;
@group(0) @binding(1) var<storage, read_write> gs_walkers: array<GsWalker>;

fn gs_nan() -> f32 {
    return bitcast<f32>(gs_params.nan_bits);
}

// Bit inspection rather than comparisons: it stays correct under fast-math assumptions.
fn gs_is_finite(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

fn gs_swarm_dims() -> u32 {
    return gs_params.dims;
}

//#GENERATED

fn gs_hyper(w: GsWalker) -> GsHyper {
    var h = GsHyper(
        w.lr,
        gs_params.hyper_a.y,
        gs_params.hyper_a.z,
        gs_params.hyper_a.w,
        gs_params.hyper_b.x,
        gs_params.hyper_b.y,
        gs_params.hyper_b.w,
        gs_params.hyper_c.x,
        gs_params.hyper_c.y,
        (gs_params.switches & 1u) != 0u,
        (gs_params.switches & 2u) != 0u,
    );
    switch gs_params.swept {
        case 1u: { h.momentum = w.param; }
        case 2u: { h.alpha = w.param; }
        case 3u: { h.beta1 = w.param; }
        case 4u: { h.beta2 = w.param; }
        case 5u: { h.eps = w.param; }
        case 6u: { h.rho = w.param; }
        case 7u: { h.weight_decay = w.param; }
        case 8u: { h.momentum_decay = w.param; }
        default: {}
    }
    return h;
}

// f and ∇f at the walker's position, and the stop rules of `gradscape descend`: a non-finite
// point or value has diverged (checked first), a gradient norm at or below tol has converged.
fn gs_record(w: ptr<function, GsWalker>) {
    let e = gs_eval((*w).pos.x, (*w).pos.y);
    (*w).value = e.x;
    (*w).grad = e.yz;
    let finite = gs_is_finite(e.x) && gs_is_finite((*w).pos.x) && gs_is_finite((*w).pos.y);
    let tol = gs_params.hyper_b.z;
    if (!finite) {
        (*w).status = GS_DIVERGED;
        return;
    }
    (*w).status = GS_RUNNING;
    let g = (*w).grad;
    if (tol >= 0.0 && gs_is_finite(g.x) && gs_is_finite(g.y)) {
        // Scaled by the larger component first, so a tiny gradient does not square to 0.
        let m = max(abs(g.x), abs(g.y));
        let norm = select(0.0, m * sqrt((g.x / m) * (g.x / m) + (g.y / m) * (g.y / m)), m > 0.0);
        if (gs_is_finite(norm) && norm <= tol) {
            (*w).status = GS_CONVERGED;
        }
    }
}

@compute @workgroup_size(256, 1, 1)
fn gs_swarm_main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let k = gid.y * gs_params.row_walkers + gid.x;
    if (gid.x >= gs_params.row_walkers || k >= gs_params.count) {
        return;
    }
    var w = gs_walkers[k];
    if (w.status == GS_PENDING) {
        gs_record(&w);
    }
    if (w.status == GS_RUNNING) {
        let h = gs_hyper(w);
        for (var i = 0u; i < gs_params.steps; i = i + 1u) {
            if (w.steps >= gs_params.max_steps) {
                break;
            }
            if (!gs_step(&w, h)) {
                w.status = GS_SINGULAR;
                break;
            }
            w.steps = w.steps + 1u;
            gs_record(&w);
            if (w.status != GS_RUNNING) {
                break;
            }
        }
        if (w.status == GS_RUNNING && w.steps >= gs_params.max_steps) {
            w.status = GS_MAX_STEPS;
        }
    }
    gs_walkers[k] = w;
}
