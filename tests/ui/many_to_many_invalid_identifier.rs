// A pivot table name must be a plain SQL identifier: ASCII letters, digits and `_`, not starting with a digit.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many(pivot = "skill user")]
    skills: ManyToMany<Skill>,
}

fn main() {}
