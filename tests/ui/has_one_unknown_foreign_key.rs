// `foreign_key` of #[has_one] names a column of the related model; the type checker proves it exists.
use orm::prelude::*;

#[derive(Model)]
struct Profile {
    id: i64,
    owner_id: i64,
}

#[derive(Model)]
struct User {
    id: i64,
    #[has_one(foreign_key = "user_id")]
    profile: HasOne<Profile>,
}

fn main() {}
