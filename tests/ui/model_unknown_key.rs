// #[model(...)] on a struct accepts only known keys (`table`, `timestamps`); a misspelled key is an error.
use orm::prelude::*;

#[derive(Model)]
#[model(tabel = "users")]
struct User {
    id: i64,
}

fn main() {}
