//! Preload, `with_count` and `where_has` for many-to-many relations: the query methods and the
//! pieces they leave in the query until it runs.

use std::future::Future;
use std::pin::Pin;

use super::diff::dedupe;
use super::related::{self, Scope};
use crate::backend::Backend;
use crate::error::Result;
use crate::extras::SharedExtras;
use crate::model::ModelSchema;
use crate::query::{
    Condition, Conjunction, CountColumn, Preloader, Query, Through, WriteSql, rows_by_parent,
};
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
            let n = <R::Related as ModelSchema>::META.columns.len();
            let row_keys = rows
                .iter()
                .map(|row| DB::get::<R::LocalKey>(row, n).map_err(parent_key_error::<R>))
                .collect::<Result<Vec<_>>>()?;
            let parent_keys: Vec<&R::LocalKey> = parents.iter().map(|p| R::local_key(p)).collect();
            let groups = rows_by_parent(&parent_keys, &row_keys);
            drop(parent_keys);
            // The extras' names and the parent key, shared by each parent's rows.
            let names = related::extra_names::<R, DB>(&self.query);
            let runtime = names.len().saturating_sub(2);
            for (parent, group) in parents.iter_mut().zip(groups) {
                if group.is_empty() {
                    R::field(parent).set_loaded(Vec::new());
                    continue;
                }
                let extras = SharedExtras::new(names.clone(), R::local_key(parent).to_extra());
                let list = group
                    .into_iter()
                    .map(|r| related::decode::<R, DB>(&rows[r], &extras, runtime))
                    .collect::<Result<Vec<_>>>()?;
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

/// The parent key of a related row (the pivot's foreign key) that did not decode.
fn parent_key_error<R: ManyToManyRelation>(source: sqlx::Error) -> crate::error::Error {
    let meta = R::meta();
    crate::error::Error::PivotDecode {
        relation: format!(
            "{}.{} (pivot {})",
            meta.parent, meta.relation, meta.pivot_table
        ),
        column: meta.pivot_foreign_key.clone(),
        source,
    }
}
