// The value compared with a typed field has the field's type (or `&str` for `String`).
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    username: String,
}

fn main() {
    let _ = User::query::<sqlx::Sqlite>().where_eq(User::FIELDS.id, "x");
    let _ = User::query::<sqlx::Sqlite>().filter(User::FIELDS.username.eq(7_i64));
}
