//! `Model::query()`: filters, order, limit and offset, then sqlx-style terminal methods.

mod aggregate;
mod arrive;
mod bulk;
mod chunks;
mod conditions;
mod expr;
mod filter;
mod group;
mod model_filters;
mod page;
mod pivot;
mod related_select;
mod relation;
mod run;
mod stream;

use std::borrow::Cow;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

pub use aggregate::{Item, Select};
pub(crate) use arrive::{arrive, arrive_raw, shared_keys};
pub use bulk::Set;
pub use chunks::Chunks;
pub use expr::Expr;
pub(crate) use filter::{ColumnRef, Condition, Conjunction, Filter, WriteSql};
pub use filter::{Op, Order};
pub(crate) use group::{dedupe, rows_by_parent};
pub use page::Page;
pub use pivot::ReadsModel;
pub(crate) use pivot::sealed;
pub(crate) use related_select::Shape;
#[doc(hidden)]
pub use relation::KindOn;
pub(crate) use relation::relation_alias;
pub use relation::{LoadFuture, RelationOn, RelationQuery};
pub use stream::ModelStream;

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::model::ModelSchema;
use crate::sql::Sql;
use crate::value::Bind;

/// A query on model `M`'s table for backend `DB` (inferred from the executor it runs on).
///
/// Column names are checked against the model's columns; a wrong name makes the terminal method
/// return [`Error::UnknownColumn`]. Values are always bound.
///
/// ```no_run
/// # use orm_core::{Model, ModelRow, Order, Op};
/// # async fn run<User: ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
/// let users: Vec<User> = User::query()
///     .where_eq("username", "virk")
///     .or_where_group(|q| q.where_op("id", Op::Gt, 10_i64).where_not_null("email_address"))
///     .order_by("id", Order::Desc)
///     .limit(20)
///     .fetch_all(&pool)
///     .await?;
/// # Ok(()) }
/// ```
pub struct Query<M, DB: Backend, T = Table> {
    /// The name the model's table goes by in the statement.
    pub(crate) alias: Cow<'static, str>,
    /// The pivot table joined in, when this query reads through a many-to-many relation.
    pub(crate) pivot: Option<PivotScope>,
    pub(crate) filter: Filter<DB>,
    /// Conditions every filter is ANDed with: the parent of a relation handle's query, so that
    /// no `or_` form reaches another parent's rows.
    pub(crate) scope: Filter<DB>,
    pub(crate) order: Vec<(ColumnRef, Order)>,
    pub(crate) limit: Option<u64>,
    pub(crate) offset: Option<u64>,
    /// `SELECT DISTINCT`.
    pub(crate) distinct: bool,
    pub(crate) error: Option<Error>,
    pub(crate) preloads: Vec<Box<dyn Preloader<M, DB>>>,
    pub(crate) counts: Vec<Box<dyn CountColumn<M, DB>>>,
    /// What the query reads: [`Table`], or the related table through a many-to-many
    /// relation's pivot.
    pub(crate) through: T,
    /// How many relation levels below the outer query this query is (0 for the outer query):
    /// relation subqueries alias their tables by depth.
    pub(crate) depth: usize,
    model: PhantomData<fn() -> M>,
}

/// A query on a model's own table (the default of [`Query`]'s third parameter).
#[derive(Debug, Clone, Copy, Default)]
pub struct Table;

/// Whose column a filter names: the model's, or the pivot table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Model,
    Pivot,
}

/// The pivot table of a query that reads through a many-to-many relation.
pub(crate) struct PivotScope {
    /// The pivot table's alias in the statement.
    pub(crate) alias: String,
    /// The relation, for error messages: `User.skills`.
    pub(crate) relation: String,
    /// Pivot columns read into the extras (`pivot_columns`).
    pub(crate) columns: Vec<String>,
    /// The columns pivot filters may name, when the pivot data declares columns; `None`: any
    /// plain identifier.
    pub(crate) declared: Option<Vec<&'static str>>,
}

/// Loads a relation for a batch of parents: one statement per relation level. Built by
/// `preload` / `preload_with`.
pub trait Preloader<M, DB: Backend>: Send + Sync {
    /// Loads the relation into every parent's field (an empty list for parents without rows).
    fn load<'a>(
        &'a self,
        conn: &'a mut DB::Connection,
        parents: Vec<&'a mut M>,
    ) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;
}

/// A relation count selected with each parent row. Built by `with_count`.
pub(crate) trait CountColumn<M, DB: Backend>: Send + Sync {
    /// Writes the correlated `(SELECT COUNT(*) ...)` for a parent table called `parent_alias`.
    fn write(&self, sql: &mut Sql<DB>, parent_alias: &str);
    /// Stores the count in the parent's relation field.
    fn store(&self, parent: &mut M, count: i64);
}

impl<M: ModelSchema, DB: Backend> Default for Query<M, DB> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: ModelSchema, DB: Backend> Query<M, DB> {
    /// A query with no conditions: every row.
    pub fn new() -> Self {
        Query::reading(Cow::Borrowed(M::META.table), None, Table)
    }
}

impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    /// A query with no conditions on the table called `alias`, joined with `pivot` if any.
    pub(crate) fn reading(alias: Cow<'static, str>, pivot: Option<PivotScope>, through: T) -> Self {
        Query {
            alias,
            pivot,
            filter: Filter::default(),
            scope: Filter::default(),
            order: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            error: None,
            preloads: Vec::new(),
            counts: Vec::new(),
            through,
            depth: 0,
            model: PhantomData,
        }
    }

    /// This query, `depth` relation levels below the outer query.
    pub(crate) fn at_depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }

    /// A fresh query sharing this one's table alias and pivot table, for groups.
    fn sibling(&self) -> Self {
        let mut query =
            Query::reading(self.alias.clone(), None, self.through.clone()).at_depth(self.depth);
        query.pivot = self.pivot.as_ref().map(|p| PivotScope {
            alias: p.alias.clone(),
            relation: p.relation.clone(),
            // Only for checking the group's pivot filters: a group reads no columns.
            columns: p.columns.clone(),
            declared: p.declared.clone(),
        });
        query
    }

    /// This query limited to the rows whose `column` equals `key` (none when `key` is `None`:
    /// a null key matches nothing), whatever its filters say.
    pub(crate) fn scoped_to<K: Bind<DB> + std::fmt::Debug + 'static>(
        mut self,
        column: &'static str,
        key: Option<K>,
    ) -> Self {
        let column = ColumnRef {
            table: self.alias.clone(),
            column: Cow::Borrowed(column),
        };
        let condition = match key {
            Some(key) => Condition::Compare {
                column,
                op: Op::Eq,
                value: Box::new(key),
                negate: false,
            },
            None => Condition::In {
                column,
                values: Vec::new(),
                negate: false,
            },
        };
        self.scope.add(Conjunction::And, condition);
        self
    }

    fn column(&mut self, name: &str) -> Option<ColumnRef> {
        match M::META.column(name) {
            Ok(column) => Some(ColumnRef {
                table: self.alias.clone(),
                column: Cow::Borrowed(column),
            }),
            Err(err) => {
                self.error.get_or_insert(err);
                None
            }
        }
    }

    /// The column `name` of the model (`Side::Model`) or of the pivot table (`Side::Pivot`),
    /// or an error kept for the terminal method.
    fn resolve(&mut self, side: Side, name: &str) -> Option<ColumnRef> {
        match side {
            Side::Model => self.column(name),
            Side::Pivot => self.pivot_column(name, false),
        }
    }

    pub(crate) fn compare<V: Bind<DB> + std::fmt::Debug + 'static>(
        mut self,
        conjunction: Conjunction,
        side: Side,
        column: &str,
        op: Op,
        value: V,
        negate: bool,
    ) -> Self {
        if let Some(column) = self.resolve(side, column) {
            self.filter.add(
                conjunction,
                Condition::Compare {
                    column,
                    op,
                    value: Box::new(value),
                    negate,
                },
            );
        }
        self
    }

    pub(crate) fn in_list<V, I>(
        mut self,
        conjunction: Conjunction,
        side: Side,
        column: &str,
        values: I,
        negate: bool,
    ) -> Self
    where
        V: Bind<DB> + std::fmt::Debug + 'static,
        I: IntoIterator<Item = V>,
    {
        if let Some(column) = self.resolve(side, column) {
            let values = values
                .into_iter()
                .map(|v| Box::new(v) as Box<dyn filter::DynBind<DB>>)
                .collect();
            self.filter.add(
                conjunction,
                Condition::In {
                    column,
                    values,
                    negate,
                },
            );
        }
        self
    }

    pub(crate) fn null(
        mut self,
        conjunction: Conjunction,
        side: Side,
        column: &str,
        negate: bool,
    ) -> Self {
        if let Some(column) = self.resolve(side, column) {
            self.filter
                .add(conjunction, Condition::Null { column, negate });
        }
        self
    }

    fn group(mut self, conjunction: Conjunction, build: impl FnOnce(Self) -> Self) -> Self {
        let inner = build(self.sibling());
        if let Some(err) = inner.error {
            self.error.get_or_insert(err);
        }
        self.filter.add(conjunction, Condition::Group(inner.filter));
        self
    }

    /// `AND (<conditions built by the closure>)`.
    pub fn where_group(self, build: impl FnOnce(Self) -> Self) -> Self {
        self.group(Conjunction::And, build)
    }

    /// `OR (<conditions built by the closure>)`.
    pub fn or_where_group(self, build: impl FnOnce(Self) -> Self) -> Self {
        self.group(Conjunction::Or, build)
    }

    pub(crate) fn sort(mut self, side: Side, column: &str, order: Order) -> Self {
        if let Some(column) = self.resolve(side, column) {
            self.order.push((column, order));
        }
        self
    }

    /// Returns at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }
}
