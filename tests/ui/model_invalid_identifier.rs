// A table name must be a plain SQL identifier: ASCII letters, digits and `_`, not starting with a digit.
use orm::prelude::*;

#[derive(Model)]
#[model(table = "user table")]
struct User {
    id: i64,
}

fn main() {}
