//! Benchmarks of the `orm` crate against hand-written sqlx, run with `cargo bench -p orm-benches`.
//! See `benches/preload.rs`.
