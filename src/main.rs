//! The `collatio` binary: only wiring; everything lives in the library.
fn main() -> std::process::ExitCode {
    collatio::cli::main()
}
