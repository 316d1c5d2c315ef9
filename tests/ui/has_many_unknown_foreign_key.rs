// `foreign_key` of #[has_many] names a column of the related model; the type checker proves it exists.
use orm::prelude::*;

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[has_many(foreign_key = "no_such_column")]
    posts: HasMany<Post>,
}

fn main() {}
