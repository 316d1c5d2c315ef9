use orm::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Page {
    pub id: i64,
    #[model(sql_type = "TEXT; DROP TABLE pages")]
    pub slug: String,
    #[model(unique = true)]
    pub title: String,
}

fn main() {}
