// `owner_key` of #[belongs_to] names a column of the related model; the type checker proves it exists.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    username: String,
}

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i64,
    #[belongs_to(foreign_key = "author_id", owner_key = "uuid")]
    author: BelongsTo<User>,
}

fn main() {}
