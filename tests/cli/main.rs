//! The command line, run as a user runs it: the built binary with arguments, its stdout, stderr,
//! exit code and files checked against CLI.md's contract. One test binary for all of it, so
//! that CI links it once.

mod common;
mod general;
mod grid;
mod open;
mod optim;
mod steps;
mod swarm;

/// The helper every test here writes its commands with (common.rs is shared with the gpu and
/// ui binaries, so its own test lives here, run once).
#[test]
fn a_typed_line_splits_into_the_words_a_shell_would_pass() {
    assert_eq!(
        common::words("render 'x^4/4 - x^2' --x-range=-2,2  --out '/tmp/a b.png' ''"),
        [
            "render",
            "x^4/4 - x^2",
            "--x-range=-2,2",
            "--out",
            "/tmp/a b.png",
            ""
        ]
    );
}
