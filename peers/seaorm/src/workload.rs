//! One workload as a job: its inputs (prepared before the clock), the timed library calls, and
//! the canonical lines of what they return.

use orm_peer_protocol::data::{self, Link};
use orm_peer_protocol::{Canon, Workload};
use sea_orm::{DatabaseConnection, DbErr};

use crate::read::{self, UserPosts, UserSkillCount, UserSkills};
use crate::write::{self, SyncDiff};

/// A workload with its inputs.
pub enum Job {
    /// W1 / W7: preload the users of this id range.
    Preload(i64, i64),
    /// W2: top 3 skills of users `1..=n`.
    TopThree(i64),
    /// W3: users `1..=n` with a master skill, with their counts.
    Masters(i64),
    /// W4: users `1..=n` -> posts -> comments.
    Posts(i64),
    /// W5: each user's sync target.
    Sync(Vec<(i64, Vec<Link>)>),
    /// W6: the rows to attach.
    Attach(Vec<Link>),
}

/// What a job returns: the library's own structs.
pub enum Outcome {
    /// W1, W2, W7.
    Skills(Vec<UserSkills>),
    /// W3.
    Counts(Vec<UserSkillCount>),
    /// W4.
    Posts(Vec<UserPosts>),
    /// W5.
    Diffs(Vec<SyncDiff>),
    /// W6: rows inserted.
    Attached(u64),
}

impl Job {
    /// The job of `workload` at `size`.
    pub fn new(workload: Workload, size: usize) -> Job {
        let n = i64::try_from(size).unwrap_or(i64::MAX);
        match workload {
            Workload::W1 => Job::Preload(1, n),
            Workload::W2 => Job::TopThree(n),
            Workload::W3 => Job::Masters(n),
            Workload::W4 => Job::Posts(n),
            Workload::W5 => Job::Sync((1..=n).map(|u| (u, data::sync_target(u))).collect()),
            Workload::W6 => Job::Attach(data::attach_rows(size)),
            Workload::W7 => {
                let first = *data::SKEWED_USERS.start();
                Job::Preload(first, first + n - 1)
            }
        }
    }

    /// Runs it once (the timed part).
    pub async fn run(&self, db: &DatabaseConnection) -> Result<Outcome, DbErr> {
        Ok(match self {
            Job::Preload(first, last) => Outcome::Skills(read::preload(db, *first..=*last).await?),
            Job::TopThree(n) => Outcome::Skills(read::top_three(db, *n).await?),
            Job::Masters(n) => Outcome::Counts(read::masters(db, *n).await?),
            Job::Posts(n) => Outcome::Posts(read::posts_comments(db, *n).await?),
            Job::Sync(targets) => Outcome::Diffs(write::sync_all(db, targets).await?),
            Job::Attach(rows) => Outcome::Attached(write::attach(db, rows).await?),
        })
    }
}

impl Outcome {
    /// Its canonical lines (`peers/PROTOCOL.md`); W6 reads its rows back, untimed.
    pub async fn canon(&self, db: &DatabaseConnection) -> Result<Canon, DbErr> {
        let mut canon = Canon::default();
        match self {
            Outcome::Skills(users) => {
                for user in users {
                    for (pivot, skill) in &user.links {
                        canon.line(format!(
                            "u{}:s{}:{}:{}",
                            user.user.id, skill.id, pivot.proficiency, pivot.years
                        ));
                    }
                }
            }
            Outcome::Counts(users) => {
                for user in users {
                    canon.line(format!("u{}:{}", user.id, user.skills));
                }
            }
            Outcome::Posts(users) => {
                for user in users {
                    for (post, comments) in &user.posts {
                        for comment in comments {
                            canon.line(format!(
                                "u{}:p{}:c{}:{}",
                                user.user.id, post.id, comment.id, comment.body
                            ));
                        }
                    }
                }
            }
            Outcome::Diffs(diffs) => {
                for diff in diffs {
                    canon.line(format!(
                        "u{}:a{}:d{}:u{}",
                        diff.user_id,
                        ids(&diff.attached),
                        ids(&diff.detached),
                        ids(&diff.updated)
                    ));
                }
            }
            Outcome::Attached(inserted) => {
                let (count, sum) = write::attached_sum(db).await?;
                if count as u64 != *inserted {
                    return Err(DbErr::Custom(format!(
                        "inserted {inserted} rows but read back {count}"
                    )));
                }
                canon.line(format!("u{}:{count}:{sum}", data::ATTACH_USER));
            }
        }
        Ok(canon)
    }
}

/// `1,2,3` (empty for none).
fn ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
