//! The data and the hand-written side of the preload benchmark (10,000 users x 10 skills with a
//! pivot column), shared by `benches/preload.rs` and `examples/preload_paired.rs`.

use std::collections::HashMap;

use sqlx::{Pool, Postgres, Row, Sqlite};

use crate::{Skill, User};

/// Users (parents).
pub const USERS: i64 = 10_000;
/// Skills (related rows).
pub const SKILLS: i64 = 100;
/// Skills per user.
pub const PER_USER: i64 = 10;

/// What the hand-written version produces: the same data, in plain structs.
pub struct RawUser {
    pub id: i64,
    pub username: String,
    pub skills: Vec<(Skill, Option<String>)>,
}

/// The tables on SQLite.
pub const SCHEMA_SQLITE: &str = "
    CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL);
    CREATE TABLE skills (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE skill_user (user_id INTEGER NOT NULL, skill_id INTEGER NOT NULL, proficiency TEXT,
        PRIMARY KEY (user_id, skill_id));";

/// The tables on PostgreSQL.
pub const SCHEMA_POSTGRES: &str = "
    CREATE TABLE users (id BIGINT PRIMARY KEY, username TEXT NOT NULL);
    CREATE TABLE skills (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE skill_user (user_id BIGINT NOT NULL, skill_id BIGINT NOT NULL, proficiency TEXT,
        PRIMARY KEY (user_id, skill_id));";

/// The data, as SQL that works on both backends.
pub fn data_statements() -> Vec<String> {
    let mut out = Vec::new();
    let rows: Vec<String> = (1..=USERS).map(|i| format!("({i}, 'user{i}')")).collect();
    for chunk in rows.chunks(1000) {
        out.push(format!(
            "INSERT INTO users (id, username) VALUES {}",
            chunk.join(",")
        ));
    }
    let rows: Vec<String> = (1..=SKILLS).map(|i| format!("({i}, 'skill{i}')")).collect();
    out.push(format!(
        "INSERT INTO skills (id, name) VALUES {}",
        rows.join(",")
    ));
    let mut pivots = Vec::new();
    for user in 1..=USERS {
        for k in 0..PER_USER {
            let skill = (user * 7 + k * 13) % SKILLS + 1;
            pivots.push(format!("({user}, {skill}, 'level{}')", k % 3));
        }
    }
    for chunk in pivots.chunks(2000) {
        out.push(format!(
            "INSERT INTO skill_user (user_id, skill_id, proficiency) VALUES {}",
            chunk.join(",")
        ));
    }
    out
}

/// The preload written by hand for SQLite: the key list as one `json_each` bind.
pub async fn raw_sqlite(pool: &Pool<Sqlite>) -> Vec<RawUser> {
    let users = sqlx::query("SELECT id, username FROM users")
        .fetch_all(pool)
        .await
        .expect("users");
    let mut out: Vec<RawUser> = users
        .iter()
        .map(|r| RawUser {
            id: r.get(0),
            username: r.get(1),
            skills: Vec::new(),
        })
        .collect();
    let keys = format!(
        "[{}]",
        out.iter()
            .map(|u| u.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let rows = sqlx::query(
        "SELECT s.id, s.name, p.user_id, p.proficiency FROM skills s JOIN skill_user p ON s.id = p.skill_id \
         WHERE p.user_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(keys)
    .fetch_all(pool)
    .await
    .expect("skills");
    group(
        &mut out,
        rows.iter().map(|r| {
            (
                r.get::<i64, _>(2),
                Skill {
                    id: r.get(0),
                    name: r.get(1),
                },
                r.get(3),
            )
        }),
    );
    out
}

/// The preload written by hand for PostgreSQL: the key list as one `= ANY($1)` array bind.
pub async fn raw_postgres(pool: &Pool<Postgres>) -> Vec<RawUser> {
    let users = sqlx::query("SELECT id, username FROM users")
        .fetch_all(pool)
        .await
        .expect("users");
    let mut out: Vec<RawUser> = users
        .iter()
        .map(|r| RawUser {
            id: r.get(0),
            username: r.get(1),
            skills: Vec::new(),
        })
        .collect();
    let keys: Vec<i64> = out.iter().map(|u| u.id).collect();
    let rows = sqlx::query(
        "SELECT s.id, s.name, p.user_id, p.proficiency FROM skills s JOIN skill_user p ON s.id = p.skill_id \
         WHERE p.user_id = ANY($1)",
    )
    .bind(&keys)
    .persistent(false)
    .fetch_all(pool)
    .await
    .expect("skills");
    group(
        &mut out,
        rows.iter().map(|r| {
            (
                r.get::<i64, _>(2),
                Skill {
                    id: r.get(0),
                    name: r.get(1),
                },
                r.get(3),
            )
        }),
    );
    out
}

/// Moves each related row into its parent's list through a hash map of positions.
pub fn group(users: &mut [RawUser], rows: impl Iterator<Item = (i64, Skill, Option<String>)>) {
    let index: HashMap<i64, usize> = users.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    for (user_id, skill, proficiency) in rows {
        if let Some(&i) = index.get(&user_id) {
            users[i].skills.push((skill, proficiency));
        }
    }
}

/// Asserts the ORM loaded every user and every link.
pub fn check_orm(users: &[User]) {
    assert_eq!(users.len() as i64, USERS);
    let total: usize = users
        .iter()
        .map(|u| u.skills.get().map(|s| s.len()).unwrap_or(0))
        .sum();
    assert_eq!(total as i64, USERS * PER_USER);
}

/// Asserts the hand-written version loaded every user and every link.
pub fn check_raw(users: &[RawUser]) {
    assert_eq!(users.len() as i64, USERS);
    assert_eq!(
        users.iter().map(|u| u.skills.len()).sum::<usize>() as i64,
        USERS * PER_USER
    );
    assert!(!users[0].username.is_empty());
}
