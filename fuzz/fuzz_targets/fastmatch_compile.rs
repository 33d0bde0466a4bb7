//! `fastmatch_compile`: see `lognorm_fuzz::fastmatch_compile` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::fastmatch_compile(
    data
));
