// A relation field is not a column: #[model(primary_key)] or #[model(skip)] cannot go on it.
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[model(skip)]
    #[many_to_many]
    skills: ManyToMany<Skill>,
}

fn main() {}
