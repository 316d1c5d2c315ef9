// Two fields cannot map to the same column.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    email: String,
    #[model(column = "email")]
    contact: String,
}

fn main() {}
