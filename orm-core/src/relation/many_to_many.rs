//! What a `#[many_to_many]` attribute says, as plain data, and the trait the derive implements
//! for each relation.

use super::{ManyToMany, Relation, kind};
use crate::backend::Backend;
use crate::model::ModelRow;
use crate::pivot::{PivotData, PivotRow};
use crate::value::{Column, Key};

/// The tables and columns of a many-to-many relation, resolved from the attribute and Lucid's
/// defaults.
#[derive(Debug, Clone)]
pub struct ManyToManyMeta {
    /// The parent model's name: `User`.
    pub parent: &'static str,
    /// The relation field: `skills`.
    pub relation: &'static str,
    /// The pivot table: `skill_user`.
    pub pivot_table: String,
    /// The parent's column the pivot points at: `id`.
    pub local_key: String,
    /// The related table: `skills`.
    pub related_table: &'static str,
    /// The related model's column the pivot points at: `id`.
    pub related_key: String,
    /// The pivot column pointing at the parent: `user_id`.
    pub pivot_foreign_key: String,
    /// The pivot column pointing at the related row: `skill_id`.
    pub pivot_related_foreign_key: String,
    /// The pivot's creation timestamp column, when pivot timestamps are on.
    pub created_at: Option<String>,
    /// The pivot's update timestamp column, when pivot timestamps are on.
    pub updated_at: Option<String>,
    /// `pivot_<pivot_foreign_key>` and `pivot_<pivot_related_foreign_key>`: the names of the
    /// extras every related row carries. Filled by [`ManyToManyMeta::with_extra_names`].
    #[doc(hidden)]
    pub key_extra_names: Vec<String>,
}

impl ManyToManyMeta {
    /// Fills the derived names. Used by generated code.
    #[doc(hidden)]
    pub fn with_extra_names(mut self) -> Self {
        self.key_extra_names = vec![
            format!("pivot_{}", self.pivot_foreign_key),
            format!("pivot_{}", self.pivot_related_foreign_key),
        ];
        self
    }
}

/// A many-to-many relation, implemented by `#[derive(Model)]` for the unit struct that
/// `User::skills()` returns.
///
/// ```
/// # use orm_core::ManyToManyRelation;
/// fn pivot_of<R: ManyToManyRelation>(_: R) -> String { R::meta().pivot_table.clone() }
/// ```
pub trait ManyToManyRelation: Relation<Kind = kind::Pivot> {
    /// The pivot's typed extra columns (`()` for none).
    type Pivot: PivotData;
    /// The type of the parent's local key column.
    type LocalKey: Key;
    /// The type of the related model's key column.
    type RelatedKey: Key;

    /// The relation's tables and columns.
    fn meta() -> &'static ManyToManyMeta;

    /// The parent's local key value.
    fn local_key(parent: &Self::Parent) -> &Self::LocalKey;

    /// The related model's key value.
    fn related_key(related: &Self::Related) -> &Self::RelatedKey;

    /// The relation field on the parent.
    fn field(parent: &mut Self::Parent) -> &mut ManyToMany<Self::Related, Self::Pivot>;
}

/// A many-to-many relation whose keys, pivot data and related model all work on backend `DB`.
/// Implemented for every such relation; used as the bound of the handle's operations.
pub trait ManyToManyOn<DB: Backend>:
    ManyToManyRelation<
        LocalKey: Column<DB>,
        RelatedKey: Column<DB>,
        Pivot: PivotRow<DB>,
        Related: ModelRow<DB>,
    >
{
}

impl<DB, R> ManyToManyOn<DB> for R
where
    DB: Backend,
    R: ManyToManyRelation,
    R::LocalKey: Column<DB>,
    R::RelatedKey: Column<DB>,
    R::Pivot: PivotRow<DB>,
    R::Related: ModelRow<DB>,
{
}
