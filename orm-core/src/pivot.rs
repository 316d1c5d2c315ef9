//! Typed pivot data (`#[derive(PivotData)]`) and related rows carrying it (`Pivoted`).

use std::ops::{Deref, DerefMut};

use crate::backend::Backend;
use crate::error::Result;
use crate::extras::Extras;
use crate::sql::{RowWriter, Sql};

/// The extra columns of a pivot table, as a struct. Implemented by `#[derive(PivotData)]`, and by
/// `()` for a pivot with no extra columns.
///
/// ```
/// use orm_core::PivotData;
/// assert!(<() as PivotData>::COLUMNS.is_empty());
/// ```
pub trait PivotData: Clone + Send + Sync + 'static {
    /// The pivot columns, in field order.
    const COLUMNS: &'static [&'static str];
}

/// How pivot data is read from and written to backend `DB`. Implemented by
/// `#[derive(PivotData)]` for each backend that can encode and decode its field types.
pub trait PivotRow<DB: Backend>: PivotData {
    /// Decodes the pivot data from `row`, starting at column `offset`.
    ///
    /// # Errors
    /// [`crate::Error::Decode`] naming the column.
    fn decode(row: &DB::Row, offset: usize) -> Result<Self>;

    /// Whether every field has a raw reader (see [`crate::ModelRow::raw_readable`]).
    #[doc(hidden)]
    fn raw_readable() -> bool {
        false
    }

    /// Decodes the pivot data from a row of the raw path; called only when
    /// [`PivotRow::raw_readable`].
    ///
    /// # Errors
    /// [`crate::Error::Decode`] naming the column.
    #[doc(hidden)]
    fn decode_raw(row: &crate::execute::raw::RawRow<'_>, offset: usize) -> Result<Self> {
        let _ = (row, offset);
        Err(crate::raw_decode::no_raw_reader("pivot data", "*"))
    }

    /// Writes the values of [`PivotData::COLUMNS`].
    fn write(&self, row: &mut RowWriter<'_, DB>);

    /// Binds the value of column `index` of [`PivotData::COLUMNS`].
    fn write_column(&self, index: usize, sql: &mut Sql<DB>);
}

impl PivotData for () {
    const COLUMNS: &'static [&'static str] = &[];
}

impl<DB: Backend> PivotRow<DB> for () {
    fn decode(_: &DB::Row, _: usize) -> Result<Self> {
        Ok(())
    }

    fn raw_readable() -> bool {
        true
    }

    fn decode_raw(_: &crate::execute::raw::RawRow<'_>, _: usize) -> Result<Self> {
        Ok(())
    }

    fn write(&self, _: &mut RowWriter<'_, DB>) {}

    fn write_column(&self, _: usize, _: &mut Sql<DB>) {}
}

/// A related model read through a pivot table, with the pivot row's typed data.
///
/// Derefs to the model, so `skill.name` works; `skill.pivot()` is the pivot data.
///
/// ```
/// use orm_core::Pivoted;
/// let row = Pivoted::new(String::from("Rust"), 3_u8);
/// assert_eq!(row.len(), 4);
/// assert_eq!(*row.pivot(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pivoted<M, P = ()> {
    model: M,
    pivot: P,
    extras: Extras,
}

impl<M, P> Pivoted<M, P> {
    /// Pairs a model with its pivot data.
    pub fn new(model: M, pivot: P) -> Self {
        Pivoted {
            model,
            pivot,
            extras: Extras::default(),
        }
    }

    /// Pairs a model with its pivot data and extra pivot columns.
    pub fn with_extras(model: M, pivot: P, extras: Extras) -> Self {
        Pivoted {
            model,
            pivot,
            extras,
        }
    }

    /// The extras, mutably. Used by preload to share each parent's names and key.
    pub(crate) fn extras_mut(&mut self) -> &mut Extras {
        &mut self.extras
    }

    /// The pivot columns read with the row: `pivot_<foreign key>`, `pivot_<related foreign key>`
    /// and any `pivot_columns([...])`, as `pivot_<column>` (Lucid's `$extras`).
    pub fn extras(&self) -> &Extras {
        &self.extras
    }

    /// The pivot row's typed data.
    pub fn pivot(&self) -> &P {
        &self.pivot
    }

    /// The related model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model and the pivot data, apart.
    pub fn into_parts(self) -> (M, P) {
        (self.model, self.pivot)
    }

    /// The related model, mutably (nested preloads fill its relations).
    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }
}

impl<M, P> Deref for Pivoted<M, P> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M, P> DerefMut for Pivoted<M, P> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.model
    }
}
