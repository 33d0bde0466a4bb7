//! `schema_yaml`: see `lognorm_fuzz::schema_yaml` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lognorm_fuzz::schema_yaml(data));
