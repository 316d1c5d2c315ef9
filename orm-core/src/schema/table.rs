//! A table as the schema sees it ([`TableDef`]: columns, keys, foreign keys, indexes), and the
//! traits `#[derive(Model)]` and `#[derive(PivotData)]` implement to describe theirs.

use crate::backend::Backend;
use crate::dialect::SqlType;
use crate::model::ModelSchema;
use crate::relation::ManyToManyRelation;

use super::types::ColumnType;

/// One column of a [`TableDef`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column's name.
    pub name: String,
    /// Its type.
    pub sql_type: SqlType,
    /// Whether it may be NULL.
    pub nullable: bool,
    /// Whether the database generates it (an integer primary key).
    pub generated: bool,
    /// `#[model(unique)]`: a unique index on this column alone.
    pub unique: bool,
    /// `#[model(index)]`: an index on this column alone.
    pub indexed: bool,
    /// `#[model(default = "...")]`: the SQL expression the column defaults to.
    pub default: Option<&'static str>,
}

impl ColumnDef {
    /// A column storing Rust type `T` on `DB`: its SQL type and nullability from
    /// [`ColumnType`].
    ///
    /// ```
    /// use orm_core::schema::{ColumnDef, SqlType};
    /// let email = ColumnDef::of::<Option<String>, sqlx::Sqlite>("email");
    /// assert_eq!((email.sql_type, email.nullable), (SqlType::Text, true));
    /// ```
    pub fn of<T: ColumnType<DB>, DB: Backend>(name: &str) -> Self {
        ColumnDef::new(name, T::SQL_TYPE, T::NULLABLE)
    }

    /// A column of an explicit type.
    ///
    /// ```
    /// use orm_core::schema::{ColumnDef, SqlType};
    /// let tags = ColumnDef::new("tags", SqlType::Custom("TEXT[]"), false);
    /// assert!(!tags.nullable);
    /// ```
    pub fn new(name: &str, sql_type: SqlType, nullable: bool) -> Self {
        ColumnDef {
            name: name.to_owned(),
            sql_type,
            nullable,
            generated: false,
            unique: false,
            indexed: false,
            default: None,
        }
    }
}

/// What happens to rows whose foreign key points at a deleted row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    /// The delete fails while rows point at the row (the database's default).
    Restrict,
    /// The rows are deleted too (a pivot's rows follow their parents).
    Cascade,
}

/// A foreign key of a [`TableDef`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The column holding the key.
    pub column: String,
    /// The table it points at.
    pub references_table: String,
    /// The column it points at.
    pub references_column: String,
    /// What deleting the row pointed at does.
    pub on_delete: OnDelete,
}

/// A table: what `schema` creates and checks for a model or a many-to-many pivot.
///
/// ```
/// use orm_core::schema::{ColumnDef, TableDef};
/// let mut table = TableDef::new("tags", "Tag");
/// table.columns.push(ColumnDef::of::<i64, sqlx::Sqlite>("id"));
/// table.primary_key = vec!["id".into()];
/// assert_eq!(table.column("id").map(|c| c.nullable), Some(false));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDef {
    /// The table's name.
    pub name: String,
    /// Who declares it, for messages: `User`, or `pivot of User.skills`.
    pub declared_by: String,
    /// Its columns, in order.
    pub columns: Vec<ColumnDef>,
    /// The primary key's columns.
    pub primary_key: Vec<String>,
    /// Its foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexes over several columns (single-column ones are flags of the column).
    pub indexes: Vec<Vec<String>>,
}

impl TableDef {
    /// An empty table `name`, declared by `declared_by`.
    pub fn new(name: &str, declared_by: &str) -> Self {
        TableDef {
            name: name.to_owned(),
            declared_by: declared_by.to_owned(),
            columns: Vec::new(),
            primary_key: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether `column` is in the primary key, an index or a foreign key (MySQL then needs a
    /// bounded type for text).
    pub fn is_indexed(&self, column: &ColumnDef) -> bool {
        column.unique
            || column.indexed
            || self.primary_key.contains(&column.name)
            || self.foreign_keys.iter().any(|f| f.column == column.name)
            || self.indexes.iter().any(|i| i.contains(&column.name))
    }
}

/// The table of a model on backend `DB`, and the pivot tables of its many-to-many relations.
/// Implemented by `#[derive(Model)]` when every field type has a [`ColumnType`] on `DB` (or a
/// `sql_type` attribute).
///
/// ```
/// # use orm_core::schema::ModelTable;
/// fn table_name<M: ModelTable<sqlx::Sqlite>>() -> String { M::table().name }
/// ```
pub trait ModelTable<DB: Backend>: ModelSchema {
    /// The model's own table, with the foreign keys of its `#[belongs_to]` relations.
    fn table() -> TableDef;

    /// Appends the pivot table of each of its `#[many_to_many]` relations.
    fn pivot_tables(out: &mut Vec<TableDef>);
}

/// The typed extra columns of a pivot on backend `DB`. Implemented by `#[derive(PivotData)]`
/// and by `()`.
///
/// ```
/// # use orm_core::schema::PivotTable;
/// assert!(<() as PivotTable<sqlx::Sqlite>>::columns().is_empty());
/// ```
pub trait PivotTable<DB: Backend> {
    /// The extra columns.
    fn columns() -> Vec<crate::schema::ColumnDef>;
}

impl<DB: Backend> PivotTable<DB> for () {
    fn columns() -> Vec<ColumnDef> {
        Vec::new()
    }
}

/// The pivot table of relation `R`: both foreign keys (typed as the keys they point at,
/// `local_key` and `related_key`, `ON DELETE CASCADE`), their composite primary key, an index
/// on the related key, the pivot data and the timestamps. Used by generated code, which passes
/// the key types as the models declare them.
#[doc(hidden)]
pub fn pivot_table<DB: Backend, R>(local_key: SqlType, related_key: SqlType) -> TableDef
where
    R: ManyToManyRelation,
    R::Pivot: PivotTable<DB>,
{
    let meta = R::meta();
    let mut table = TableDef::new(
        &meta.pivot_table,
        &format!("pivot of {}.{}", meta.parent, meta.relation),
    );
    let foreign = ColumnDef::new(&meta.pivot_foreign_key, local_key, false);
    let related = ColumnDef::new(&meta.pivot_related_foreign_key, related_key, false);
    table.columns.extend([foreign, related]);
    table
        .columns
        .extend(<R::Pivot as PivotTable<DB>>::columns());
    for timestamp in meta.created_at.iter().chain(&meta.updated_at) {
        table
            .columns
            .push(ColumnDef::new(timestamp, SqlType::DateTime, true));
    }
    table.primary_key = vec![
        meta.pivot_foreign_key.clone(),
        meta.pivot_related_foreign_key.clone(),
    ];
    table.foreign_keys = vec![
        ForeignKey {
            column: meta.pivot_foreign_key.clone(),
            references_table: <R::Parent as ModelSchema>::META.table.to_owned(),
            references_column: meta.local_key.clone(),
            on_delete: OnDelete::Cascade,
        },
        ForeignKey {
            column: meta.pivot_related_foreign_key.clone(),
            references_table: meta.related_table.to_owned(),
            references_column: meta.related_key.clone(),
            on_delete: OnDelete::Cascade,
        },
    ];
    table.indexes = vec![vec![meta.pivot_related_foreign_key.clone()]];
    table
}
