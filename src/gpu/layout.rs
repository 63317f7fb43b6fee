//! `#[repr(C)]` Pod structs shared with WGSL kernels, byte for byte.
//! Each one names the WGSL struct it mirrors and asserts its size at compile time, so a field
//! added on one side only fails the build instead of silently shifting the other fields.

use bytemuck::{Pod, Zeroable};

/// The bit pattern of the quiet NaN that kernels return through `gs_nan()`.
pub const QUIET_NAN_BITS: u32 = 0x7fc0_0000;

/// Uniform parameters of one grid band.
///
/// Keep in sync with `GsGridParams` in shaders/grid.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct GridParams {
    /// x of column 0.
    pub x0: f32,
    /// y of row 0 of the whole grid (not of the band).
    pub y0: f32,
    /// Step between columns.
    pub dx: f32,
    /// Step between rows.
    pub dy: f32,
    /// Points per row.
    pub nx: u32,
    /// First grid row of this band.
    pub row0: u32,
    /// Rows in this band.
    pub band_rows: u32,
    /// Always [`QUIET_NAN_BITS`]; the kernel bitcasts it because WGSL has no NaN literal.
    pub nan_bits: u32,
}

const _: () = assert!(size_of::<GridParams>() == 32);

/// One grid point as the kernel writes it: `[f, df/dx, df/dy, 0]` (`vec4<f32>`).
pub type GridPoint = [f32; 4];

const _: () = assert!(size_of::<GridPoint>() == 16);

/// Uniform parameters of one swarm dispatch.
///
/// Keep in sync with `GsSwarmParams` in shaders/swarm.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct SwarmParams {
    /// lr (unused: each walker has its own), momentum, alpha, beta1.
    pub hyper_a: [f32; 4],
    /// beta2, eps, tol (negative: none), rho.
    pub hyper_b: [f32; 4],
    /// weight_decay, momentum_decay, unused, unused.
    pub hyper_c: [f32; 4],
    /// Walkers in the buffer.
    pub count: u32,
    /// Steps each walker takes in this dispatch, at most.
    pub steps: u32,
    /// The most steps a run may take in all.
    pub max_steps: u32,
    /// Which hyperparameter `Walker::param` replaces (see [`SweptHyperparameter`]).
    pub swept: u32,
    /// 1 or 2.
    pub dims: u32,
    /// Always [`QUIET_NAN_BITS`].
    pub nan_bits: u32,
    /// Walkers per row of the dispatch grid (set by the dispatcher).
    pub row_walkers: u32,
    /// Bit 0: amsgrad; bit 1: centered (see [`SwarmParams::switches_of`]).
    pub switches: u32,
}

const _: () = assert!(size_of::<SwarmParams>() == 80);

impl SwarmParams {
    /// The `switches` bits for amsgrad and centered.
    pub const fn switches_of(amsgrad: bool, centered: bool) -> u32 {
        (amsgrad as u32) | ((centered as u32) << 1)
    }
}

/// Which hyperparameter a walker's own `param` replaces in a sweep; the value is what the kernel's
/// `gs_hyper` switches on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SweptHyperparameter {
    None = 0,
    Momentum = 1,
    Alpha = 2,
    Beta1 = 3,
    Beta2 = 4,
    Eps = 5,
    Rho = 6,
    WeightDecay = 7,
    MomentumDecay = 8,
}

/// A walker's status codes, as the kernel writes them; 0–3 are the CLI's basin codes.
pub mod walker_status {
    pub const CONVERGED: u32 = 0;
    pub const MAX_STEPS: u32 = 1;
    pub const DIVERGED: u32 = 2;
    pub const SINGULAR_HESSIAN: u32 = 3;
    /// Still going: it has steps left.
    pub const RUNNING: u32 = 4;
    /// Uploaded, row 0 not yet evaluated.
    pub const PENDING: u32 = 5;
}

/// One descent of the swarm: its position, the gradient there and the optimizer's state.
///
/// Keep in sync with `GsWalker` in shaders/swarm.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct Walker {
    pub pos: [f32; 2],
    /// ∇f at `pos`.
    pub grad: [f32; 2],
    /// Momentum buffer, Adagrad's sum, RMSprop's or Adadelta's square average, or the Adam
    /// family's first moment.
    pub m: [f32; 2],
    /// The Adam family's second moment (Adamax's exp_inf), Adadelta's acc_delta, RMSprop's
    /// grad_avg.
    pub v: [f32; 2],
    /// AMSGrad's max_exp_avg_sq, RMSprop's momentum buffer.
    pub u: [f32; 2],
    /// f at `pos`.
    pub value: f32,
    /// Steps taken.
    pub steps: u32,
    /// One of [`walker_status`].
    pub status: u32,
    /// This walker's learning rate.
    pub lr: f32,
    /// This walker's value of the swept hyperparameter.
    pub param: f32,
    /// NAdam's running product of its momentum schedule.
    pub mu_product: f32,
    /// The Adam family's bias corrections 1 − β1^t and 1 − β2^t, kept by the recurrence
    /// 1 − β^t = (1 − β) + β·(1 − β^(t−1)): f32's pow loses their digits (1 − 0.999^t).
    pub bias: [f32; 2],
}

const _: () = assert!(size_of::<Walker>() == 72);

impl Walker {
    /// A walker at `pos` with learning rate `lr`, waiting for its first evaluation.
    pub fn new(pos: [f32; 2], lr: f32, param: f32) -> Self {
        Walker {
            pos,
            lr,
            param,
            status: walker_status::PENDING,
            // torch starts NAdam's mu_product at 1.
            mu_product: 1.0,
            ..Zeroable::zeroed()
        }
    }
}
