// `local_key` names a column of the model that declares the relation.
use orm::prelude::*;

#[derive(Model)]
pub struct Skill {
    pub id: i64,
}

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[many_to_many(local_key = "uuid")]
    pub skills: ManyToMany<Skill>,
}

fn main() {}
