//! `normalize_json`: see `lognorm_fuzz::normalize_json` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::normalize_json(data));
