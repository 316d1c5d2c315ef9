//! The write workloads (W5, W6) on this backend's connection, and the restores that put their
//! rows back as seeded.

use std::collections::HashMap;

use diesel::prelude::*;
use orm_peer_protocol::data::{self, Link};

use super::{Conn, MAX_BINDS};
use crate::models::{Diff, NewSkillUser, SkillUser};
use crate::schema::skill_user;

/// Inserts `rows` as multi-row `INSERT`s of at most [`MAX_BINDS`] bound values each.
fn insert_chunked(conn: &mut Conn, rows: &[NewSkillUser<'_>]) -> QueryResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(MAX_BINDS / NewSkillUser::BINDS) {
        inserted += diesel::insert_into(skill_user::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(inserted)
}

/// W5, one user: Diesel has no sync, so by hand, in one transaction: read the current links,
/// compute the diff against `target`, then one `DELETE ... skill_id IN (...)`, one multi-row
/// `INSERT` and one `UPDATE` by key per changed link.
pub fn sync(conn: &mut Conn, user: i64, target: &[Link]) -> QueryResult<Diff> {
    conn.transaction(|conn| {
        let current = skill_user::table
            .filter(skill_user::user_id.eq(user))
            .select(SkillUser::as_select())
            .load(conn)?;
        let wanted: HashMap<i64, &Link> = target.iter().map(|l| (l.skill_id, l)).collect();
        let existing: HashMap<i64, &SkillUser> = current.iter().map(|l| (l.skill_id, l)).collect();
        let mut diff = Diff {
            user,
            ..Diff::default()
        };
        let mut inserts = Vec::new();
        let mut changes = Vec::new();
        for link in target {
            match existing.get(&link.skill_id) {
                None => {
                    diff.attached.push(link.skill_id);
                    inserts.push(NewSkillUser::from(link));
                }
                Some(row) if row.proficiency != link.proficiency || row.years != link.years => {
                    diff.updated.push(link.skill_id);
                    changes.push((*row, link));
                }
                Some(_) => {}
            }
        }
        diff.detached = current
            .iter()
            .map(|row| row.skill_id)
            .filter(|skill| !wanted.contains_key(skill))
            .collect();
        if !diff.detached.is_empty() {
            diesel::delete(
                skill_user::table
                    .filter(skill_user::user_id.eq(user))
                    .filter(skill_user::skill_id.eq_any(&diff.detached)),
            )
            .execute(conn)?;
        }
        if !inserts.is_empty() {
            diesel::insert_into(skill_user::table)
                .values(&inserts)
                .execute(conn)?;
        }
        for (row, link) in changes {
            diesel::update(row)
                .set((
                    skill_user::proficiency.eq(&link.proficiency),
                    skill_user::years.eq(link.years),
                ))
                .execute(conn)?;
        }
        for ids in [&mut diff.attached, &mut diff.detached, &mut diff.updated] {
            ids.sort_unstable();
        }
        Ok(diff)
    })
}

/// W5's restore: the links of users `1..=size` as seeded (untimed).
pub fn restore_users(conn: &mut Conn, size: i64) -> QueryResult<()> {
    let links: Vec<Link> = (1..=size).flat_map(data::user_skills).collect();
    let rows: Vec<NewSkillUser<'_>> = links.iter().map(NewSkillUser::from).collect();
    conn.transaction(|conn| {
        diesel::delete(skill_user::table.filter(skill_user::user_id.between(1, size)))
            .execute(conn)?;
        insert_chunked(conn, &rows).map(drop)
    })
}

/// W6: attach `rows` to their user in one call: one multi-row `INSERT`, chunked under the
/// backend's bind limit, the chunks in one transaction when there are several. Returns the
/// number of rows inserted.
pub fn attach(conn: &mut Conn, rows: &[Link]) -> QueryResult<usize> {
    let rows: Vec<NewSkillUser<'_>> = rows.iter().map(NewSkillUser::from).collect();
    if rows.len() * NewSkillUser::BINDS <= MAX_BINDS {
        insert_chunked(conn, &rows)
    } else {
        conn.transaction(|conn| insert_chunked(conn, &rows))
    }
}

/// W6's read-back (untimed): how many skills [`data::ATTACH_USER`] has, and the sum of their ids.
pub fn attached(conn: &mut Conn) -> QueryResult<(usize, i64)> {
    let skills: Vec<i64> = skill_user::table
        .filter(skill_user::user_id.eq(data::ATTACH_USER))
        .select(skill_user::skill_id)
        .load(conn)?;
    Ok((skills.len(), skills.iter().sum()))
}

/// W6's restore: [`data::ATTACH_USER`] without skills, as seeded (untimed).
pub fn restore_attach(conn: &mut Conn) -> QueryResult<()> {
    diesel::delete(skill_user::table.filter(skill_user::user_id.eq(data::ATTACH_USER)))
        .execute(conn)
        .map(drop)
}
