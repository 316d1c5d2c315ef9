// A key may be given only once in #[model(...)].
use orm::prelude::*;

#[derive(Model)]
#[model(table = "a", table = "b")]
struct User {
    id: i64,
}

fn main() {}
