//! Benchmarks of the `orm` crate against hand-written sqlx, run with `cargo bench -p orm-benches`
//! (`benches/preload.rs`, `benches/sync.rs`). This library holds the models they share.

use orm::prelude::*;

/// A user with many skills through `skill_user`.
#[derive(Model, Debug, Clone)]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub username: String,
    /// Pivot `skill_user` with a proficiency.
    #[many_to_many]
    pub skills: ManyToMany<Skill, Proficiency>,
}

/// A skill.
#[derive(Model, Debug, Clone)]
pub struct Skill {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The pivot's extra column.
#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Proficiency {
    /// How well the user knows the skill.
    pub proficiency: Option<String>,
}

use std::future::Future;
use std::time::Duration;

use criterion::Criterion;

/// Benchmarks `orm` against `hand_written` in one criterion group, in the same run.
pub fn versus<A, FA, B, FB>(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    group: &str,
    samples: usize,
    seconds: u64,
    orm: A,
    hand_written: B,
) where
    A: Fn() -> FA,
    FA: Future<Output = ()>,
    B: Fn() -> FB,
    FB: Future<Output = ()>,
{
    let mut group = c.benchmark_group(group);
    group
        .sample_size(samples)
        .measurement_time(Duration::from_secs(seconds));
    group.bench_function("orm", |b| b.to_async(runtime).iter(&orm));
    group.bench_function("sqlx_hand_written", |b| {
        b.to_async(runtime).iter(&hand_written)
    });
    group.finish();
}

/// The PostgreSQL URL from `ORM_TEST_POSTGRES_URL`, or a printed line saying the backend is
/// skipped.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("ORM_TEST_POSTGRES_URL").ok();
    if url.is_none() {
        println!("skipped PostgreSQL: ORM_TEST_POSTGRES_URL is not set");
    }
    url
}

/// An author with many posts (`posts.author_id`).
#[derive(Model, Debug, Clone)]
pub struct Author {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Posts by `author_id`.
    #[has_many]
    pub posts: HasMany<Post>,
}

/// A post of an author.
#[derive(Model, Debug, Clone)]
pub struct Post {
    /// Primary key.
    pub id: i64,
    /// The author's key.
    pub author_id: i64,
    /// Title.
    pub title: String,
}
