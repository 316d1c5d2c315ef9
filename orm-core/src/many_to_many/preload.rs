//! Preload, `with_count` and `where_has` for many-to-many relations: the query methods and the
//! pieces they leave in the query until it runs.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::diff::dedupe;
use super::related::{self, Scope};
use crate::backend::Backend;
use crate::error::Result;
use crate::extras::SharedExtras;
use crate::model::ModelSchema;
use crate::query::{Condition, Conjunction, CountColumn, Preloader, Query, Through, WriteSql};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use crate::sql::Sql;
use crate::value::Key;

/// Loads relation `R` for a batch of parents with the closure's query: one statement.
struct ManyToManyPreload<R: ManyToManyRelation, DB: Backend> {
    query: Query<R::Related, DB, Through<R>>,
}

impl<R: ManyToManyOn<DB>, DB: Backend> Preloader<R::Parent, DB> for ManyToManyPreload<R, DB> {
    fn load<'a>(
        &'a self,
        conn: &'a mut DB::Connection,
        mut parents: Vec<&'a mut R::Parent>,
    ) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>> {
        Box::pin(async move {
            if parents.is_empty() {
                return Ok(());
            }
            let keys = dedupe(parents.iter().map(|p| R::local_key(p).clone()));
            let sql = related::select::<R, DB>(&self.query, Scope::Keys(&keys), true);
            let rows = DB::fetch_all(&mut *conn, sql).await?;
            // Each row goes to its parent through a hash map of positions, decoded once. A key
            // shared by several parents (a non-unique local key) is decoded again for the others.
            let n = <R::Related as ModelSchema>::META.columns.len();
            let names = related::extra_names::<R, DB>(&self.query);
            let mut position: HashMap<R::LocalKey, usize> = HashMap::with_capacity(parents.len());
            let mut shared: HashMap<R::LocalKey, Vec<usize>> = HashMap::new();
            for (i, parent) in parents.iter().enumerate() {
                let key = R::local_key(parent);
                if position.contains_key(key) {
                    shared.entry(key.clone()).or_default();
                } else {
                    position.insert(key.clone(), i);
                }
            }
            // First pass: each row's parent, and how many rows each parent gets, so that every
            // list is allocated once at its final size.
            let mut owner: Vec<Option<(usize, R::LocalKey)>> = Vec::with_capacity(rows.len());
            let mut sizes = vec![0_usize; parents.len()];
            for (i, row) in rows.iter().enumerate() {
                let key = DB::get::<R::LocalKey>(row, n).map_err(|source| {
                    crate::error::Error::Decode {
                        model: R::meta().parent,
                        column: R::meta().relation,
                        source,
                    }
                })?;
                if let Some(rows_of_key) = shared.get_mut(&key) {
                    rows_of_key.push(i);
                }
                let parent = position.get(&key).copied();
                if let Some(p) = parent {
                    sizes[p] += 1;
                }
                owner.push(parent.map(|p| (p, key)));
            }
            let mut lists: Vec<Vec<_>> =
                sizes.iter().map(|&size| Vec::with_capacity(size)).collect();
            // The extras' names and the parent key, shared by each parent's rows.
            let runtime = names.len().saturating_sub(2);
            let mut extras_of: Vec<Option<Arc<SharedExtras>>> = vec![None; parents.len()];
            for (row, owner) in rows.iter().zip(&owner) {
                if let Some((p, key)) = owner {
                    let extras = extras_of[*p]
                        .get_or_insert_with(|| SharedExtras::new(names.clone(), key.to_extra()));
                    lists[*p].push(related::decode::<R, DB>(row, extras, runtime)?);
                }
            }
            drop(owner);
            for (i, (parent, list)) in parents.iter_mut().zip(lists).enumerate() {
                let key = R::local_key(parent);
                let list = match shared.get(key) {
                    Some(rows_of_key) if position.get(key) != Some(&i) => {
                        let extras = SharedExtras::new(names.clone(), key.to_extra());
                        rows_of_key
                            .iter()
                            .map(|&r| related::decode::<R, DB>(&rows[r], &extras, runtime))
                            .collect::<Result<Vec<_>>>()?
                    }
                    _ => list,
                };
                R::field(parent).set_loaded(list);
            }
            drop(rows);
            if !self.query.preloads.is_empty() {
                let nested: Vec<&mut R::Related> = parents
                    .into_iter()
                    .flat_map(|parent| R::field(parent).loaded_mut().into_iter().flatten())
                    .map(|pivoted| pivoted.model_mut())
                    .collect();
                self.query.run_preloads(conn, nested).await?;
            }
            Ok(())
        })
    }
}

/// `(SELECT COUNT(*) ...)` per parent for `with_count`.
struct ManyToManyCount<R: ManyToManyRelation, DB: Backend> {
    query: Query<R::Related, DB, Through<R>>,
}

impl<R: ManyToManyOn<DB>, DB: Backend> CountColumn<R::Parent, DB> for ManyToManyCount<R, DB> {
    fn write(&self, sql: &mut Sql<DB>, parent_alias: &str) {
        sql.push("(SELECT COUNT(*)");
        related::write_body::<R, DB>(sql, &self.query, Scope::Correlated(parent_alias));
        sql.push(")");
    }

    fn store(&self, parent: &mut R::Parent, count: i64) {
        R::field(parent).set_count(count);
    }
}

/// `SELECT 1 FROM related JOIN pivot WHERE ... AND pivot.fk = parent.key` for `where_has`.
struct ManyToManyExists<R: ManyToManyRelation, DB: Backend> {
    query: Query<R::Related, DB, Through<R>>,
    parent_alias: String,
}

impl<R: ManyToManyOn<DB>, DB: Backend> WriteSql<DB> for ManyToManyExists<R, DB> {
    fn write(&self, sql: &mut Sql<DB>) {
        sql.push("SELECT 1");
        related::write_body::<R, DB>(sql, &self.query, Scope::Correlated(&self.parent_alias));
    }
}

impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    /// The closure's query on relation `R`, its first error kept for this query's terminal method.
    fn relation_query<R>(
        &mut self,
        build: impl FnOnce(Query<R::Related, DB, Through<R>>) -> Query<R::Related, DB, Through<R>>,
    ) -> Query<R::Related, DB, Through<R>>
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        let mut query = build(related::related_query::<R, DB>(None));
        if let Some(err) = query.error.take() {
            self.error.get_or_insert(err);
        }
        query
    }

    /// Loads relation `relation` for every row: one statement per relation level, whatever the
    /// number of rows (none when there are no rows). Each row's field then holds its list (empty
    /// when it has none).
    ///
    /// ```no_run
    /// # use orm_core::{ManyToMany, ManyToManyOn, ManyToManyRelation, Model, ModelRow, Result};
    /// # use std::ops::Deref;
    /// # struct Skill { name: String }
    /// # struct UserFields<R: ManyToManyRelation> { skills: ManyToMany<R::Related, R::Pivot> }
    /// # trait HasSkills: ModelRow<sqlx::Sqlite> + Deref<Target = UserFields<Self::Skills>> {
    /// #     type Skills: ManyToManyOn<sqlx::Sqlite, Parent = Self, Related: Deref<Target = Skill>, Pivot: std::fmt::Debug>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # async fn example<User: HasSkills>(pool: sqlx::SqlitePool) -> Result<()> {
    /// let users = User::query().preload(User::skills()).fetch_all(&pool).await?;
    /// for skill in users[0].skills.get()? { println!("{} {:?}", skill.name, skill.pivot()); }
    /// # Ok(()) }
    /// ```
    pub fn preload<R>(self, relation: R) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        self.preload_with(relation, |q| q)
    }

    /// Preloads with a query built by the closure: filters, pivot filters, `order_by`, and a
    /// `limit` / `offset` that apply to **each parent** (a window function), and nested `preload`.
    ///
    /// ```
    /// # use orm_core::{ManyToManyOn, Model, Order, Query};
    /// # trait HasSkills: Model {
    /// #     type Skills: ManyToManyOn<sqlx::Sqlite, Parent = Self>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # fn example<User: HasSkills>() -> Query<User, sqlx::Sqlite> {
    /// User::query().preload_with(User::skills(), |q| q.where_pivot("proficiency", "master").order_by("name", Order::Asc).limit(2))
    /// # }
    /// ```
    pub fn preload_with<R>(
        mut self,
        _relation: R,
        build: impl FnOnce(Query<R::Related, DB, Through<R>>) -> Query<R::Related, DB, Through<R>>,
    ) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        let query = self.relation_query::<R>(build);
        self.preloads
            .push(Box::new(ManyToManyPreload::<R, DB> { query }));
        self
    }

    /// Counts relation `relation` for every row, into its field: `user.skills.count()`.
    pub fn with_count<R>(self, relation: R) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        self.with_count_where(relation, |q| q)
    }

    /// Counts the related rows that match the closure's filters (pivot filters included).
    pub fn with_count_where<R>(
        mut self,
        _relation: R,
        build: impl FnOnce(Query<R::Related, DB, Through<R>>) -> Query<R::Related, DB, Through<R>>,
    ) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        let query = self.relation_query::<R>(build);
        self.counts
            .push(Box::new(ManyToManyCount::<R, DB> { query }));
        self
    }

    fn has<R>(
        mut self,
        build: impl FnOnce(Query<R::Related, DB, Through<R>>) -> Query<R::Related, DB, Through<R>>,
        negate: bool,
    ) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        let query = self.relation_query::<R>(build);
        let subquery = Box::new(ManyToManyExists::<R, DB> {
            query,
            parent_alias: self.alias.to_string(),
        });
        self.filter
            .add(Conjunction::And, Condition::Exists { negate, subquery });
        self
    }

    /// Keeps the rows that have at least one related row matching the closure's filters.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyOn, Model, ModelRow, Result};
    /// # trait HasSkills: Model + ModelRow<sqlx::Sqlite> {
    /// #     type Skills: ManyToManyOn<sqlx::Sqlite, Parent = Self>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # async fn example<User: HasSkills>(pool: sqlx::SqlitePool) -> Result<()> {
    /// let masters = User::query().where_has(User::skills(), |q| q.where_pivot("proficiency", "master")).fetch_all(&pool).await?;
    /// # Ok(()) }
    /// ```
    pub fn where_has<R>(
        self,
        _relation: R,
        build: impl FnOnce(Query<R::Related, DB, Through<R>>) -> Query<R::Related, DB, Through<R>>,
    ) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        self.has::<R>(build, false)
    }

    /// Keeps the rows that have no related row matching the closure's filters.
    pub fn where_doesnt_have<R>(
        self,
        _relation: R,
        build: impl FnOnce(Query<R::Related, DB, Through<R>>) -> Query<R::Related, DB, Through<R>>,
    ) -> Self
    where
        R: ManyToManyOn<DB> + ManyToManyRelation<Parent = M>,
    {
        self.has::<R>(build, true)
    }
}
