// A pivot filter on a query that does not read through a many-to-many relation does not
// compile: `where_pivot` exists only on `user.related(User::skills()).query()` and in
// `preload_with` / `where_has` closures.
use orm::prelude::*;

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub username: String,
}

fn main() {
    let _ = User::query::<sqlx::Sqlite>().where_pivot("proficiency", "master");
}
