//! The GPU paths against the f64 CPU ones: generated WGSL on grids, the swarm's walkers, and
//! rendered figures against reference images. A test that finds no adapter fails. One test
//! binary for all of it, so that CI links it once.

mod gpu_vs_cpu;
mod render;
mod swarm;
