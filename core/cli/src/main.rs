//! The `gatekeeper` binary: the arguments to [`gatekeeper_cli::main`], its exit status
//! to the shell.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(a) => a,
        Err(_) => {
            eprintln!("gatekeeper: arguments must be valid UTF-8");
            return ExitCode::from(2);
        }
    };
    ExitCode::from(gatekeeper_cli::main(args))
}
