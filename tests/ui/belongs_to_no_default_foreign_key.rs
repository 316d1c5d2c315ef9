// Without foreign_key, #[belongs_to] needs a column named snake_case(related) + `_` + key.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    username: String,
}

#[derive(Model)]
struct Post {
    id: i64,
    writer_id: i64,
    #[belongs_to]
    author: BelongsTo<User>,
}

fn main() {}
