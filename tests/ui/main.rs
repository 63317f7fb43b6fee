//! The app's panels driven through egui_kittest as a person drives them: clicks, drags, typed
//! text, then the state and small snapshots checked. One test binary for all of it, so that CI
//! links it once.

mod app;
mod app_optim;
mod app_swarm;
mod export;
mod harness;
mod notebook;
mod plots;
mod steps;
mod workspace;

// Helpers shared with the other test binaries; each binary uses only some of them.
#[allow(dead_code)]
#[path = "../cli/common.rs"]
mod cli;
#[path = "../common/images.rs"]
mod images;
