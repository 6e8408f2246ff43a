//! The `collatio` binary: only wiring; everything lives in the library.

// mimalloc keeps freed memory for reuse instead of handing it back to the kernel: with many
// short-lived unit buffers, glibc's allocator spent a third of the time on page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Once a large text is dropped, mimalloc returns what is free to the system at once
    // instead of after its purge delay: the next file of a pair is read meanwhile.
    // SAFETY: mi_collect only walks mimalloc's own free lists; it may be called at any time.
    collatio::pipeline::set_give_back(|| unsafe { libmimalloc_sys::mi_collect(true) });
    collatio::cli::main()
}
