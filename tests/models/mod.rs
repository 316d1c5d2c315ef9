//! The models the behaviour tests share; their tables are in `tests/fixtures/*.sql`.
#![allow(dead_code)]

use orm::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[model(column = "email_address")]
    pub email: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

/// A model with a text primary key the application chooses.
#[derive(Model, Debug, Clone, PartialEq)]
pub struct Tag {
    #[model(primary_key)]
    pub code: String,
    pub label: String,
}

#[derive(Model, Debug, Clone)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub editor_id: Option<i64>,
    pub title: String,
    #[model(skip)]
    pub cached_word_count: usize,
}
