//! How the relation layer loads, counts and filters by a many-to-many relation: the
//! [`kind::Pivot`] implementation of [`KindOn`], one statement per relation level.

use super::diff::dedupe;
use super::related::{self, Scope};
use super::through::Through;
use crate::backend::Backend;
use crate::error::Error;
use crate::execute::reads_raw;
use crate::extras::SharedExtras;
use crate::model::ModelSchema;
use crate::query::{KindOn, LoadFuture, Query, arrive, arrive_raw, rows_by_parent, shared_keys};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use crate::relation::{LoadedField, kind};
use crate::sql::Sql;
use crate::value::Key;

impl<R: ManyToManyOn<DB>, DB: Backend> KindOn<R, DB> for kind::Pivot {
    type Through = Through<R>;

    fn related_query(depth: usize) -> Query<R::Related, DB, Through<R>> {
        related::related_query::<R, DB>(None, depth)
    }

    fn load<'a>(
        query: &'a Query<R::Related, DB, Through<R>>,
        conn: &'a mut DB::Connection,
        mut parents: Vec<&'a mut R::Parent>,
    ) -> LoadFuture<'a> {
        Box::pin(async move {
            if parents.is_empty() {
                return Ok(());
            }
            let keys = dedupe(parents.iter().map(|p| R::local_key(p).clone()));
            let sql = related::select::<R, DB>(query, Scope::Keys(&keys), true);
            let n = <R::Related as ModelSchema>::META.columns.len();
            let names = related::extra_names::<R, DB>(query);
            let runtime = names.len().saturating_sub(2);
            let shared = shared_keys(parents.iter().map(|p| R::local_key(p)));
            let arrived = if shared.is_empty()
                && R::LocalKey::RAW_READABLE
                && related::raw_readable::<R, DB>()
                && reads_raw(&sql)
            {
                drop(shared);
                arrive_raw(
                    &mut *conn,
                    sql,
                    |row| R::LocalKey::read_raw(row, n).map_err(parent_key_error::<R>),
                    |row| related::decode_raw::<R, DB>(row, None, runtime),
                )
                .await?
            } else {
                arrive(
                    DB::fetch(&mut *conn, sql),
                    &shared,
                    |row| DB::get::<R::LocalKey>(row, n).map_err(parent_key_error::<R>),
                    |row| related::decode::<R, DB>(row, None, runtime),
                )
                .await?
            };
            let parent_keys: Vec<&R::LocalKey> = parents.iter().map(|p| R::local_key(p)).collect();
            let groups = rows_by_parent(&parent_keys, &arrived.keys);
            drop(parent_keys);
            let lists =
                arrived.lists(groups, |row| related::decode::<R, DB>(row, None, runtime))?;
            for (parent, mut list) in parents.iter_mut().zip(lists) {
                if !list.is_empty() {
                    // The extras' names and the parent key, shared by each parent's rows.
                    let shared = SharedExtras::new(names.clone(), R::local_key(parent).to_extra());
                    for pivoted in &mut list {
                        pivoted.extras_mut().share(&shared);
                    }
                }
                R::field(parent).store(list);
            }
            if !query.preloads.is_empty() {
                let mut nested = Vec::new();
                for parent in parents {
                    R::field(parent).loaded(&mut nested);
                }
                let nested = nested.into_iter().map(|p| p.model_mut()).collect();
                query.run_preloads(conn, nested).await?;
            }
            Ok(())
        })
    }

    fn write_correlated(
        query: &Query<R::Related, DB, Through<R>>,
        sql: &mut Sql<DB>,
        parent_alias: &str,
    ) {
        related::write_body::<R, DB>(sql, query, Scope::Correlated(parent_alias));
    }

    fn store_count(parent: &mut R::Parent, count: i64) {
        R::field(parent).store_count(count);
    }
}

/// The parent key of a related row (the pivot's foreign key) that did not decode.
fn parent_key_error<R: ManyToManyRelation>(source: sqlx::Error) -> Error {
    let meta = R::meta();
    Error::PivotDecode {
        relation: format!(
            "{}.{} (pivot {})",
            meta.parent, meta.relation, meta.pivot_table
        ),
        column: meta.pivot_foreign_key.clone(),
        source,
    }
}
