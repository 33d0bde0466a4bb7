//! `classify`: see `lognorm_fuzz::classify` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::classify(data));
