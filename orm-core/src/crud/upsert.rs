//! `upsert` and `upsert_many`: an insert that updates the row whose unique key it collides
//! with. What differs per backend is the dialect's [`Upsert`]: `ON CONFLICT (..) DO UPDATE SET
//! c = EXCLUDED.c` (PostgreSQL, SQLite) or `ON DUPLICATE KEY UPDATE c = VALUES(c)` (MariaDB).
//! Column names are checked against the model and quoted; every value is bound.

use super::read_back::{first_row, push_returning, select_matching_new};
use super::{insert_statement, push_touch};
use crate::backend::Backend;
use crate::dialect::{Dialect, Upsert};
use crate::error::{Error, Result};
use crate::execute::Execute;
use crate::executor::Executor;
use crate::field::ColumnName;
use crate::model::{ModelRow, ModelSchema};
use crate::sql::Sql;

/// The checked columns of an upsert: the unique key it collides on, and the columns it
/// overwrites then.
#[derive(Debug)]
pub(crate) struct UpsertColumns {
    conflict: Vec<&'static str>,
    update: Vec<&'static str>,
}

impl UpsertColumns {
    /// Checks each name against `M`'s columns; each must be one an insert writes (not a
    /// generated key, not a timestamp). Duplicates collapse.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for a name that is no column; [`Error::InvalidInput`] for a
    /// column an insert does not write, or no conflict column.
    pub(crate) fn new<M, C, U>(
        conflict: impl IntoIterator<Item = C>,
        update: impl IntoIterator<Item = U>,
    ) -> Result<Self>
    where
        M: ModelSchema,
        C: ColumnName<M>,
        U: ColumnName<M>,
    {
        let conflict = checked(conflict.into_iter().map(|c| checked_name::<M>(&c)))?;
        let update = checked(update.into_iter().map(|c| checked_name::<M>(&c)))?;
        if conflict.is_empty() {
            return Err(Error::InvalidInput {
                model: M::META.name,
                relation: M::META.table,
                operation: "upsert",
                reason: "no conflict column: name the columns of a unique key, e.g. [\"email\"]"
                    .to_owned(),
            });
        }
        Ok(UpsertColumns { conflict, update })
    }
}

fn checked_name<M: ModelSchema>(column: &impl ColumnName<M>) -> Result<&'static str> {
    let column = M::META.column(column.column_name())?;
    if M::META.insert_columns.contains(&column) {
        return Ok(column);
    }
    Err(Error::InvalidInput {
        model: M::META.name,
        relation: column,
        operation: "upsert",
        reason: format!(
            "`{column}` is not written by an insert (a generated key or a timestamp); expected one of: {}",
            M::META.insert_columns.join(", ")
        ),
    })
}

/// The names in order, each once, or the first error.
fn checked(names: impl Iterator<Item = Result<&'static str>>) -> Result<Vec<&'static str>> {
    let mut out: Vec<&'static str> = Vec::new();
    for name in names {
        let name = name?;
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

/// Appends the dialect's conflict clause. With no update column, the first conflict column is
/// set to itself: the row is left as it is, but PostgreSQL and SQLite still return it.
/// `updated_at` is set to now when a column is updated.
fn push_conflict<M: ModelSchema, DB: Backend>(sql: &mut Sql<DB>, columns: &UpsertColumns) {
    let same = columns
        .conflict
        .first()
        .copied()
        .unwrap_or(M::META.primary_key);
    match DB::UPSERT {
        Upsert::OnConflictExcluded => {
            sql.push(" ON CONFLICT (");
            sql.list(&columns.conflict, |sql, column| {
                sql.ident(column);
            });
            sql.push(") DO UPDATE SET ");
            // `EXCLUDED` is the row that was not inserted; it is a keyword, left unquoted.
            if columns.update.is_empty() {
                sql.ident(same).push(" = EXCLUDED.").ident(same);
                return;
            }
            sql.list(&columns.update, |sql, column| {
                sql.ident(column).push(" = EXCLUDED.").ident(column);
            });
        }
        Upsert::OnDuplicateKeyValues => {
            sql.push(" ON DUPLICATE KEY UPDATE ");
            if columns.update.is_empty() {
                sql.ident(same).push(" = ").ident(same);
                return;
            }
            sql.list(&columns.update, |sql, column| {
                sql.ident(column).push(" = VALUES(").ident(column).push(")");
            });
        }
    }
    push_touch::<M, DB>(sql, false);
}

pub(crate) async fn upsert<M, E>(exec: E, new: M::New, columns: Result<UpsertColumns>) -> Result<M>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let columns = columns?;
    let mut sql = insert_statement::<M, E::Backend>(std::slice::from_ref(&new));
    push_conflict::<M, E::Backend>(&mut sql, &columns);
    let mut conn = exec.acquire().await?;
    if E::Backend::INSERT_RETURNING {
        push_returning::<M, E::Backend>(&mut sql);
        let rows = E::Backend::fetch_all(&mut conn, sql).await?;
        return first_row::<M, E::Backend>(&rows);
    }
    E::Backend::execute(&mut conn, sql).await?;
    select_matching_new::<M, E::Backend>(&mut conn, &new, &columns.conflict).await
}

pub(crate) async fn upsert_many<M, E>(
    exec: E,
    rows: Vec<M::New>,
    columns: Result<UpsertColumns>,
) -> Result<u64>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let columns = columns?;
    super::insert_chunked::<M, E>(exec, rows, |sql| {
        push_conflict::<M, E::Backend>(sql, &columns)
    })
    .await
}
