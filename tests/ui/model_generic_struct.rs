// #[derive(Model)] does not support generic structs.
use orm::prelude::*;

#[derive(Model)]
struct User<T> {
    id: i64,
    data: T,
}

fn main() {}
