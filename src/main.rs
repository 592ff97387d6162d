//! `loket` opens the TUI; `loket <command>` does headless work. See `loket --help`.

/// A bulk import allocates each row's fields on the reading thread and frees them on the
/// writing one; mimalloc does that without the lock contention of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    loket::cli::main()
}
