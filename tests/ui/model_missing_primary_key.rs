// A model needs a primary key: a field named `id` or one marked #[model(primary_key)].
use orm::prelude::*;

#[derive(Model)]
struct User {
    user_id: i64,
    name: String,
}

fn main() {}
