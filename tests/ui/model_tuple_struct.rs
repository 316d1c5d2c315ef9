// #[derive(Model)] needs named fields: a tuple struct has no column names.
use orm::prelude::*;

#[derive(Model)]
struct User(i64, String);

fn main() {}
