//! gradscape: type a function, see its surface, its derivatives and optimizers racing downhill.
//! The library holds every layer (see ../shared/DESIGN.md); `main.rs` only dispatches the CLI.

/// `Display` for an enum of named choices: it prints the choice's `name()`, the name the CLI,
/// serde and the menus use. Defined before the modules so that every one of them can use it.
macro_rules! display_as_name {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

pub mod app;
pub mod calculus;
pub mod cli;
pub mod codegen;
pub mod cpu_grid;
pub mod data;
pub mod figure;
pub mod format;
pub mod function;
pub mod gpu;
pub mod inspect;
pub mod math;
pub mod npy;
pub mod optim;
pub mod presets;
pub mod render;
pub mod rng;
pub mod scene;
pub mod swarm;
pub mod ui;
pub mod workspace;

#[cfg(test)]
mod test_support;
