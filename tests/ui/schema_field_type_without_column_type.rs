use orm::prelude::*;
use orm::schema::Schema;

/// A type of the application's that the schema has no SQL type for.
#[derive(Debug, Clone)]
pub struct Slug(String);

#[derive(Model, Debug, Clone)]
pub struct Page {
    pub id: i64,
    pub slug: Slug,
}

fn main() {
    let _ = Schema::<sqlx::Sqlite>::new().model::<Page>();
}
