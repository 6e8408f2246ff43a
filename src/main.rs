//! The `collatio` binary: only wiring; everything lives in the library.

// mimalloc keeps freed memory for reuse instead of handing it back to the kernel: with many
// short-lived unit buffers, glibc's allocator spent a third of the time on page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    collatio::cli::main()
}
