// #[many_to_many(...)] accepts only known keys; a misspelled key is an error listing the valid ones.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many(pivto = "x")]
    skills: ManyToMany<Skill>,
}

fn main() {}
