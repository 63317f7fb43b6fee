//! Why WGSL could not be generated for a set of roots.

/// The inputs to [`generate`](super::generate) do not describe one function of 1 or 2
/// variables over one arena. A parsed `Function` never gives any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodegenError {
    #[error("a function has 1 or 2 variables, so its gradient 1 or 2 entries; got {0}")]
    Dimensions(usize),

    #[error("a {dims}-D function has a {dims}×{dims} Hessian ({} entries); got {got}", dims * dims)]
    HessianShape { dims: usize, got: usize },

    #[error("node {index} is not in the arena (it holds {len} nodes)")]
    UnknownNode { index: usize, len: usize },
}
