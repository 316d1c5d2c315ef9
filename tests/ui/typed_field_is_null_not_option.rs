// Only a field of an `Option` type can be NULL.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    username: String,
    email: Option<String>,
}

fn main() {
    let _ = User::query::<sqlx::Sqlite>().where_null(User::FIELDS.email); // fine
    let _ = User::query::<sqlx::Sqlite>().where_null(User::FIELDS.username);
    let _ = User::query::<sqlx::Sqlite>().filter(User::FIELDS.id.is_null());
}
