//! The data every contender reads, as pure functions of the ids: the driver seeds it, W5 and W6
//! restore their rows from it before each iteration, and W5 computes its targets from it.
//!
//! - `skills` 1..=10,000, named `skill{id}`.
//! - `users` 1..=10,000 ([`REGULAR_USERS`]): 10 skills each, all among skills 1..=100.
//! - `users` 20,001..=21,000 ([`SKEWED_USERS`]): every 100th (20,001, 20,101, ...) has skills
//!   1..=1,000, the others 10 like a regular user.
//! - `users` 30,001 ([`ATTACH_USER`]): no skills (W6 attaches to it).
//! - `posts`: 10 per user 1..=100 (id `(user - 1) * 10 + j`, j in 1..=10), title `post{id}`;
//!   `comments`: 10 per post (id `(post - 1) * 10 + c`), body `comment{id}`.
//!
//! ```
//! use orm_peer_protocol::data;
//! let links = data::user_skills(7);
//! assert_eq!(links.len(), 10);
//! assert_eq!(links[0].skill_id, 8);
//! assert_eq!(data::user_skills(20_001).len(), 1000);
//! ```

use std::ops::RangeInclusive;

/// The regular users.
pub const REGULAR_USERS: RangeInclusive<i64> = 1..=10_000;
/// The users of the skewed set (W7).
pub const SKEWED_USERS: RangeInclusive<i64> = 20_001..=21_000;
/// The user W6 attaches to.
pub const ATTACH_USER: i64 = 30_001;
/// The skills.
pub const SKILLS: RangeInclusive<i64> = 1..=10_000;
/// The users with posts and comments (W4).
pub const POSTING_USERS: RangeInclusive<i64> = 1..=100;
/// Posts per user and comments per post.
pub const PER_PARENT: i64 = 10;

/// The proficiency levels, in the order the data cycles through them.
pub const LEVELS: [&str; 4] = ["novice", "intermediate", "expert", "master"];

/// One row of `skill_user` (its `id` is generated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The user.
    pub user_id: i64,
    /// The skill.
    pub skill_id: i64,
    /// The first pivot column.
    pub proficiency: String,
    /// The second pivot column.
    pub years: i32,
}

/// Every user id the driver seeds.
pub fn all_users() -> impl Iterator<Item = i64> {
    REGULAR_USERS
        .chain(SKEWED_USERS)
        .chain(std::iter::once(ATTACH_USER))
}

/// `user`'s rows of `skill_user` as seeded, ordered by skill id.
pub fn user_skills(user: i64) -> Vec<Link> {
    let link = |skill_id: i64, years: i64| Link {
        user_id: user,
        skill_id,
        proficiency: LEVELS[((user + skill_id) % 4) as usize].to_owned(),
        years: (years % 20) as i32,
    };
    if user == ATTACH_USER {
        return Vec::new();
    }
    if SKEWED_USERS.contains(&user) && (user - SKEWED_USERS.start()) % 100 == 0 {
        return (1..=1000).map(|s| link(s, user + s)).collect();
    }
    let mut links: Vec<Link> = (0..10)
        .map(|k| link((user + 10 * k) % 100 + 1, user * 7 + k * 3))
        .collect();
    links.sort_by_key(|l| l.skill_id);
    links
}

/// The post ids of `user` (W4).
pub fn post_ids(user: i64) -> RangeInclusive<i64> {
    (user - 1) * PER_PARENT + 1..=user * PER_PARENT
}

/// The comment ids of `post` (W4).
pub fn comment_ids(post: i64) -> RangeInclusive<i64> {
    (post - 1) * PER_PARENT + 1..=post * PER_PARENT
}

/// W5's target for `user`: the first 5 of its skills (by id) kept, the 1st, 3rd and 5th of them
/// with proficiency `changed`, the other 5 detached, and skills 101..=105 attached with
/// proficiency `new`, years 1. Ordered by skill id.
pub fn sync_target(user: i64) -> Vec<Link> {
    let mut target: Vec<Link> = user_skills(user)
        .into_iter()
        .take(5)
        .enumerate()
        .map(|(i, mut link)| {
            if i % 2 == 0 {
                link.proficiency = "changed".to_owned();
            }
            link
        })
        .collect();
    target.extend((101..=105).map(|skill_id| Link {
        user_id: user,
        skill_id,
        proficiency: "new".to_owned(),
        years: 1,
    }));
    target
}

/// W6's rows: skills `1..=size` for [`ATTACH_USER`], proficiency `attached`, years 0.
pub fn attach_rows(size: usize) -> Vec<Link> {
    (1..=size as i64)
        .map(|skill_id| Link {
            user_id: ATTACH_USER,
            skill_id,
            proficiency: "attached".to_owned(),
            years: 0,
        })
        .collect()
}
