// #[model(...)] on a field accepts only `primary_key`, `column` and `skip`.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    #[model(colum = "email_address")]
    email: String,
}

fn main() {}
