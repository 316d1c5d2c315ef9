// pivot_timestamps(...) accepts only `created_at` and `updated_at`.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many(pivot_timestamps(creatd_at = "c"))]
    skills: ManyToMany<Skill>,
}

fn main() {}
