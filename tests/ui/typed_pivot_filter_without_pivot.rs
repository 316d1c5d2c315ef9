// Pivot filters exist only on a query through a many-to-many relation.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    #[has_many]
    posts: HasMany<Post>,
}

#[derive(Model)]
struct Post {
    id: i64,
    user_id: i64,
}

#[derive(PivotData, Clone)]
struct Proficiency {
    proficiency: Option<String>,
}

fn main() {
    let _ = User::query::<sqlx::Sqlite>().where_pivot(Proficiency::FIELDS.proficiency, "master");
    let _ = User::query::<sqlx::Sqlite>().preload_with(User::posts(), |q| q.where_pivot("role", "x"));
}
