// pivot_timestamps(...) keys take a column name or `true` / `false`.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many(pivot_timestamps(updated_at = 1))]
    skills: ManyToMany<Skill>,
}

fn main() {}
