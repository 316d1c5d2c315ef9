// #[model(timestamps)] needs a column field for each timestamp column it names (created_at and
// updated_at by default); a missing one is an error on the `timestamps` key.
use orm::prelude::*;

#[derive(Model)]
#[model(timestamps)]
struct Post {
    id: i64,
    created_at: String,
}

fn main() {}
