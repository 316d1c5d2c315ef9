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
