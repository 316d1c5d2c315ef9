//! How the relation layer loads, counts and filters by a relation found by key: the
//! [`kind::Keys`] implementation of [`KindOn`], one statement per relation level.

use super::statements::{self, Scope};
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::execute::reads_raw;
use crate::model::{ModelRow, ModelSchema};
use crate::query::{
    KindOn, LoadFuture, Query, Table, arrive, arrive_raw, dedupe, relation_alias, rows_by_parent,
    shared_keys,
};
use crate::relation::{KeyedRelation, LoadedField, kind};
use crate::sql::Sql;
use crate::value::{Column, Key};

impl<R, DB> KindOn<R, DB> for kind::Keys
where
    R: KeyedRelation,
    R::Related: ModelRow<DB>,
    R::Key: Column<DB>,
    DB: Backend,
{
    type Through = Table;

    fn related_query(depth: usize) -> Query<R::Related, DB, Table> {
        Query::reading(
            relation_alias(R::meta().relation, depth, "").into(),
            None,
            Table,
        )
        .at_depth(depth)
    }

    fn load<'a>(
        query: &'a Query<R::Related, DB, Table>,
        conn: &'a mut DB::Connection,
        mut parents: Vec<&'a mut R::Parent>,
    ) -> LoadFuture<'a> {
        Box::pin(async move {
            // Null keys are never sent; a parent with one has no related rows.
            let keys = dedupe(parents.iter().filter_map(|p| R::parent_key(p).cloned()));
            if keys.is_empty() {
                for parent in parents {
                    R::field(parent).store(Vec::new());
                }
                return Ok(());
            }
            let sql = statements::select::<R, DB>(query, &keys);
            let column = key_column::<R>()?;
            let shared = shared_keys(parents.iter().filter_map(|p| R::parent_key(p)));
            let arrived = if shared.is_empty()
                && R::Key::RAW_READABLE
                && <R::Related as ModelRow<DB>>::raw_readable()
                && reads_raw(&sql)
            {
                drop(shared);
                arrive_raw(
                    &mut *conn,
                    sql,
                    |row| R::Key::read_raw(row, column).map_err(key_error::<R>),
                    |row| <R::Related as ModelRow<DB>>::decode_raw(row, 0),
                )
                .await?
            } else {
                arrive(
                    DB::fetch(&mut *conn, sql),
                    &shared,
                    |row| DB::get::<R::Key>(row, column).map_err(key_error::<R>),
                    |row| <R::Related as ModelRow<DB>>::decode(row, 0),
                )
                .await?
            };
            let groups = {
                let parent_keys: Vec<Option<&R::Key>> =
                    parents.iter().map(|p| R::parent_key(p)).collect();
                let present: Vec<&R::Key> = parent_keys.iter().flatten().copied().collect();
                let mut found = rows_by_parent(&present, &arrived.keys).into_iter();
                parent_keys
                    .iter()
                    .map(|key| match key {
                        Some(_) => found.next().unwrap_or_default(),
                        None => Vec::new(),
                    })
                    .collect::<Vec<_>>()
            };
            // A row several parents share (many posts, one author) goes to the first as decoded
            // on arrival, and is decoded again for each after it.
            let lists =
                arrived.lists(groups, |row| <R::Related as ModelRow<DB>>::decode(row, 0))?;
            for (parent, models) in parents.iter_mut().zip(lists) {
                R::field(parent).store(models);
            }
            if !query.preloads.is_empty() {
                let mut nested = Vec::new();
                for parent in parents {
                    R::field(parent).loaded(&mut nested);
                }
                query.run_preloads(conn, nested).await?;
            }
            Ok(())
        })
    }

    fn write_correlated(
        query: &Query<R::Related, DB, Table>,
        sql: &mut Sql<DB>,
        parent_alias: &str,
    ) {
        statements::write_body::<R, DB>(sql, query, &Scope::Correlated(parent_alias));
    }

    fn store_count(parent: &mut R::Parent, count: i64) {
        R::field(parent).store_count(count);
    }
}

/// The position of the related column in the related model's row.
fn key_column<R: KeyedRelation>() -> Result<usize> {
    let meta = R::meta();
    <R::Related as ModelSchema>::META
        .columns
        .iter()
        .position(|c| *c == meta.related_column)
        .ok_or_else(|| Error::UnknownColumn {
            model: <R::Related as ModelSchema>::META.name,
            column: meta.related_column.to_owned(),
            known: <R::Related as ModelSchema>::META.columns.join(", "),
        })
}

/// The key of a related row that did not decode.
fn key_error<R: KeyedRelation>(source: sqlx::Error) -> Error {
    Error::Decode {
        model: <R::Related as ModelSchema>::META.name,
        column: R::meta().related_column,
        source,
    }
}
