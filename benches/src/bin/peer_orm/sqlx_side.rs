//! The `sqlx` contender's plain structs, the grouping of child rows under their parents, the
//! sync diff and the canonical lines; the statements themselves are per backend
//! (`sqlx_sqlite.rs`, `sqlx_pg.rs`).

use std::collections::HashMap;

use orm_peer_protocol::{Canon, data};

use crate::outcome::{Error, Outcome, sorted_ids};

/// A row of `users`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    /// Primary key.
    pub id: i64,
    /// Name.
    #[allow(
        dead_code,
        reason = "read like the ORM's models, not needed by the canonical lines"
    )]
    pub username: String,
}

/// A skill with its pivot columns, read through `skill_user`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SkillLink {
    /// `skill_user.user_id`: the parent it belongs to.
    pub user_id: i64,
    /// `skills.id`.
    pub id: i64,
    /// `skills.name`.
    #[allow(
        dead_code,
        reason = "read like the ORM's models, not needed by the canonical lines"
    )]
    pub name: String,
    /// `skill_user.proficiency`.
    pub proficiency: String,
    /// `skill_user.years`.
    pub years: i32,
}

/// A row of `posts`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    /// Primary key.
    pub id: i64,
    /// The author.
    pub user_id: i64,
    /// Title.
    #[allow(
        dead_code,
        reason = "read like the ORM's models, not needed by the canonical lines"
    )]
    pub title: String,
}

/// A row of `comments`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    /// Primary key.
    pub id: i64,
    /// The post.
    pub post_id: i64,
    /// Body.
    pub body: String,
}

/// A parent with its children.
pub type Family<P, C> = (P, Vec<C>);

/// W1, W2, W7: users with their skills.
pub struct Links(pub Vec<Family<UserRow, SkillLink>>);

/// W3: users with their skill count.
pub struct Counted(pub Vec<(UserRow, i64)>);

/// W4: users with their posts with their comments.
pub struct Threads(pub Vec<Family<UserRow, Family<PostRow, CommentRow>>>);

/// W5: what one user's sync changed.
#[derive(Debug, Clone, Default)]
pub struct Diff {
    /// Skills attached.
    pub attached: Vec<i64>,
    /// Skills detached.
    pub detached: Vec<i64>,
    /// Skills kept whose pivot data changed.
    pub updated: Vec<i64>,
}

/// W5: each user's diff.
pub struct Synced(pub Vec<(i64, Diff)>);

/// Puts each child under its parent (`key` of the child), keeping the children's order; every
/// parent gets a list, empty when it has no child.
pub fn group<P, C>(
    parents: Vec<P>,
    parent_key: impl Fn(&P) -> i64,
    children: Vec<C>,
    key: impl Fn(&C) -> i64,
) -> Vec<Family<P, C>> {
    let index: HashMap<i64, usize> = parents
        .iter()
        .enumerate()
        .map(|(i, p)| (parent_key(p), i))
        .collect();
    let mut out: Vec<Family<P, C>> = parents.into_iter().map(|p| (p, Vec::new())).collect();
    for child in children {
        if let Some(&i) = index.get(&key(&child)) {
            out[i].1.push(child);
        }
    }
    out
}

/// A sync's writes: the diff, and the rows to insert and update.
pub struct Plan {
    /// What the report says.
    pub diff: Diff,
    /// `(skill, proficiency, years)` to insert.
    pub insert: Vec<data::Link>,
    /// `(skill, proficiency, years)` to update.
    pub update: Vec<data::Link>,
}

/// Compares `existing` rows `(skill, proficiency, years)` with the `target` links.
pub fn plan(existing: Vec<(i64, String, i32)>, target: Vec<data::Link>) -> Plan {
    let mut current: HashMap<i64, (String, i32)> = existing
        .into_iter()
        .map(|(skill, proficiency, years)| (skill, (proficiency, years)))
        .collect();
    let mut plan = Plan {
        diff: Diff::default(),
        insert: Vec::new(),
        update: Vec::new(),
    };
    for link in target {
        match current.remove(&link.skill_id) {
            None => {
                plan.diff.attached.push(link.skill_id);
                plan.insert.push(link);
            }
            Some((proficiency, years))
                if proficiency != link.proficiency || years != link.years =>
            {
                plan.diff.updated.push(link.skill_id);
                plan.update.push(link);
            }
            Some(_) => {}
        }
    }
    plan.diff.detached = current.into_keys().collect();
    plan.diff.detached.sort_unstable();
    plan
}

impl Outcome for Links {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for (user, skills) in &self.0 {
            for s in skills {
                canon.line(format!(
                    "u{}:s{}:{}:{}",
                    user.id, s.id, s.proficiency, s.years
                ));
            }
        }
        Ok(canon)
    }
}

impl Outcome for Counted {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for (user, count) in &self.0 {
            canon.line(format!("u{}:{count}", user.id));
        }
        Ok(canon)
    }
}

impl Outcome for Threads {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for (user, posts) in &self.0 {
            for (post, comments) in posts {
                for c in comments {
                    canon.line(format!("u{}:p{}:c{}:{}", user.id, post.id, c.id, c.body));
                }
            }
        }
        Ok(canon)
    }
}

impl Outcome for Synced {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for (id, d) in &self.0 {
            canon.line(format!(
                "u{id}:a{}:d{}:u{}",
                sorted_ids(&d.attached),
                sorted_ids(&d.detached),
                sorted_ids(&d.updated)
            ));
        }
        Ok(canon)
    }
}
