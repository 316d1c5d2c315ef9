// A key may be given only once in #[many_to_many(...)].
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many(pivot = "skill_user", pivot = "user_skill")]
    skills: ManyToMany<Skill>,
}

fn main() {}
