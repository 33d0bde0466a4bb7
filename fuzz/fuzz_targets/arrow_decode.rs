//! `arrow_decode`: see `lognorm_fuzz::arrow_decode` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::arrow_decode(data));
