// `local_key` of #[has_many] names a column of the model that declares the relation.
use orm::prelude::*;

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    username: String,
    #[has_many(foreign_key = "author_id", local_key = "uuid")]
    posts: HasMany<Post>,
}

fn main() {}
