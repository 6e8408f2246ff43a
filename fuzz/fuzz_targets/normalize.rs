//! Normalization: one folded character's source offset per character, inside the raw text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let n = collatio::normalize::normalize(text, 0);
    assert_eq!(n.chars.len(), n.src.len());
    assert!(n.src.iter().all(|s| (s as usize) < text.len().max(1)));
});
