//! Entry point: parse the command line and dispatch; exit codes per ../shared/CLI.md.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gradscape::cli::{Cli, prepare_environment, run};

fn main() -> ExitCode {
    prepare_environment();
    let cli = Cli::parse(); // clap prints its own usage errors and exits with 2
    // Output is held until the command has succeeded: a failed command prints nothing on stdout.
    let mut out = Vec::new();
    let result = run(cli, &mut out).and_then(|()| {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out)?;
        stdout.flush().map_err(Into::into)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
