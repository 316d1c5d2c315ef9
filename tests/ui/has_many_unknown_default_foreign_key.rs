// Without `foreign_key`, #[has_many] uses snake_case(this struct) + `_` + its key (`user_id`),
// which must be a column of the related model.
use orm::prelude::*;

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[has_many]
    posts: HasMany<Post>,
}

fn main() {}
