// A foreign key has the type of the key it refers to, or that type in an `Option`:
// `Post.editor_id` (Option<i32>) cannot refer to `User.id` (i64).
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
}

#[derive(Model)]
struct Post {
    id: i64,
    editor_id: Option<i32>,
    #[belongs_to(foreign_key = "editor_id")]
    editor: BelongsTo<User>,
}

fn main() {}
