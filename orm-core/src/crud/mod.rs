//! Find, create, insert_many, update and delete for any model; `upsert` and `read_back` hold
//! the writes that hand back what the database stored (upserts, timestamped inserts).

use crate::backend::Backend;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::execute::Execute;
use crate::executor::{Executor, atomically};
use crate::model::{ModelRow, ModelSchema};
use crate::sql::{RowWriter, Sql};

mod read_back;
mod upsert;

pub(crate) use read_back::{insert_read_back, update_from_new};
pub(crate) use upsert::{UpsertColumns, upsert, upsert_many};

/// Appends `"t"."a", "t"."b", ...` for every column of `M`.
pub(crate) fn push_columns<M: ModelSchema, DB: Backend>(sql: &mut Sql<DB>, table_alias: &str) {
    sql.list(M::META.columns, |sql, column| {
        sql.qualified(table_alias, column);
    });
}

/// `SELECT <columns> FROM "table"`.
pub(crate) fn select_from<M: ModelSchema, DB: Backend>() -> Sql<DB> {
    let mut sql = Sql::new();
    sql.push("SELECT ");
    push_columns::<M, DB>(&mut sql, M::META.table);
    sql.push(" FROM ").ident(M::META.table);
    sql
}

pub(crate) async fn find<M, E>(exec: E, key: M::Key) -> Result<Option<M>>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let mut sql = select_from::<M, E::Backend>();
    sql.push(" WHERE ")
        .qualified(M::META.table, M::META.primary_key)
        .push(" = ")
        .bind(&key);
    let mut conn = exec.acquire_read().await?;
    let rows = E::Backend::fetch_all(&mut conn, sql).await?;
    rows.first().map(|row| M::decode(row, 0)).transpose()
}

pub(crate) async fn find_or_fail<M, E>(exec: E, key: M::Key) -> Result<M>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let shown = key.clone();
    find(exec, key).await?.ok_or_else(|| not_found::<M>(&shown))
}

/// The rows with these keys in one statement (the list is one parameter: an array on
/// PostgreSQL, JSON text elsewhere, so any length fits the bind limit), in the order of `keys`;
/// a key given twice is returned once, at its first place; missing keys are skipped.
pub(crate) async fn find_many<M, E>(exec: E, keys: Vec<M::Key>) -> Result<Vec<M>>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = select_from::<M, E::Backend>();
    sql.push(" WHERE ")
        .in_keys(Some(M::META.table), M::META.primary_key, &keys, false);
    let mut conn = exec.acquire_read().await?;
    let rows = E::Backend::fetch_all(&mut conn, sql).await?;
    let mut by_key = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        let model = M::decode(row, 0)?;
        by_key.insert(model.key().clone(), model);
    }
    drop(rows);
    Ok(keys.iter().filter_map(|key| by_key.remove(key)).collect())
}

/// `INSERT INTO t (cols) VALUES (...), (...)` for a chunk of new rows. Timestamp columns come
/// last, set to the database's "now" (no clock value from the application).
fn insert_statement<M: ModelRow<DB>, DB: Backend>(rows: &[M::New]) -> Sql<DB> {
    let mut sql = Sql::new();
    sql.push("INSERT INTO ").ident(M::META.table).push(" (");
    sql.list(
        M::META
            .insert_columns
            .iter()
            .copied()
            .chain(M::TIMESTAMPS.on_insert()),
        |sql, column| {
            sql.ident(column);
        },
    );
    sql.push(") VALUES ");
    sql.list(rows, |sql, new| {
        sql.push("(");
        M::write_new(new, &mut RowWriter::new(sql));
        for (i, _) in M::TIMESTAMPS.on_insert().enumerate() {
            if i > 0 || !M::META.insert_columns.is_empty() {
                sql.push(", ");
            }
            sql.push(DB::NOW);
        }
        sql.push(")");
    });
    sql
}

/// Appends `, "updated_at" = <now>` (or without the comma when `first`) when the model has an
/// `updated_at` column; says whether it did.
fn push_touch<M: ModelSchema, DB: Backend>(sql: &mut Sql<DB>, first: bool) -> bool {
    let Some(column) = M::TIMESTAMPS.updated_at else {
        return false;
    };
    if !first {
        sql.push(", ");
    }
    sql.ident(column).push(" = ").push(DB::NOW);
    true
}

pub(crate) async fn create<M, E>(exec: E, new: M::New) -> Result<M>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let mut conn = exec.acquire().await?;
    create_on::<M, E::Backend>(&mut conn, new).await
}

/// Inserts one row on `conn` and returns the model with its key.
pub(crate) async fn create_on<M, DB>(conn: &mut DB::Connection, new: M::New) -> Result<M>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    if !M::TIMESTAMPS.is_none() {
        // The timestamps are the database's: read the stored row back.
        return insert_read_back::<M, DB>(conn, &new).await;
    }
    let mut sql = insert_statement::<M, DB>(std::slice::from_ref(&new));
    if !M::META.key_generated {
        DB::execute(conn, sql).await?;
        return M::from_new(new, None);
    }
    let key = if DB::INSERT_RETURNING {
        sql.push(" RETURNING ").ident(M::META.primary_key);
        let rows = DB::fetch_all(conn, sql).await?;
        let row = rows.first().ok_or(Error::NoRows {
            model: M::META.name,
        })?;
        crate::model::decode_column::<DB, M::Key>(row, 0, M::META.name, M::META.primary_key)?
    } else {
        generated_key::<M>(DB::execute(conn, sql).await?)?
    };
    M::from_new(new, Some(key))
}

/// The key the database generated for an insert, from `last_insert_id` (MySQL).
fn generated_key<M: ModelSchema>(done: crate::execute::Outcome) -> Result<M::Key> {
    let id = done.last_insert_id.ok_or(Error::NoGeneratedKey {
        model: M::META.name,
        column: M::META.primary_key,
    })?;
    <M::Key as crate::value::Key>::from_generated_id(id).ok_or_else(|| Error::InvalidInput {
        model: M::META.name,
        relation: M::META.primary_key,
        operation: "create",
        reason: format!("the database generated id {id}, which does not fit the key type"),
    })
}

pub(crate) async fn insert_many<M, E>(exec: E, rows: Vec<M::New>) -> Result<u64>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    insert_chunked::<M, E>(exec, rows, |_| {}).await
}

/// Inserts `rows` in one transaction, as many per statement as the backend's bind limit
/// allows, each statement finished by `tail` (an upsert's conflict clause); returns the rows
/// affected.
pub(crate) async fn insert_chunked<M, E>(
    exec: E,
    rows: Vec<M::New>,
    tail: impl Fn(&mut Sql<E::Backend>) + Send + Sync,
) -> Result<u64>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let per_statement = (E::Backend::BIND_LIMIT / M::META.insert_columns.len().max(1)).max(1);
    let mut conn = exec.acquire().await?;
    atomically!(E::Backend, &mut conn, |tx| async {
        let mut affected = 0;
        for chunk in rows.chunks(per_statement) {
            let mut sql = insert_statement::<M, E::Backend>(chunk);
            tail(&mut sql);
            affected += E::Backend::execute(tx, sql).await?.rows_affected;
        }
        Ok(affected)
    }
    .await)
}

pub(crate) async fn update<M, E>(exec: E, model: &M) -> Result<()>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let mut conn = exec.acquire().await?;
    update_on::<M, E::Backend>(&mut conn, model).await
}

/// Writes every column of `model` on `conn`.
pub(crate) async fn update_on<M, DB>(conn: &mut DB::Connection, model: &M) -> Result<()>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    if M::META.update_columns.is_empty() && M::TIMESTAMPS.updated_at.is_none() {
        return Ok(());
    }
    let mut sql = Sql::<DB>::new();
    sql.push("UPDATE ").ident(M::META.table).push(" SET ");
    model.write_update(&mut RowWriter::assignments(
        &mut sql,
        M::META.update_columns,
    ));
    push_touch::<M, DB>(&mut sql, M::META.update_columns.is_empty());
    write_on_row::<M, DB>(conn, sql, model).await
}

/// Writes one column of `model`'s row: `UPDATE table SET column = value WHERE key = ?`
/// (`None`: NULL).
pub(crate) async fn update_column<M, V, E>(
    exec: E,
    model: &M,
    column: &'static str,
    value: Option<V>,
) -> Result<()>
where
    M: ModelRow<E::Backend>,
    V: crate::value::Bind<E::Backend> + 'static,
    E: Executor,
{
    let mut sql = Sql::<E::Backend>::new();
    sql.push("UPDATE ").ident(M::META.table).push(" SET ");
    sql.ident(column).push(" = ");
    match &value {
        Some(value) => sql.bind(value),
        None => sql.push("NULL"),
    };
    push_touch::<M, E::Backend>(&mut sql, false);
    let mut conn = exec.acquire().await?;
    write_on_row::<M, E::Backend>(&mut conn, sql, model).await
}

pub(crate) async fn delete<M, E>(exec: E, model: &M) -> Result<()>
where
    M: ModelRow<E::Backend>,
    E: Executor,
{
    let mut sql = Sql::<E::Backend>::new();
    sql.push("DELETE FROM ").ident(M::META.table);
    let mut conn = exec.acquire().await?;
    write_on_row::<M, E::Backend>(&mut conn, sql, model).await
}

/// Runs the write `sql` (an UPDATE or DELETE) on `model`'s row alone (` WHERE key = ?`):
/// [`Error::NotFound`] when no row has its key.
async fn write_on_row<M, DB>(conn: &mut DB::Connection, mut sql: Sql<DB>, model: &M) -> Result<()>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    sql.push(" WHERE ")
        .ident(M::META.primary_key)
        .push(" = ")
        .bind(model.key());
    let done = DB::execute(conn, sql).await?;
    if done.rows_affected == 0 {
        return Err(not_found::<M>(model.key()));
    }
    Ok(())
}

pub(crate) fn not_found<M: ModelSchema>(key: &M::Key) -> Error {
    Error::NotFound {
        model: M::META.name,
        column: M::META.primary_key,
        value: format!("{key:?}"),
    }
}
