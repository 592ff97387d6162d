//! `loket` opens the TUI; `loket <command>` does headless work. See `loket --help`.

fn main() -> std::process::ExitCode {
    loket::cli::main()
}
