// A column name must be a plain SQL identifier: ASCII letters, digits and `_`, not starting with a digit.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    #[model(column = "1abc")]
    name: String,
}

fn main() {}
