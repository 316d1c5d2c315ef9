// `table` in #[model(...)] takes a string literal: table = "users".
use orm::prelude::*;

#[derive(Model)]
#[model(table = users)]
struct User {
    id: i64,
}

fn main() {}
