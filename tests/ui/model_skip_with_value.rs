// `skip` and `primary_key` in #[model(...)] are flags: they take no value.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    #[model(skip = true)]
    cache: usize,
}

fn main() {}
