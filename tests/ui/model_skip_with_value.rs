// `skip` is a flag: #[model(skip)], not #[model(skip = true)].
use orm::prelude::*;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[model(skip = true)]
    pub cache: usize,
}

fn main() {}
