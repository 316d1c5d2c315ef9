//! The peer benchmark's protocol (see `peers/PROTOCOL.md`): every contender is a binary that
//! takes [`Args`] on its command line, runs one workload on data seeded by the driver, and
//! prints one [`Report`] as a JSON line. This crate has no database dependency, so the
//! contenders built against other sqlx or SQLite versions (SeaORM, Diesel) share it too.
//!
//! ```
//! use orm_peer_protocol::{Args, Workload};
//! let args = Args::parse(["--contender", "orm", "--backend", "sqlite", "--url", "sqlite://x.db",
//!     "--workload", "w1", "--size", "100"].map(String::from)).unwrap();
//! assert_eq!((args.workload, args.size, args.warmup), (Workload::W1, 100, 2));
//! ```

pub mod alloc;
pub mod args;
pub mod canon;
pub mod data;
pub mod report;

pub use alloc::CountingAlloc;
pub use args::{Args, Backend, Workload};
pub use canon::Canon;
pub use report::Report;
