//! `split_payload`: see `lognorm_fuzz::split_payload` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::split_payload(data));
