//! The canonical lines of each workload's natural result (`peers/PROTOCOL.md`), built after
//! the clock stops.

use orm_peer_protocol::{Canon, data};

use crate::models::{Diff, Skill, SkillUser, User, UsersWithPosts};

/// `u{user}:s{skill}:{p}:{y}` for one link.
fn link_line(canon: &mut Canon, user: &User, link: &SkillUser) {
    canon.line(format!(
        "u{}:s{}:{}:{}",
        user.id, link.skill_id, link.proficiency, link.years
    ));
}

/// W1 / W7: every link by user id then skill id (Diesel's association load has no order, so
/// the links are sorted here).
pub fn skills_by_id(users: &[(User, Vec<(SkillUser, Skill)>)]) -> Canon {
    let mut canon = Canon::default();
    for (user, links) in users {
        let mut sorted: Vec<&SkillUser> = links.iter().map(|(link, _)| link).collect();
        sorted.sort_unstable_by_key(|link| link.skill_id);
        for link in sorted {
            link_line(&mut canon, user, link);
        }
    }
    canon
}

/// W2: the links in the order the query gave them (years desc, then skill id).
pub fn skills_as_loaded(users: &[(User, Vec<(SkillUser, Skill)>)]) -> Canon {
    let mut canon = Canon::default();
    for (user, links) in users {
        for (link, _) in links {
            link_line(&mut canon, user, link);
        }
    }
    canon
}

/// W3: `u{user}:{count}`.
pub fn counts(users: &[(User, i64)]) -> Canon {
    let mut canon = Canon::default();
    for (user, count) in users {
        canon.line(format!("u{}:{count}", user.id));
    }
    canon
}

/// W4: `u{user}:p{post}:c{comment}:{body}` by user, post and comment id.
pub fn threads(users: &UsersWithPosts) -> Canon {
    let mut canon = Canon::default();
    for (user, posts) in users {
        let mut posts: Vec<_> = posts.iter().collect();
        posts.sort_unstable_by_key(|(post, _)| post.id);
        for (post, comments) in posts {
            let mut comments: Vec<_> = comments.iter().collect();
            comments.sort_unstable_by_key(|comment| comment.id);
            for comment in comments {
                canon.line(format!(
                    "u{}:p{}:c{}:{}",
                    user.id, post.id, comment.id, comment.body
                ));
            }
        }
    }
    canon
}

/// Ids comma-separated (they are sorted already).
fn ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// W5: `u{user}:a{ids}:d{ids}:u{ids}`.
pub fn diffs(diffs: &[Diff]) -> Canon {
    let mut canon = Canon::default();
    for diff in diffs {
        canon.line(format!(
            "u{}:a{}:d{}:u{}",
            diff.user,
            ids(&diff.attached),
            ids(&diff.detached),
            ids(&diff.updated)
        ));
    }
    canon
}

/// W6: `u30001:{count}:{sum of skill ids}`.
pub fn attached(count: usize, sum: i64) -> Canon {
    let mut canon = Canon::default();
    canon.line(format!("u{}:{count}:{sum}", data::ATTACH_USER));
    canon
}
