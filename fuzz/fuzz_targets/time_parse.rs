//! `time_parse`: see `lognorm_fuzz::time_parse` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::time_parse(data));
