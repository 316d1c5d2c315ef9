// #[many_to_many] goes on a field of type `ManyToMany<Related>` (or `ManyToMany<Related, PivotData>`).
use orm::prelude::*;

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many]
    skills: Vec<Skill>,
}

fn main() {}
