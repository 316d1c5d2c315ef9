// A foreign key has the type of the key it refers to: `Post.author_id` (i32) cannot refer to
// `User.id` (i64).
use orm::prelude::*;

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i32,
}

#[derive(Model)]
struct User {
    id: i64,
    #[has_many(foreign_key = "author_id")]
    posts: HasMany<Post>,
}

fn main() {}
