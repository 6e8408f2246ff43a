//! The single-document rules on any text.
#![no_main]
use collatio::knowledge::Knowledge;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(Knowledge::embedded)
}

fuzz_target!(|text: &str| {
    let doc = collatio::pipeline::document_from_text(
        "fuzz.txt".into(),
        "fuzz.txt".into(),
        text.to_string(),
        Default::default(),
        kb(),
    );
    let _ = collatio::rules::check_document(&doc, kb());
});
