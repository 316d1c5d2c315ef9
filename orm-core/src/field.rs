//! Typed fields: `User::FIELDS.email` names a column of `User` whose Rust type is
//! `Option<String>`, so that the compiler checks which model a filter's column belongs to,
//! that the value compared with it has a fitting type, and that only a nullable column is
//! tested for NULL. Strings stay accepted wherever a field is, checked at run time.
//!
//! ```
//! use orm_core::Field;
//! struct User;
//! const EMAIL: Field<User, Option<String>> = Field::new("email_address");
//! assert_eq!(EMAIL.column(), "email_address");
//! ```

use std::fmt;
use std::marker::PhantomData;

/// A column of model (or pivot data) `M` whose field has the Rust type `T`. Emitted by the
/// derives as `Model::FIELDS.<field>`, named by the Rust field and holding the column's name.
pub struct Field<M, T> {
    column: &'static str,
    types: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Field<M, T> {
    /// The field of the column called `column`. Used by generated code.
    pub const fn new(column: &'static str) -> Self {
        Field {
            column,
            types: PhantomData,
        }
    }

    /// The column's name.
    pub const fn column(&self) -> &'static str {
        self.column
    }
}

impl<M, T> Clone for Field<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Field<M, T> {}

impl<M, T> fmt::Debug for Field<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.column)
    }
}

/// A value of type `Self` may be compared with a column whose field is a `T`: the same type,
/// `T` for an `Option<T>` field, `&str` for a `String` field.
///
/// ```
/// fn fits<V: orm_core::Compatible<T>, T>(_: V) {}
/// fits::<_, Option<String>>("virk");
/// fits::<_, i64>(7);
/// ```
#[diagnostic::on_unimplemented(
    message = "a `{Self}` cannot be compared with a column of type `{T}`",
    label = "the value's type does not fit the column",
    note = "a column of type `T` takes a `T`, an `Option<T>` column takes a `T` too, and a `String` column takes a `&str`"
)]
pub trait Compatible<T> {}

#[diagnostic::do_not_recommend]
impl<T> Compatible<T> for T {}
#[diagnostic::do_not_recommend]
impl<T> Compatible<Option<T>> for T {}
#[diagnostic::do_not_recommend]
impl Compatible<String> for &str {}
#[diagnostic::do_not_recommend]
impl Compatible<Option<String>> for &str {}

/// What names a column of model `M`: a typed [`Field`] of `M` (checked by the compiler), or a
/// string, `&str` or `String` (checked when the query runs: the escape hatch).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{M}`",
    label = "a field of another model, or not a column",
    note = "use a field of the model this query reads, `{M}::FIELDS.<field>`, or the column's name as a string"
)]
pub trait ColumnName<M> {
    /// The column's name.
    fn column_name(&self) -> &str;
}

impl<M> ColumnName<M> for &str {
    fn column_name(&self) -> &str {
        self
    }
}

impl<M> ColumnName<M> for String {
    fn column_name(&self) -> &str {
        self
    }
}

impl<M> ColumnName<M> for &String {
    fn column_name(&self) -> &str {
        self
    }
}

impl<M, T> ColumnName<M> for Field<M, T> {
    fn column_name(&self) -> &str {
        self.column
    }
}

/// A column of model `M` that a value of type `V` may be compared with: a [`Field`] whose type
/// `V` is [`Compatible`] with, or a string (any value).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{M}` that this value can be compared with",
    label = "a field of another model, or a value of the wrong type",
    note = "a column of type `T` takes a `T`, an `Option<T>` column takes a `T` too, and a `String` column takes a `&str`"
)]
pub trait ColumnFor<M, V>: ColumnName<M> {}

impl<M, V> ColumnFor<M, V> for &str {}
impl<M, V> ColumnFor<M, V> for String {}
impl<M, V> ColumnFor<M, V> for &String {}
impl<M, T, V: Compatible<T>> ColumnFor<M, V> for Field<M, T> {}

/// A column of model `M` that may hold NULL: a [`Field`] of an `Option` type, or a string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a nullable column of `{M}`",
    label = "only an `Option` field can be NULL",
    note = "`where_null` / `is_null` take a field of an `Option` type"
)]
pub trait NullableColumn<M>: ColumnName<M> {}

impl<M> NullableColumn<M> for &str {}
impl<M> NullableColumn<M> for String {}
impl<M> NullableColumn<M> for &String {}
impl<M, T> NullableColumn<M> for Field<M, Option<T>> {}
