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
