//! `fastmatch_match`: see `lognorm_fuzz::fastmatch_match` for the
//! properties checked. Typed, so `cargo fuzz fmt` shows the decoded input;
//! the replay test decodes bytes the same way (`arbitrary_take_rest`).
#![no_main]

libfuzzer_sys::fuzz_target!(|input: lognorm_fuzz::MatchInput<'_>| {
    lognorm_fuzz::fastmatch_match_input(&input)
});
