//! `normalize_text`: see `lognorm_fuzz::normalize_text` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::normalize_text(data));
