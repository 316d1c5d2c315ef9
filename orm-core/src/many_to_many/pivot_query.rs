//! `user.related(User::skills()).pivot_query()`: this parent's pivot rows as data, with update
//! and delete scoped to the parent.

use super::through::{PivotRows, declared_pivot_columns};
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::pivot::{PivotData, PivotRow};
use crate::query::{PivotScope, Query};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use crate::sql::Sql;

/// One pivot row of a parent: the related key and the typed pivot data.
#[derive(Debug, Clone, PartialEq)]
pub struct PivotRecord<K, P> {
    /// The related model's key.
    pub related_key: K,
    /// The pivot's typed extra columns.
    pub data: P,
}

/// A query on one parent's pivot rows only (no join). Filters use the pivot family.
///
/// ```no_run
/// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
/// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool) -> Result<()>
/// # where R: ManyToManyOn<sqlx::Sqlite> {
/// let masters = skills.pivot_query().where_pivot("proficiency", "master").fetch_all(&pool).await?;
/// skills.pivot_query().where_null_pivot("proficiency").delete(&pool).await?;
/// # Ok(()) }
/// ```
pub type PivotQuery<R, DB> = Query<<R as crate::relation::Relation>::Related, DB, PivotRows<R>>;

/// `parent.related(..).pivot_query()`: a query of `parent`'s pivot rows alone.
pub(crate) fn pivot_query<R: ManyToManyRelation, DB: Backend>(
    parent: R::LocalKey,
) -> PivotQuery<R, DB> {
    let meta = R::meta();
    Query::reading(
        meta.related_table.into(),
        Some(PivotScope {
            alias: meta.pivot_table.clone(),
            relation: format!("{}.{}", meta.parent, meta.relation),
            columns: Vec::new(),
            declared: declared_pivot_columns::<R::Pivot>(meta),
        }),
        PivotRows { parent },
    )
}

/// The terminal methods of a query of pivot rows: read them as data, update or delete them.
impl<R: ManyToManyRelation, DB: Backend> Query<R::Related, DB, PivotRows<R>> {
    /// ` WHERE pivot.fk = ? [AND (filters)]`.
    fn write_pivot_where(&self, sql: &mut Sql<DB>)
    where
        R: ManyToManyOn<DB>,
    {
        let meta = R::meta();
        sql.push(" WHERE ")
            .qualified(&meta.pivot_table, &meta.pivot_foreign_key)
            .push(" = ")
            .bind_debug(&self.through.parent);
        if !self.filter.is_empty() {
            sql.push(" AND ");
            self.filter.write(sql);
        }
    }

    /// `SELECT rfk, <pivot data> FROM pivot WHERE fk = ? [AND (filters)]`.
    fn pivot_rows_sql(&self) -> Sql<DB>
    where
        R: ManyToManyOn<DB>,
    {
        let meta = R::meta();
        let mut sql = Sql::new();
        sql.push("SELECT ")
            .qualified(&meta.pivot_table, &meta.pivot_related_foreign_key);
        for column in R::Pivot::COLUMNS {
            sql.push(", ").qualified(&meta.pivot_table, column);
        }
        sql.push(" FROM ").ident(&meta.pivot_table);
        self.write_pivot_where(&mut sql);
        sql
    }

    /// The statement [`fetch_all`](Self::fetch_all) runs and its bound values, as text per
    /// dialect (see [`Query::to_sql`]).
    ///
    /// # Errors
    /// The error the query holds (a bad pivot column name).
    pub fn to_sql(&self) -> Result<(String, Vec<String>)>
    where
        R: ManyToManyOn<DB>,
    {
        self.show(|| self.pivot_rows_sql())
    }

    /// The parent's pivot rows that match.
    ///
    /// # Errors
    /// [`Error::InvalidIdentifier`] for a bad pivot column name, or a database error.
    pub async fn fetch_all<E>(
        mut self,
        exec: E,
    ) -> Result<Vec<PivotRecord<R::RelatedKey, R::Pivot>>>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.checked()?;
        let meta = R::meta();
        let sql = self.pivot_rows_sql();
        let mut conn = exec.acquire_read().await?;
        let rows = DB::fetch_all(&mut conn, sql).await?;
        rows.iter()
            .map(|row| {
                let related_key =
                    DB::get::<R::RelatedKey>(row, 0).map_err(|source| Error::PivotDecode {
                        relation: format!(
                            "{}.{} (pivot {})",
                            meta.parent, meta.relation, meta.pivot_table
                        ),
                        column: meta.pivot_related_foreign_key.clone(),
                        source,
                    })?;
                Ok(PivotRecord {
                    related_key,
                    data: <R::Pivot as PivotRow<DB>>::decode(row, 1)?,
                })
            })
            .collect()
    }

    /// Sets the pivot data (and `updated_at`) of the parent's matching pivot rows; returns how
    /// many rows matched. One statement.
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn update<E>(mut self, exec: E, data: R::Pivot) -> Result<u64>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.checked()?;
        let meta = R::meta();
        let mut sql = Sql::new();
        sql.push("UPDATE ").ident(&meta.pivot_table).push(" SET ");
        // The pivot timestamps are the ORM's to set, even when the pivot data reads them.
        let written = super::statements::written_columns::<R>();
        for (n, (index, column)) in written.iter().enumerate() {
            if n > 0 {
                sql.push(", ");
            }
            sql.ident(column).push(" = ");
            data.write_column(*index, &mut sql);
        }
        if let Some(updated_at) = &meta.updated_at {
            if !written.is_empty() {
                sql.push(", ");
            }
            sql.ident(updated_at).push(" = ").push(DB::NOW);
        } else if written.is_empty() {
            return Ok(0);
        }
        self.write_pivot_where(&mut sql);
        let mut conn = exec.acquire().await?;
        Ok(DB::execute(&mut conn, sql).await?.rows_affected)
    }

    /// Deletes the parent's matching pivot rows; returns how many. One statement.
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn delete<E>(mut self, exec: E) -> Result<u64>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.checked()?;
        let meta = R::meta();
        let mut sql = Sql::new();
        sql.push("DELETE FROM ").ident(&meta.pivot_table);
        self.write_pivot_where(&mut sql);
        let mut conn = exec.acquire().await?;
        Ok(DB::execute(&mut conn, sql).await?.rows_affected)
    }
}
