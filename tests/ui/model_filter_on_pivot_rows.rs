// A query of pivot rows alone (`pivot_query()`) reads no column of the related model: a model
// filter on it does not compile.
use orm::prelude::*;

#[derive(Model)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[many_to_many]
    pub skills: ManyToMany<Skill>,
}

fn main() {
    let user = User { id: 1, skills: Default::default() };
    let _ = user
        .related(User::skills())
        .pivot_query::<sqlx::Sqlite>()
        .where_eq("name", "Rust");
}
