// #[derive(Model)] supports only structs with named fields, not unions.
use orm::prelude::*;

#[derive(Model)]
union User {
    id: i64,
    score: f64,
}

fn main() {}
