//! Front matter: any text at the top of a file, fenced or not.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut prov = collatio::model::Provenance::default();
    let body = collatio::source::parse_front_matter(text, &mut prov);
    assert!(body <= text.len() && text.is_char_boundary(body));
    for span in prov.field_spans.values() {
        assert!(span.start <= span.end && span.end <= text.len());
    }
});
