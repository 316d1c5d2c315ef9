//! Compile-fail UI tests: every `#[derive(Model)]` mistake is one clear, spanned error.
//! Regenerate the snapshots with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
