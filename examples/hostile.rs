//! Writes one hostile input (tests/hostile/mod.rs) to a file, for the bench:
//! `cargo run --example hostile -- KIND BYTES OUT` (`list` prints the kinds).

#[path = "../tests/hostile/mod.rs"]
mod hostile;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for k in hostile::KINDS {
            println!("{k}");
        }
        return;
    }
    let [kind, bytes, out] = args.as_slice() else {
        eprintln!("usage: hostile KIND BYTES OUT | hostile list");
        std::process::exit(2);
    };
    let Ok(bytes) = bytes.parse::<usize>() else {
        eprintln!("BYTES must be a number");
        std::process::exit(2);
    };
    let Some(text) = hostile::generate(kind, bytes) else {
        eprintln!("unknown kind {kind} (see `hostile list`)");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::write(out, text) {
        eprintln!("{out}: {e}");
        std::process::exit(2);
    }
}
