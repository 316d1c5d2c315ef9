// Without foreign_key and owner_key, #[belongs_to] finds `user_id` for `BelongsTo<User>` and
// assumes `User`'s primary key is `id`; a primary key of another name is a compile error.
use orm::prelude::*;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    code: String,
    username: String,
}

#[derive(Model)]
struct Post {
    id: i64,
    user_id: String,
    #[belongs_to]
    author: BelongsTo<User>,
}

fn main() {}
