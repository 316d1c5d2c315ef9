//! Writes that hand back the row as the database stored it (timestamps and defaults the
//! database set): an insert of a timestamped model, `first_or_create`'s insert and
//! `update_or_create`'s update. `RETURNING` where the dialect has it; on MySQL / MariaDB a
//! second statement on the same connection reads the row by its key.

use super::{generated_key, insert_statement, not_found, push_touch, select_from};
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::model::{ModelRow, ModelSchema};
use crate::sql::{RowWriter, Sql};

/// Appends ` RETURNING "a", "b", ...`: every column of `M`, in decoding order.
pub(super) fn push_returning<M: ModelSchema, DB: Backend>(sql: &mut Sql<DB>) {
    sql.push(" RETURNING ");
    sql.list(M::META.columns, |sql, column| {
        sql.ident(column);
    });
}

/// The model decoded from the first row, or [`Error::NoRows`].
pub(super) fn first_row<M: ModelRow<DB>, DB: Backend>(rows: &[DB::Row]) -> Result<M> {
    match rows.first() {
        Some(row) => M::decode(row, 0),
        None => Err(Error::NoRows {
            model: M::META.name,
        }),
    }
}

/// Inserts `new` and returns the stored row.
pub(crate) async fn insert_read_back<M, DB>(conn: &mut DB::Connection, new: &M::New) -> Result<M>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    let mut sql = insert_statement::<M, DB>(std::slice::from_ref(new));
    if DB::INSERT_RETURNING {
        push_returning::<M, DB>(&mut sql);
        let rows = DB::fetch_all(conn, sql).await?;
        return first_row::<M, DB>(&rows);
    }
    let done = DB::execute(conn, sql).await?;
    if M::META.key_generated {
        let key = generated_key::<M>(done)?;
        select_by_key::<M, DB>(conn, &key).await
    } else {
        select_matching_new::<M, DB>(conn, new, &[M::META.primary_key]).await
    }
}

/// Writes `new`'s columns over the row with key `key` (and `updated_at`), returning the stored
/// row. A key that `new` holds (one not generated) is written too.
pub(crate) async fn update_from_new<M, DB>(
    conn: &mut DB::Connection,
    key: &M::Key,
    new: &M::New,
) -> Result<M>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    if M::META.insert_columns.is_empty() && M::TIMESTAMPS.updated_at.is_none() {
        return select_by_key::<M, DB>(conn, key).await;
    }
    let mut sql = Sql::<DB>::new();
    sql.push("UPDATE ").ident(M::META.table).push(" SET ");
    M::write_new(
        new,
        &mut RowWriter::assignments(&mut sql, M::META.insert_columns),
    );
    push_touch::<M, DB>(&mut sql, M::META.insert_columns.is_empty());
    sql.push(" WHERE ")
        .ident(M::META.primary_key)
        .push(" = ")
        .bind(key);
    if DB::INSERT_RETURNING {
        push_returning::<M, DB>(&mut sql);
        let rows = DB::fetch_all(conn, sql).await?;
        return match rows.first() {
            Some(row) => M::decode(row, 0),
            None => Err(not_found::<M>(key)),
        };
    }
    if DB::execute(conn, sql).await?.rows_affected == 0 {
        return Err(not_found::<M>(key));
    }
    if M::META.key_generated {
        select_by_key::<M, DB>(conn, key).await
    } else {
        select_matching_new::<M, DB>(conn, new, &[M::META.primary_key]).await
    }
}

/// The row with key `key`, or [`Error::NotFound`].
async fn select_by_key<M, DB>(conn: &mut DB::Connection, key: &M::Key) -> Result<M>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    let mut sql = select_from::<M, DB>();
    sql.push(" WHERE ")
        .qualified(M::META.table, M::META.primary_key)
        .push(" = ")
        .bind(key);
    let rows = DB::fetch_all(conn, sql).await?;
    match rows.first() {
        Some(row) => M::decode(row, 0),
        None => Err(not_found::<M>(key)),
    }
}

/// The row whose `columns` (insert columns of `M`, a unique key) hold `new`'s values:
/// `SELECT .. FROM t JOIN (SELECT ? AS a, ? AS b ..) AS orm_new ON t.a = orm_new.a ..`, so the
/// values are bound once, in `new`'s own order, whichever columns are compared.
pub(super) async fn select_matching_new<M, DB>(
    conn: &mut DB::Connection,
    new: &M::New,
    columns: &[&'static str],
) -> Result<M>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    const NEW: &str = "orm_new";
    let mut sql = select_from::<M, DB>();
    sql.push(" JOIN (SELECT ");
    M::write_new(
        new,
        &mut RowWriter::aliased(&mut sql, M::META.insert_columns),
    );
    sql.push(") AS ").ident(NEW).push(" ON ");
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            sql.push(" AND ");
        }
        sql.qualified(M::META.table, column)
            .push(" = ")
            .qualified(NEW, column);
    }
    let rows = DB::fetch_all(conn, sql).await?;
    first_row::<M, DB>(&rows)
}
