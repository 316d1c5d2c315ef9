// A model has exactly one #[model(primary_key)].
use orm::prelude::*;

#[derive(Model)]
struct Tag {
    #[model(primary_key)]
    code: String,
    #[model(primary_key)]
    slug: String,
}

fn main() {}
