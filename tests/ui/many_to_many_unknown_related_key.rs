// `related_key` names a column of the related model; the type checker proves it exists.
use orm::prelude::*;

#[derive(Model)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[many_to_many(related_key = "code")]
    pub skills: ManyToMany<Skill>,
}

fn main() {}
