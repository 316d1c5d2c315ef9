// #[derive(Model)] supports only structs with named fields, not enums.
use orm::prelude::*;

#[derive(Model)]
enum User {
    Admin,
    Guest,
}

fn main() {}
