// A relation from a model to itself needs two different pivot keys: by default both would be
// `user_id`, so `pivot_related_foreign_key` must be given.
use orm::prelude::*;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[many_to_many(pivot = "follows")]
    pub follows: ManyToMany<User>,
}

fn main() {}
