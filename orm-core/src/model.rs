//! The traits `#[derive(Model)]` implements, and the CRUD operations every model gets.

use std::marker::PhantomData;

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::sql::RowWriter;
use crate::value::{Column, Key};

/// What the derive knows about a model's table, as plain data.
#[derive(Debug)]
pub struct ModelMeta {
    /// The struct's name, used in error messages: `User`.
    pub name: &'static str,
    /// The table: `users`.
    pub table: &'static str,
    /// The primary key column.
    pub primary_key: &'static str,
    /// Every column, in the order rows are decoded.
    pub columns: &'static [&'static str],
    /// The columns an insert writes: every column but a database-generated key.
    pub insert_columns: &'static [&'static str],
    /// The columns an update writes: every column but the primary key.
    pub update_columns: &'static [&'static str],
    /// Whether the database generates the primary key.
    pub key_generated: bool,
}

impl ModelMeta {
    /// The column called `name`, as the model's own `&'static str`.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] naming the model and listing its columns.
    pub fn column(&self, name: &str) -> Result<&'static str> {
        self.columns
            .iter()
            .copied()
            .find(|c| *c == name)
            .ok_or_else(|| Error::UnknownColumn {
                model: self.name,
                column: name.to_owned(),
                known: self.columns.join(", "),
            })
    }
}

/// The timestamp columns of a model with `#[model(timestamps)]`: the ORM sets them to the
/// database's clock (`Dialect::NOW`, never a value from the application), both on insert and
/// `updated_at` on update. They are not in the model's `New` struct and not in
/// [`ModelMeta::insert_columns`] or [`ModelMeta::update_columns`].
///
/// ```
/// use orm_core::ModelTimestamps;
/// const T: ModelTimestamps = ModelTimestamps { created_at: Some("created_at"), updated_at: None };
/// assert!(!T.is_none());
/// assert!(ModelTimestamps::NONE.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelTimestamps {
    /// The column set once, when the row is inserted.
    pub created_at: Option<&'static str>,
    /// The column set when the row is inserted and on every update.
    pub updated_at: Option<&'static str>,
}

impl ModelTimestamps {
    /// No timestamp columns (the default).
    pub const NONE: ModelTimestamps = ModelTimestamps {
        created_at: None,
        updated_at: None,
    };

    /// Whether the model has neither column.
    pub const fn is_none(&self) -> bool {
        self.created_at.is_none() && self.updated_at.is_none()
    }

    /// The columns an insert sets to "now": `created_at` then `updated_at`, those that exist.
    pub fn on_insert(&self) -> impl Iterator<Item = &'static str> {
        self.created_at.into_iter().chain(self.updated_at)
    }
}

/// What `#[derive(Model)]` implements for a table-backed struct: its key, insert type and
/// table metadata. Application code uses [`Model`](crate::Model), which every `ModelSchema` is,
/// and which adds `find`, `create`, `query`, `related`, ...
///
/// ```
/// # use orm_core::ModelSchema;
/// fn table_of<M: ModelSchema>() -> &'static str { M::META.table }
/// ```
pub trait ModelSchema: Sized + Send + Sync + Unpin + 'static {
    /// The primary key's type.
    type Key: Key;
    /// The struct of a row to insert: every column but a database-generated key (`NewUser`).
    type New: Send + Sync;
    /// The table, columns and key.
    const META: ModelMeta;
    /// The timestamp columns the ORM sets (`#[model(timestamps)]`); none by default.
    const TIMESTAMPS: ModelTimestamps = ModelTimestamps::NONE;

    /// The primary key's value.
    fn key(&self) -> &Self::Key;

    /// The model built from an inserted row and its key (`None` when the key is in `new`).
    /// Not called for a model with [`ModelSchema::TIMESTAMPS`], whose inserted row is read back
    /// from the database (the clock is the database's).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if a generated key is required but missing, or the model has
    /// timestamps.
    fn from_new(new: Self::New, key: Option<Self::Key>) -> Result<Self>;
}

/// How a model's row is read from and written to backend `DB`. Implemented by
/// `#[derive(Model)]` for every backend that can encode and decode all of its column types.
pub trait ModelRow<DB: Backend>: ModelSchema<Key: Column<DB>> {
    /// Decodes the model from `row`, its columns starting at `offset` in [`ModelMeta::columns`]
    /// order.
    ///
    /// # Errors
    /// [`Error::Decode`] naming the column whose value did not fit.
    fn decode(row: &DB::Row, offset: usize) -> Result<Self>;

    /// Writes the values of [`ModelMeta::insert_columns`] from a new row.
    fn write_new(new: &Self::New, row: &mut RowWriter<'_, DB>);

    /// Writes the values of [`ModelMeta::update_columns`] from this model.
    fn write_update(&self, row: &mut RowWriter<'_, DB>);
}

/// A column of model `M` named by the 64-bit FNV-1a hash of its name (see [`column_hash`]), so
/// that a relation attribute on another struct can refer to the column's type by name.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no column named by this relation key",
    label = "not a column of `{Self}`",
    note = "a relation key, given or by default, is a column of the model that holds it: `foreign_key` of \
            #[has_many] / #[has_one], `owner_key` of #[belongs_to] and `related_key` of #[many_to_many] are \
            columns of the related model"
)]
pub trait HasColumn<const NAME_HASH: u64>: ModelSchema {
    /// The column's Rust type.
    type Value;
    /// The column's name.
    const NAME: &'static str;
    /// The column's value.
    fn value(&self) -> &Self::Value;
    /// The column's value, mutably (a relation's `save` sets a foreign key through it).
    fn value_mut(&mut self) -> &mut Self::Value;
}

/// The 64-bit FNV-1a hash of a column name, the parameter of [`HasColumn`].
///
/// ```
/// assert_ne!(orm_core::column_hash("id"), orm_core::column_hash("di"));
/// ```
pub const fn column_hash(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// Whether two strings are equal, in a constant expression: the derive proves a default
/// foreign key's assumption about a related model's primary key with it. Used by generated code.
#[doc(hidden)]
pub const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Decodes column `index` of `row` for `model.column`, naming them on failure; NULL is an error
/// ([`FieldDecoder`] reads `Option` fields instead). Used by generated code.
#[doc(hidden)]
pub fn decode_column<DB: Backend, T: Column<DB>>(
    row: &DB::Row,
    index: usize,
    model: &'static str,
    column: &'static str,
) -> Result<T> {
    DB::get(row, index).map_err(|source| Error::Decode {
        model,
        column,
        source,
    })
}

/// How generated code decodes a field of type `T`, chosen by the field's type (autoref
/// specialization): `(&FieldDecoder::<T>::new()).decode_field::<DB>(..)` resolves to
/// [`DecodeNullable`] when `T` is an `Option` (NULL reads as `None`), and to [`DecodeRequired`]
/// otherwise (NULL is [`Error::Decode`] on every backend, never SQLite's `""` or `0`).
#[doc(hidden)]
pub struct FieldDecoder<T>(PhantomData<fn() -> T>);

impl<T> FieldDecoder<T> {
    /// The decoder of a field of type `T`.
    pub const fn new() -> Self {
        FieldDecoder(PhantomData)
    }
}

impl<T> Default for FieldDecoder<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for FieldDecoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for FieldDecoder<T> {}

/// Decodes an `Option` field: NULL is `None`. See [`FieldDecoder`].
#[doc(hidden)]
pub trait DecodeNullable {
    /// The field's type.
    type Value;

    /// Decodes column `index` of `row` for `model.column`.
    ///
    /// # Errors
    /// [`Error::Decode`] naming the model and column.
    fn decode_field<DB: Backend>(
        self,
        row: &DB::Row,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<Self::Value>
    where
        Self::Value: Column<DB>;
}

impl<U: 'static> DecodeNullable for &FieldDecoder<Option<U>> {
    type Value = Option<U>;

    fn decode_field<DB: Backend>(
        self,
        row: &DB::Row,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<Option<U>>
    where
        Self::Value: Column<DB>,
    {
        DB::get_optional::<Option<U>>(row, index)
            .map(Option::flatten)
            .map_err(|source| Error::Decode {
                model,
                column,
                source,
            })
    }
}

/// Decodes a field of any other type: NULL is an error. See [`FieldDecoder`].
#[doc(hidden)]
pub trait DecodeRequired {
    /// The field's type.
    type Value;

    /// Decodes column `index` of `row` for `model.column`.
    ///
    /// # Errors
    /// [`Error::Decode`] naming the model and column, also when the value is NULL.
    fn decode_field<DB: Backend>(
        self,
        row: &DB::Row,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<Self::Value>
    where
        Self::Value: Column<DB>;
}

impl<T> DecodeRequired for FieldDecoder<T> {
    type Value = T;

    fn decode_field<DB: Backend>(
        self,
        row: &DB::Row,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<T>
    where
        Self::Value: Column<DB>,
    {
        decode_column::<DB, T>(row, index, model, column)
    }
}
