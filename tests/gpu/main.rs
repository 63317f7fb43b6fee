//! The GPU paths against the f64 CPU ones: generated WGSL on grids, the swarm's walkers, and
//! rendered figures against reference images. A test that finds no adapter fails. One test
//! binary for all of it, so that CI links it once.

mod gpu_vs_cpu;
mod render;
mod swarm;

// Helpers shared with the other test binaries; each binary uses only some of them.
#[allow(dead_code)]
#[path = "../cli/common.rs"]
mod cli;
#[path = "../common/images.rs"]
mod images;
