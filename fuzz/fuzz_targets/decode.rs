//! Decoding: any bytes, strict and lossy, detected or forced to a legacy encoding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let p = Path::new("fuzz.txt");
    let _ = collatio::source::decode(p, data, None, false);
    let _ = collatio::source::decode(p, data, None, true);
    for enc in [encoding_rs::GB18030, encoding_rs::BIG5] {
        let _ = collatio::source::decode(p, data, Some(enc), true);
    }
});
