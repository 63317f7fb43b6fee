//! A batch on the GPU: the function's generated WGSL and the optimizer's `gs_step` spliced into
//! the swarm kernel, the starts uploaded as walkers, K steps per dispatch, read back at the end
//! (or every frame, for the app's balls). The kernel is kept and rebuilt only for a new
//! (function, optimizer) pair.

use super::{Batch, End, SWEPT_CODES, SwarmError};
use crate::function::Function;
use crate::gpu::{
    GpuContext, QUIET_NAN_BITS, SwarmKernel, SwarmParams, SwarmRun, SweptHyperparameter, Walker,
    walker_status,
};
use crate::optim::wgsl::{needs_hessian, step_wgsl};
use crate::optim::{OptimizerKind, Status};

/// What gets spliced into the swarm kernel for `function` and `kind`: the function's `gs_eval`
/// (with `hess` only where the step needs it: drivers compile every function of a module) and
/// the optimizer's step.
pub fn generated_source(function: &Function, kind: OptimizerKind) -> String {
    let mut source = if needs_hessian(kind) {
        function.wgsl()
    } else {
        function.grid_wgsl()
    };
    source.push('\n');
    source.push_str(step_wgsl(kind));
    source
}

/// The swarm kernel of the last (function, optimizer) asked for.
#[derive(Default)]
pub struct GpuSwarm {
    kernel: Option<SwarmKernel>,
}

impl GpuSwarm {
    pub fn new() -> Self {
        Self::default()
    }

    /// The kernel for `function` and `kind`, compiled if it is not the current one.
    fn kernel(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        kind: OptimizerKind,
    ) -> Result<&SwarmKernel, SwarmError> {
        let source = generated_source(function, kind);
        match &mut self.kernel {
            Some(kernel) => kernel.set_source(&source)?,
            None => self.kernel = Some(SwarmKernel::new(ctx, &source)?),
        }
        // Set just above.
        let kernel = self.kernel.as_mut().expect("the kernel was just built");
        kernel.set_data(function.data_values_f32().as_deref());
        Ok(kernel)
    }

    /// Puts `batch` on the GPU, ready to [`GpuSwarm::advance`]; its walkers' buffer is what the
    /// app draws its balls from. Fails for a batch larger than one binding (see
    /// [`GpuSwarm::run`], which splits).
    pub fn start(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        batch: &Batch,
    ) -> Result<SwarmRun, SwarmError> {
        let (walkers, params) = walkers_and_params(function, batch)?;
        let kernel = self.kernel(ctx, function, batch.hyper.kind)?;
        Ok(kernel.upload(&walkers, params)?)
    }

    /// Advances every walker of `run` by up to `steps` steps (submitted, not awaited).
    pub fn advance(&self, run: &mut SwarmRun, steps: u32) -> Result<(), SwarmError> {
        let kernel = self.kernel.as_ref().ok_or_else(not_started)?;
        Ok(kernel.advance(run, steps)?)
    }

    /// Where every walker of `run` stands now; walkers still going report `max_steps`.
    pub fn read(&self, run: &SwarmRun, dims: usize) -> Result<Vec<End>, SwarmError> {
        let kernel = self.kernel.as_ref().ok_or_else(not_started)?;
        Ok(kernel
            .read_back(run)?
            .iter()
            .map(|w| walker_end(w, dims))
            .collect())
    }

    /// Runs every start of `batch` to its end, `steps_per_dispatch` steps at a time, in pieces of
    /// at most one storage binding's walkers. `cancelled` is asked between dispatches; when it says
    /// yes the run stops with [`SwarmError::Cancelled`].
    pub fn run(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        batch: &Batch,
        steps_per_dispatch: u32,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Vec<End>, SwarmError> {
        self.run_watched(ctx, function, batch, steps_per_dispatch, &|_| cancelled())
    }

    /// [`GpuSwarm::run`] telling `watch` the fraction done before each dispatch; `watch`
    /// returning true cancels the run.
    pub fn run_watched(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        batch: &Batch,
        steps_per_dispatch: u32,
        watch: &dyn Fn(f64) -> bool,
    ) -> Result<Vec<End>, SwarmError> {
        let (walkers, params) = walkers_and_params(function, batch)?;
        let kernel = self.kernel(ctx, function, batch.hyper.kind)?;
        // A million walkers (64 MiB) per piece keeps memory modest even where a binding is larger.
        let piece = kernel.max_walkers().clamp(1, 1 << 20) as usize;
        let per_dispatch = steps_per_dispatch.max(1);
        let dispatches = (batch.max_steps as u64)
            .div_ceil(u64::from(per_dispatch))
            .max(1);
        let mut ends = Vec::with_capacity(walkers.len());
        let total = (walkers.len().div_ceil(piece) as u64 * dispatches) as f64;
        let mut done = 0u64;
        for chunk in walkers.chunks(piece) {
            let mut run = kernel.upload(chunk, params)?;
            for _ in 0..dispatches {
                if watch(done as f64 / total) {
                    return Err(SwarmError::Cancelled);
                }
                done += 1;
                kernel.advance(&mut run, per_dispatch)?;
            }
            ends.extend(
                kernel
                    .read_back(&run)?
                    .iter()
                    .map(|w| walker_end(w, batch.dims)),
            );
        }
        Ok(ends)
    }
}

fn not_started() -> SwarmError {
    SwarmError::Invalid("no swarm kernel has been built yet".into())
}

/// The batch as walkers and kernel parameters, checked for what f32 can hold.
fn walkers_and_params(
    function: &Function,
    batch: &Batch,
) -> Result<(Vec<Walker>, SwarmParams), SwarmError> {
    batch.validate_for(function)?;
    let max_steps = u32::try_from(batch.max_steps).map_err(|_| {
        SwarmError::Invalid(format!(
            "{} steps are more than the GPU counts",
            batch.max_steps
        ))
    })?;
    let swept = match batch.swept {
        None => SweptHyperparameter::None,
        Some(name) => SWEPT_CODES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, code)| code)
            .ok_or_else(|| SwarmError::Invalid(format!("the GPU swarm cannot sweep '{name}'")))?,
    };
    // A decay rate just below 1 in f64 can round to 1 in f32, where Adam divides 0 by 0 and
    // RMSprop stops averaging: refused rather than run wrong.
    let h = &batch.hyper;
    const DECAY_RATES: [&str; 5] = ["momentum", "alpha", "beta1", "beta2", "rho"];
    let rates = [
        ("momentum", h.momentum),
        ("alpha", h.alpha),
        ("beta1", h.beta1),
        ("beta2", h.beta2),
        ("rho", h.rho),
    ];
    let swept_rates = batch.starts.iter().filter_map(|s| {
        batch
            .swept
            .filter(|name| DECAY_RATES.contains(name))
            .map(|name| (name, s.param))
    });
    for (name, value) in rates.into_iter().chain(swept_rates) {
        if batch.hyper.kind.takes(name) && (value as f32) >= 1.0 {
            return Err(SwarmError::Invalid(format!(
                "--{name} {value} rounds to 1 in the GPU's 32-bit floats (use --backend cpu)"
            )));
        }
    }
    let walkers = batch
        .starts
        .iter()
        .map(|start| {
            let pos = [start.point[0] as f32, start.point[1] as f32];
            let lr = start.lr as f32;
            let param = start.param as f32;
            let swept_ok = batch.swept.is_none() || param.is_finite();
            if pos.iter().all(|v| v.is_finite()) && lr.is_finite() && lr > 0.0 && swept_ok {
                Ok(Walker::new(pos, lr, param))
            } else {
                // An error a person may act on with --backend cpu: the exact numbers.
                let fmt = crate::format::exact;
                let point: Vec<String> = start.point[..batch.dims.clamp(1, 2)]
                    .iter()
                    .map(|&v| fmt(v))
                    .collect();
                Err(SwarmError::Invalid(format!(
                    "the start ({}) with lr {} does not fit the GPU's 32-bit floats (use --backend cpu)",
                    point.join(", "),
                    fmt(start.lr)
                )))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let params = SwarmParams {
        hyper_a: [
            h.lr as f32,
            h.momentum as f32,
            h.alpha as f32,
            h.beta1 as f32,
        ],
        hyper_b: [
            h.beta2 as f32,
            h.eps as f32,
            batch.tol.map_or(-1.0, |t| t as f32),
            h.rho as f32,
        ],
        hyper_c: [h.weight_decay as f32, h.momentum_decay as f32, 0.0, 0.0],
        count: 0,
        steps: 0,
        max_steps,
        swept: swept as u32,
        dims: batch.dims as u32,
        nan_bits: QUIET_NAN_BITS,
        row_walkers: 0,
        switches: SwarmParams::switches_of(h.amsgrad, h.centered),
    };
    Ok((walkers, params))
}

fn walker_end(w: &Walker, dims: usize) -> End {
    let status = match w.status {
        walker_status::CONVERGED => Status::Converged,
        walker_status::DIVERGED => Status::Diverged,
        walker_status::SINGULAR_HESSIAN => Status::SingularHessian,
        // MAX_STEPS, and walkers still going when read mid-run.
        _ => Status::MaxSteps,
    };
    let grad = if dims == 1 {
        f64::from(w.grad[0]).abs()
    } else {
        f64::from(w.grad[0]).hypot(f64::from(w.grad[1]))
    };
    End {
        point: [f64::from(w.pos[0]), f64::from(w.pos[1])],
        value: f64::from(w.value),
        grad_norm: grad,
        steps: w.steps,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_and_optimizer_splices_into_a_valid_swarm_kernel() {
        for preset in crate::presets::catalog() {
            let function = preset.function();
            for kind in OptimizerKind::ALL {
                let source = crate::gpu::shaders::splice(
                    crate::gpu::SWARM_TEMPLATE,
                    &generated_source(&function, kind),
                )
                .unwrap();
                if let Err(e) = crate::gpu::shaders::validate(&source) {
                    panic!("{} with {kind}: {e}", preset.name);
                }
            }
        }
    }
}
