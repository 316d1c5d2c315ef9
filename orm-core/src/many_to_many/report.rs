//! `SyncReport`: exactly what a sync changed, computed from the typed diff.

/// What a `sync` (or `toggle`) did, per related key, computed from the diff of the pivot rows
/// before the call and the input, never from affected-row counts.
///
/// ```
/// use orm_core::SyncReport;
/// let report = SyncReport { attached: vec![3], detached: vec![1], updated: vec![], unchanged: vec![2] };
/// assert!(report.has_changes());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport<K> {
    /// Keys whose pivot rows were inserted, in input order.
    pub attached: Vec<K>,
    /// Keys whose pivot rows were deleted.
    pub detached: Vec<K>,
    /// Keys whose pivot data differed and was written, in input order.
    pub updated: Vec<K>,
    /// Keys that were attached already and left as they were, in input order.
    pub unchanged: Vec<K>,
}

impl<K> Default for SyncReport<K> {
    fn default() -> Self {
        SyncReport {
            attached: Vec::new(),
            detached: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
        }
    }
}

impl<K> SyncReport<K> {
    /// Whether anything was attached, detached or updated.
    pub fn has_changes(&self) -> bool {
        !(self.attached.is_empty() && self.detached.is_empty() && self.updated.is_empty())
    }
}
