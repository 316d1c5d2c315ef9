// A relation field (`ManyToMany<...>`, `HasMany<...>`, ...) needs its relation attribute.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    skills: ManyToMany<Skill>,
}

fn main() {}
