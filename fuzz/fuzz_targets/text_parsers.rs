//! `text_parsers`: see `lognorm_fuzz::text_parsers` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::text_parsers(data));
