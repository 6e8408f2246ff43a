//! Segmentation (with front matter and normalization of every unit): spans stay in the text.
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
    for u in &doc.units {
        assert!(u.span.start <= u.span.end && u.span.end <= doc.text.len());
    }
});
