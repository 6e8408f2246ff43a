//! The README's library example ("Architecture"), compiled by `cargo test` so it cannot drift:
//! `tests/readme.rs` checks that every ```rust block of the README is in a file here (white
//! space aside).

fn main() {
    use collatio::{engine::Checker, knowledge::Knowledge};
    let checker = Checker::new(Knowledge::embedded());
    let reference =
        checker.document_from_text("ref.txt", "3月1日\n\n◆外交部发言人介绍有关情况。\n");
    let copy = checker.document_from_text("copy.txt", "3月1日\n◆外交部发言人介绍了有关情况。\n");
    for f in checker.collate_group(&reference, &[&copy]) {
        println!(
            "{} {}:{} {}",
            f.code, f.location.line, f.location.column, f.message
        );
    }
}
