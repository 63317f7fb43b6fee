//! Data objectives: data sets (CSV files with line/column errors, built-in sets), the batches a
//! mini-batch descent draws from them, and a model's loss on a set as a [`Function`] of its two
//! parameters — below `optim/` and `swarm/`, which take it like any other f.
//!
//! [`Function`]: crate::function::Function

mod builtin;
mod csv;
mod objective;
mod sampling;
mod table;

pub use builtin::{BUILTINS, Builtin, builtin};
pub use csv::{MAX_BYTES, MAX_CELLS, MAX_ROWS, parse_csv, read_csv};
pub use objective::{
    Loss, ObjectiveError, ObjectiveSpec, build_objective, is_reserved_name, load_table,
};
pub use sampling::{Batcher, Sampling};
pub use table::{ColumnSummary, DataError, Table};
