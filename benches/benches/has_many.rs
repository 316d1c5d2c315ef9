//! Preload of 10,000 authors x 10 posts (`#[has_many]`): the ORM against best-practice
//! hand-written sqlx in the same run (one array bind on PostgreSQL, `json_each` on SQLite,
//! decode by ordinal, group with a hash map).
//!
//! ```text
//! cargo bench -p orm-benches --bench has_many                 # SQLite
//! ORM_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1/test cargo bench -p orm-benches --bench has_many
//! ```

use std::collections::HashMap;

use criterion::{Criterion, criterion_group, criterion_main};
use orm::prelude::*;
use orm_benches::{Author, postgres_pool, postgres_url, sqlite_pool, versus};
use sqlx::{Pool, Postgres, Row, Sqlite};

const AUTHORS: i64 = 10_000;
const PER_AUTHOR: i64 = 10;

/// What the hand-written version produces: the same data, in plain structs.
pub struct RawAuthor {
    pub id: i64,
    pub name: String,
    pub posts: Vec<RawPost>,
}

/// A post, hand-written.
pub struct RawPost {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
}

const SCHEMA_SQLITE: &str = "
    CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title TEXT NOT NULL);
    CREATE INDEX posts_author ON posts (author_id);";

const SCHEMA_POSTGRES: &str = "
    CREATE TABLE authors (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL, title TEXT NOT NULL);
    CREATE INDEX posts_author ON posts (author_id);";

/// The data, as SQL that works on both backends.
fn data_statements() -> Vec<String> {
    let mut out = Vec::new();
    let rows: Vec<String> = (1..=AUTHORS)
        .map(|i| format!("({i}, 'author{i}')"))
        .collect();
    for chunk in rows.chunks(1000) {
        out.push(format!(
            "INSERT INTO authors (id, name) VALUES {}",
            chunk.join(",")
        ));
    }
    let mut posts = Vec::new();
    for k in 0..PER_AUTHOR {
        for author in 1..=AUTHORS {
            let id = k * AUTHORS + author;
            posts.push(format!("({id}, {author}, 'post{id}')"));
        }
    }
    for chunk in posts.chunks(2000) {
        out.push(format!(
            "INSERT INTO posts (id, author_id, title) VALUES {}",
            chunk.join(",")
        ));
    }
    out
}

async fn raw_sqlite(pool: &Pool<Sqlite>) -> Vec<RawAuthor> {
    let rows = sqlx::query("SELECT id, name FROM authors")
        .fetch_all(pool)
        .await
        .expect("authors");
    let mut out: Vec<RawAuthor> = rows
        .iter()
        .map(|r| RawAuthor {
            id: r.get(0),
            name: r.get(1),
            posts: Vec::new(),
        })
        .collect();
    let keys = format!(
        "[{}]",
        out.iter()
            .map(|a| a.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let rows = sqlx::query(
        "SELECT id, author_id, title FROM posts WHERE author_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(keys)
    .fetch_all(pool)
    .await
    .expect("posts");
    group(
        &mut out,
        rows.iter().map(|r| RawPost {
            id: r.get(0),
            author_id: r.get(1),
            title: r.get(2),
        }),
    );
    out
}

async fn raw_postgres(pool: &Pool<Postgres>) -> Vec<RawAuthor> {
    let rows = sqlx::query("SELECT id, name FROM authors")
        .fetch_all(pool)
        .await
        .expect("authors");
    let mut out: Vec<RawAuthor> = rows
        .iter()
        .map(|r| RawAuthor {
            id: r.get(0),
            name: r.get(1),
            posts: Vec::new(),
        })
        .collect();
    let keys: Vec<i64> = out.iter().map(|a| a.id).collect();
    let rows = sqlx::query("SELECT id, author_id, title FROM posts WHERE author_id = ANY($1)")
        .bind(&keys)
        .persistent(false)
        .fetch_all(pool)
        .await
        .expect("posts");
    group(
        &mut out,
        rows.iter().map(|r| RawPost {
            id: r.get(0),
            author_id: r.get(1),
            title: r.get(2),
        }),
    );
    out
}

/// Moves each post into its author's list through a hash map of positions.
fn group(authors: &mut [RawAuthor], posts: impl Iterator<Item = RawPost>) {
    let index: HashMap<i64, usize> = authors.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for post in posts {
        if let Some(&i) = index.get(&post.author_id) {
            authors[i].posts.push(post);
        }
    }
}

fn check_orm(authors: &[Author]) {
    assert_eq!(authors.len() as i64, AUTHORS);
    let total: usize = authors
        .iter()
        .map(|a| a.posts.get().map(|p| p.len()).unwrap_or(0))
        .sum();
    assert_eq!(total as i64, AUTHORS * PER_AUTHOR);
}

fn check_raw(authors: &[RawAuthor]) {
    assert_eq!(authors.len() as i64, AUTHORS);
    assert_eq!(
        authors.iter().map(|a| a.posts.len()).sum::<usize>() as i64,
        AUTHORS * PER_AUTHOR
    );
    assert!(
        !authors[0].name.is_empty()
            && authors[0]
                .posts
                .iter()
                .all(|p| p.id > 0 && !p.title.is_empty())
    );
}

fn bench_sqlite(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    let pool = runtime.block_on(sqlite_pool(
        "orm-bench-has-many.db",
        SCHEMA_SQLITE,
        data_statements(),
    ));
    versus(
        c,
        runtime,
        "preload_10k_authors_x10_posts/sqlite",
        20,
        15,
        || async {
            let authors = Author::query()
                .preload(Author::posts())
                .fetch_all(&pool)
                .await
                .expect("orm preload");
            check_orm(&authors);
        },
        || async { check_raw(&raw_sqlite(&pool).await) },
    );
}

fn bench_postgres(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    let Some(url) = postgres_url() else {
        return;
    };
    let pool = runtime.block_on(postgres_pool(
        &url,
        "orm_bench_has_many",
        SCHEMA_POSTGRES,
        data_statements(),
    ));
    versus(
        c,
        runtime,
        "preload_10k_authors_x10_posts/postgres",
        20,
        15,
        || async {
            let authors = Author::query()
                .preload(Author::posts())
                .fetch_all(&pool)
                .await
                .expect("orm preload");
            check_orm(&authors);
        },
        || async { check_raw(&raw_postgres(&pool).await) },
    );
}

fn has_many(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    bench_sqlite(c, &runtime);
    bench_postgres(c, &runtime);
}

criterion_group!(benches, has_many);
criterion_main!(benches);
