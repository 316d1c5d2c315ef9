// A key may be given only once in pivot_timestamps(...).
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many(pivot_timestamps(created_at = "c", created_at = "d"))]
    skills: ManyToMany<Skill>,
}

fn main() {}
