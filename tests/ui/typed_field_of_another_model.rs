// A typed field names a column of its own model: a field of another model does not compile.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    username: String,
}

#[derive(Model)]
struct Post {
    id: i64,
    title: String,
}

fn main() {
    let _ = User::query::<sqlx::Sqlite>().where_eq(Post::FIELDS.title, "x");
    let _ = User::query::<sqlx::Sqlite>().order_by(Post::FIELDS.id, Order::Asc);
}
