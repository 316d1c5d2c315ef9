// `foreign_key` of #[belongs_to] names a column of the model that declares the relation.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
}

#[derive(Model)]
struct Post {
    id: i64,
    author_id: i64,
    #[belongs_to(foreign_key = "writer_id")]
    author: BelongsTo<User>,
}

fn main() {}
