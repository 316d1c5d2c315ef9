// #[has_many(...)] accepts only `foreign_key` and `local_key`.
use orm::prelude::*;

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[has_many(foreign = "author_id")]
    posts: HasMany<Post>,
}

fn main() {}
