//! Collation: the input split in two at its first NUL, reference and witness, both ways round.
#![no_main]
use collatio::knowledge::Knowledge;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(Knowledge::embedded)
}

fn doc(text: &str) -> collatio::model::Document {
    collatio::pipeline::document_from_text(
        "fuzz.txt".into(),
        "fuzz.txt".into(),
        text.to_string(),
        Default::default(),
        kb(),
    )
}

fuzz_target!(|text: &str| {
    let (a, b) = text.split_once('\0').unwrap_or((text, text));
    let (a, b) = (doc(a), doc(b));
    let _ = collatio::collate::check_group(&a, &[&b], kb());
    let _ = collatio::collate::check_group(&b, &[&a], kb());
});
