// A field carries at most one relation attribute.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[has_many]
    #[many_to_many]
    skills: ManyToMany<Skill>,
}

fn main() {}
