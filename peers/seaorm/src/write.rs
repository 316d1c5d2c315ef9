//! The write workloads: W5 (sync by hand, with its diff) and W6 (attach 10,000 rows in one
//! call), and the untimed restores of the rows they write.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use orm_peer_protocol::Workload;
use orm_peer_protocol::data::{self, Link};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, TransactionTrait,
};

use crate::entities::skill_user;
use crate::statements;

/// What syncing one user changed (W5), each list of skill ids sorted ascending.
#[derive(Debug)]
pub struct SyncDiff {
    /// The user.
    pub user_id: i64,
    /// Skills linked that were not.
    pub attached: Vec<i64>,
    /// Skills unlinked.
    pub detached: Vec<i64>,
    /// Skills kept whose pivot data changed.
    pub updated: Vec<i64>,
}

/// The most bind parameters one statement may carry on `backend`.
fn bind_limit(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Sqlite => 32_766,
        _ => 65_535,
    }
}

/// The pivot row to insert for `link` (its key is generated).
fn active(link: &Link) -> skill_user::ActiveModel {
    skill_user::ActiveModel {
        id: NotSet,
        user_id: Set(link.user_id),
        skill_id: Set(link.skill_id),
        proficiency: Set(link.proficiency.clone()),
        years: Set(link.years),
    }
}

/// Inserts `links` with `insert_many`, in as many statements as the bind limit needs (SeaORM
/// does not split a multi-row insert itself). Returns the rows inserted.
async fn insert_links<L: Borrow<Link>>(
    db: &impl ConnectionTrait,
    links: &[L],
) -> Result<u64, DbErr> {
    let per_statement = bind_limit(db.get_database_backend()) / 4;
    let mut inserted = 0;
    for chunk in links.chunks(per_statement) {
        inserted += skill_user::Entity::insert_many(chunk.iter().map(|l| active(l.borrow())))
            .exec_without_returning(db)
            .await?;
    }
    Ok(inserted)
}

/// W5: syncs each user of `targets` in turn, each in its own transaction.
pub async fn sync_all(
    db: &DatabaseConnection,
    targets: &[(i64, Vec<Link>)],
) -> Result<Vec<SyncDiff>, DbErr> {
    let mut diffs = Vec::with_capacity(targets.len());
    for (user, target) in targets {
        diffs.push(sync(db, *user, target).await?);
    }
    Ok(diffs)
}

/// Syncs `user`'s skills to `target` by hand (SeaORM has no sync): in a transaction, reads the
/// current pivot rows, deletes the detached ones (`delete_many` with `is_in`), inserts the
/// attached ones (`insert_many`) and updates each kept row whose pivot data changed (its active
/// model, `set_if_not_equals`, `update`).
async fn sync(db: &DatabaseConnection, user: i64, target: &[Link]) -> Result<SyncDiff, DbErr> {
    let txn = db.begin().await?;
    statements::by_hand(1);
    let current = skill_user::Entity::find()
        .filter(skill_user::Column::UserId.eq(user))
        .all(&txn)
        .await?;
    let wanted: HashMap<i64, &Link> = target.iter().map(|l| (l.skill_id, l)).collect();
    let have: HashSet<i64> = current.iter().map(|row| row.skill_id).collect();
    let attach: Vec<&Link> = target
        .iter()
        .filter(|l| !have.contains(&l.skill_id))
        .collect();
    let mut detached = Vec::new();
    let mut changed = Vec::new();
    for row in current {
        match wanted.get(&row.skill_id) {
            None => detached.push(row.skill_id),
            Some(link) if link.proficiency != row.proficiency || link.years != row.years => {
                changed.push((row, *link));
            }
            Some(_) => {}
        }
    }
    if !detached.is_empty() {
        skill_user::Entity::delete_many()
            .filter(skill_user::Column::UserId.eq(user))
            .filter(skill_user::Column::SkillId.is_in(detached.iter().copied()))
            .exec(&txn)
            .await?;
    }
    insert_links(&txn, &attach).await?;
    let mut updated = Vec::with_capacity(changed.len());
    for (row, link) in changed {
        updated.push(row.skill_id);
        let mut model = row.into_active_model();
        model
            .proficiency
            .set_if_not_equals(link.proficiency.clone());
        model.years.set_if_not_equals(link.years);
        model.update(&txn).await?;
    }
    txn.commit().await?;
    statements::by_hand(1);
    let mut attached: Vec<i64> = attach.iter().map(|l| l.skill_id).collect();
    attached.sort_unstable();
    detached.sort_unstable();
    updated.sort_unstable();
    Ok(SyncDiff {
        user_id: user,
        attached,
        detached,
        updated,
    })
}

/// W6: attaches `rows` to their user in one call: `insert_many` chunked under the bind limit,
/// all chunks in one transaction. Returns the rows inserted.
pub async fn attach(db: &DatabaseConnection, rows: &[Link]) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    statements::by_hand(1);
    let inserted = insert_links(&txn, rows).await?;
    txn.commit().await?;
    statements::by_hand(1);
    Ok(inserted)
}

/// W6's read-back (untimed): how many skills user 30001 has, and the sum of their ids.
pub async fn attached_sum(db: &DatabaseConnection) -> Result<(usize, i64), DbErr> {
    let ids: Vec<i64> = skill_user::Entity::find()
        .select_only()
        .column(skill_user::Column::SkillId)
        .filter(skill_user::Column::UserId.eq(data::ATTACH_USER))
        .into_tuple()
        .all(db)
        .await?;
    Ok((ids.len(), ids.iter().sum()))
}

/// Puts back the rows `workload` writes, as seeded (`peers/PROTOCOL.md`, "The run", 3).
pub async fn restore(
    db: &DatabaseConnection,
    workload: Workload,
    size: usize,
) -> Result<(), DbErr> {
    match workload {
        Workload::W5 => {
            let last = i64::try_from(size).unwrap_or(i64::MAX);
            let txn = db.begin().await?;
            skill_user::Entity::delete_many()
                .filter(skill_user::Column::UserId.between(1, last))
                .exec(&txn)
                .await?;
            let links: Vec<Link> = (1..=last).flat_map(data::user_skills).collect();
            insert_links(&txn, &links).await?;
            txn.commit().await
        }
        Workload::W6 => {
            skill_user::Entity::delete_many()
                .filter(skill_user::Column::UserId.eq(data::ATTACH_USER))
                .exec(db)
                .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}
