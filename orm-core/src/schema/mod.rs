//! The schema from the models: `CREATE TABLE` for a set of models and their many-to-many pivots
//! in each backend's dialect ([`Schema::create_all`], [`Schema::to_sql`] for a migration file),
//! and a check of a live database against them ([`Schema::check`]).
//!
//! ```
//! use orm_core::schema::{ColumnDef, Schema, TableDef};
//!
//! // `#[derive(Model)]` writes this for a model (`Schema::model::<Tag>()`); by hand here.
//! let mut tags = TableDef::new("tags", "Tag");
//! let mut id = ColumnDef::of::<i64, sqlx::Sqlite>("id");
//! id.generated = true;
//! tags.columns = vec![id, ColumnDef::of::<Option<String>, sqlx::Sqlite>("label")];
//! tags.primary_key = vec!["id".into()];
//!
//! let schema = Schema::<sqlx::Sqlite>::new().table(tags);
//! assert_eq!(
//!     schema.to_sql(),
//!     "CREATE TABLE IF NOT EXISTS `tags` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `label` TEXT);\n"
//! );
//! ```
//!
//! With models, `Schema::<sqlx::Postgres>::new().model::<User>().model::<Skill>()` holds
//! `users`, `skills` and the pivot `skill_user`; `create_all(&pool)` creates them and
//! `check(&pool)` compares them with the database (see the README's "Schema" section).
//!
//! Tables are created in dependency order (a table after the tables its foreign keys point at)
//! with `CREATE TABLE IF NOT EXISTS`; a pivot declared by both of its models is created once.
//! Migrations stay with `sqlx migrate`: write [`Schema::to_sql`] into a migration file.

mod check;
mod ddl;
mod table;
mod types;

use std::marker::PhantomData;

pub use crate::dialect::SqlType;
pub use crate::error::Mismatch;
pub use table::{ColumnDef, ForeignKey, ModelTable, OnDelete, PivotTable, TableDef, pivot_table};
pub use types::ColumnType;
#[doc(hidden)]
pub use types::ColumnTypeOf;

use crate::backend::Backend;
use crate::error::Result;
use crate::executor::Executor;
use crate::relation::BelongsToRelation;
use crate::sql::Sql;
use crate::value::Column;

/// A set of tables on backend `DB`: the models' own and their many-to-many pivots.
///
/// ```
/// use orm_core::schema::{ColumnDef, Schema, TableDef};
/// let mut tags = TableDef::new("tags", "Tag");
/// tags.columns = vec![ColumnDef::of::<String, sqlx::Sqlite>("code")];
/// tags.primary_key = vec!["code".into()];
/// let schema = Schema::<sqlx::Sqlite>::new().table(tags);
/// assert_eq!(schema.statements(), ["CREATE TABLE IF NOT EXISTS `tags` (`code` TEXT NOT NULL, PRIMARY KEY (`code`))"]);
/// ```
#[derive(Debug, Clone)]
pub struct Schema<DB> {
    tables: Vec<TableDef>,
    backend: PhantomData<fn() -> DB>,
}

impl<DB: Backend> Default for Schema<DB> {
    fn default() -> Self {
        Schema {
            tables: Vec::new(),
            backend: PhantomData,
        }
    }
}

impl<DB: Backend> Schema<DB> {
    /// No tables yet.
    pub fn new() -> Self {
        Schema::default()
    }

    /// Adds model `M`'s table and the pivot tables of its many-to-many relations (a table
    /// already in the set is kept as it is).
    pub fn model<M: ModelTable<DB>>(self) -> Self {
        let mut tables = vec![M::table()];
        M::pivot_tables(&mut tables);
        tables.into_iter().fold(self, Schema::table)
    }

    /// Adds a table described by hand (a table already in the set of that name is kept).
    pub fn table(mut self, table: TableDef) -> Self {
        if !self.tables.iter().any(|t| t.name == table.name) {
            self.tables.push(table);
        }
        self
    }

    /// The tables, each after the tables its foreign keys point at.
    pub fn tables(&self) -> Vec<&TableDef> {
        ddl::dependency_order(&self.tables)
    }

    /// Every statement creating the tables, in dependency order.
    pub fn statements(&self) -> Vec<String> {
        self.tables()
            .into_iter()
            .flat_map(ddl::create_table::<DB>)
            .collect()
    }

    /// The statements as one SQL script (`;` and a newline after each): the body of a
    /// migration file for `sqlx migrate`.
    pub fn to_sql(&self) -> String {
        self.statements()
            .iter()
            .map(|s| format!("{s};\n"))
            .collect()
    }

    /// Creates every table that does not exist, in dependency order, on `exec` (a pool, a
    /// connection or a transaction). For tests, examples and prototypes; an application's
    /// schema changes belong in migrations.
    ///
    /// # Errors
    /// The database's error for the first statement that failed, naming it.
    pub async fn create_all(&self, exec: impl Executor<Backend = DB>) -> Result<()> {
        let mut conn = exec.acquire().await?;
        for statement in self.statements() {
            DB::execute(&mut conn, raw(&statement)).await?;
        }
        Ok(())
    }

    /// Drops every table of the set that exists, in reverse dependency order.
    ///
    /// # Errors
    /// The database's error for the first statement that failed.
    pub async fn drop_all(&self, exec: impl Executor<Backend = DB>) -> Result<()> {
        let mut conn = exec.acquire().await?;
        for table in self.tables().into_iter().rev() {
            DB::execute(&mut conn, raw(&ddl::drop_table::<DB>(table))).await?;
        }
        Ok(())
    }

    /// Compares the tables with the live database behind `exec`: every table and column must
    /// exist, with a type that holds the Rust type and the same nullability. One statement
    /// (the catalog's columns).
    ///
    /// # Errors
    /// [`Error::SchemaMismatch`](crate::Error::SchemaMismatch) listing every mismatch, or the
    /// database's error.
    pub async fn check(&self, exec: impl Executor<Backend = DB>) -> Result<()>
    where
        String: Column<DB>,
        i64: Column<DB>,
    {
        let mut conn = exec.acquire().await?;
        let live = check::live_columns::<DB>(&mut conn).await?;
        let mismatches = check::compare::<DB>(&self.tables, &live);
        if mismatches.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::SchemaMismatch { mismatches })
        }
    }
}

/// The foreign key of a `#[belongs_to]` relation: its key column points at the owner's key.
/// Used by generated code.
#[doc(hidden)]
pub fn belongs_to_key<R: BelongsToRelation>() -> ForeignKey {
    let meta = R::meta();
    ForeignKey {
        column: meta.parent_column.to_owned(),
        references_table: meta.related_table.to_owned(),
        references_column: meta.related_column.to_owned(),
        on_delete: OnDelete::Restrict,
    }
}

/// A statement of DDL the schema wrote, unprepared (it runs once).
fn raw<DB: Backend>(statement: &str) -> Sql<DB> {
    let mut sql = Sql::new();
    sql.push(statement).unprepared();
    sql
}
