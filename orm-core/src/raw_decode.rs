//! How generated code reads a field from a row of SQLite's raw read path
//! ([`crate::execute::raw`]): through the ORM's own [`RawColumn`] readers where the field's type
//! has one, chosen by type at compile time; a model with any other field type reads through sqlx.

use crate::error::{Error, Result};
use crate::execute::raw::{RawColumn, RawRow};
use crate::model::FieldDecoder;

/// A field type with a raw reader. Whether a field of type `T` has one is chosen by its type
/// (autoref specialization),
/// on the same [`FieldDecoder`] the sqlx path uses: `(&FieldDecoder::<T>::new()).raw_readable()`
/// resolves to [`RawReadable`] when `T: RawColumn`, and to [`RawUnreadable`] otherwise. Used by
/// generated code.
///
/// ```
/// use orm_core::__private::{FieldDecoder, RawReadable as _, RawUnreadable as _};
///
/// struct OwnType;
/// assert!((&FieldDecoder::<Option<i64>>::new()).raw_readable());
/// assert!(!(&FieldDecoder::<OwnType>::new()).raw_readable());
/// ```
#[doc(hidden)]
pub trait RawReadable {
    /// The field's type.
    type Value;

    /// True: the field reads on the raw path.
    fn raw_readable(self) -> bool;

    /// Reads column `index` of `row` for `model.column`.
    ///
    /// # Errors
    /// [`Error::Decode`] naming the model and column (NULL in a non-`Option` field included).
    fn read_field(
        self,
        row: &RawRow<'_>,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<Self::Value>;
}

impl<T: RawColumn> RawReadable for &FieldDecoder<T> {
    type Value = T;

    fn raw_readable(self) -> bool {
        true
    }

    fn read_field(
        self,
        row: &RawRow<'_>,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<T> {
        T::read_raw(row, index).map_err(|source| Error::Decode {
            model,
            column,
            source,
        })
    }
}

/// A field type without a raw reader: its model reads through sqlx.
#[doc(hidden)]
pub trait RawUnreadable {
    /// The field's type.
    type Value;

    /// False: the field's model reads through sqlx.
    fn raw_readable(self) -> bool;

    /// Never called (the model is not [`raw_readable`](RawUnreadable::raw_readable)).
    ///
    /// # Errors
    /// Always [`Error::Decode`].
    fn read_field(
        self,
        row: &RawRow<'_>,
        index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<Self::Value>;
}

impl<T> RawUnreadable for FieldDecoder<T> {
    type Value = T;

    fn raw_readable(self) -> bool {
        false
    }

    fn read_field(
        self,
        _row: &RawRow<'_>,
        _index: usize,
        model: &'static str,
        column: &'static str,
    ) -> Result<T> {
        Err(no_raw_reader(model, column))
    }
}

/// The error of a raw read of a type without a raw reader. The read paths check
/// `raw_readable` first, so this error is never expected.
pub(crate) fn no_raw_reader(model: &'static str, column: &'static str) -> Error {
    Error::Decode {
        model,
        column,
        source: sqlx::Error::InvalidArgument(format!(
            "no raw reader for this column's type (`{model}.{column}`)"
        )),
    }
}
