//! Sync and its relatives: sync (four entry points, one body), toggle, update_pivot.

use super::super::diff::{SyncInput, dedupe, dedupe_rows};
use super::super::explain;
use super::super::ops;
use super::super::report::SyncReport;
use super::ManyToManyHandle;
use crate::error::Result;
use crate::executor::{Executor, atomically};
use crate::relation::many_to_many::ManyToManyOn;

impl<R: super::ManyToManyRelation> ManyToManyHandle<'_, R> {
    async fn run_sync<E>(
        &self,
        exec: E,
        input: SyncInput<R::RelatedKey, R::Pivot>,
        detaching: bool,
        operation: &'static str,
    ) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
    {
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let keys = input.keys();
        let input = &input;
        let result = atomically!(E::Backend, &mut conn, |tx| {
            ops::sync::<R, E::Backend>(tx, parent, input.clone(), detaching).await
        });
        self.explained::<_, E::Backend>(result, &mut conn, operation, &keys)
            .await
    }

    /// Makes this parent's related set exactly `ids`: attaches the missing, detaches the rest,
    /// leaves pivot data alone. Returns the exact report. At most one SELECT, one DELETE and one
    /// INSERT in one transaction; a sync that changes nothing is the SELECT alone. `sync([])`
    /// detaches everything.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64, Pivot: PartialEq> {
    /// let report = skills.sync(&pool, [2, 3, 4]).await?;
    /// println!("attached {:?}, detached {:?}", report.attached, report.detached);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::ForeignKeyViolation`](crate::Error::ForeignKeyViolation) naming missing keys; the
    /// pivot table is then as before.
    pub async fn sync<E, I>(&self, exec: E, ids: I) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        self.run_sync(exec, SyncInput::Keys(dedupe(ids)), true, "sync")
            .await
    }

    /// Sync with pivot data: also updates the rows whose typed data differs (and their
    /// `updated_at`); equal rows are not written. At most 4 statements in one transaction.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool, beginner: R::Pivot, master: R::Pivot) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64, Pivot: PartialEq> {
    /// skills.sync_with(&pool, [(2, beginner), (3, master)]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`ManyToManyHandle::sync`].
    pub async fn sync_with<E, I>(&self, exec: E, rows: I) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
        I: IntoIterator<Item = (R::RelatedKey, R::Pivot)>,
    {
        self.run_sync(exec, SyncInput::Rows(dedupe_rows(rows)), true, "sync")
            .await
    }

    /// Sync that never detaches (Lucid's `sync(ids, false)`): attaches the missing keys.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::sync`].
    pub async fn sync_without_detaching<E, I>(
        &self,
        exec: E,
        ids: I,
    ) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        self.run_sync(exec, SyncInput::Keys(dedupe(ids)), false, "sync")
            .await
    }

    /// [`ManyToManyHandle::sync_with`] that never detaches: attaches the missing keys and updates
    /// the pivot data that differs.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::sync`].
    pub async fn sync_with_without_detaching<E, I>(
        &self,
        exec: E,
        rows: I,
    ) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
        I: IntoIterator<Item = (R::RelatedKey, R::Pivot)>,
    {
        self.run_sync(exec, SyncInput::Rows(dedupe_rows(rows)), false, "sync")
            .await
    }

    /// Attaches the keys that are absent and detaches those present (Eloquent's `toggle`).
    /// Returns the report (`attached`, `detached`). Atomic.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::sync`].
    pub async fn toggle<E, I>(&self, exec: E, ids: I) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        let keys = dedupe(ids);
        if keys.is_empty() {
            return Ok(SyncReport::default());
        }
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let keys_ref = &keys;
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            let present =
                ops::existing::<R, E::Backend>(&mut *tx, parent, false, Some(keys_ref)).await?;
            let present: std::collections::HashSet<R::RelatedKey> =
                present.into_iter().map(|(k, _)| k).collect();
            let (detach, attach): (Vec<_>, Vec<_>) =
                keys_ref.iter().cloned().partition(|k| present.contains(k));
            ops::detach::<R, E::Backend>(&mut *tx, parent, Some(&detach)).await?;
            let attached = ops::attach_keys::<R, E::Backend>(&mut *tx, parent, &attach).await?;
            Ok(SyncReport {
                attached,
                detached: detach,
                ..SyncReport::default()
            })
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "toggle", &keys)
            .await
    }

    /// Updates the pivot data of one attached row (and its `updated_at`). Returns whether this
    /// parent has that row. One statement.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool, expert: R::Pivot) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64> {
    /// // expert: the pivot data, e.g. Proficiency { proficiency: Some("expert".into()) }
    /// skills.update_pivot(&pool, 3, expert).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A database error naming the relation.
    pub async fn update_pivot<E>(&self, exec: E, id: R::RelatedKey, data: R::Pivot) -> Result<bool>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut conn = exec.acquire().await?;
        let parent = self.parent_key();
        let present = ops::existing::<R, E::Backend>(
            &mut conn,
            parent,
            false,
            Some(std::slice::from_ref(&id)),
        )
        .await;
        let result = match present {
            Ok(rows) if rows.is_empty() => return Ok(false),
            Ok(_) => ops::update_rows::<R, E::Backend>(&mut conn, parent, &[(&id, &data)]).await,
            Err(err) => Err(err),
        };
        match result {
            Ok(()) => Ok(true),
            Err(err) => Err(explain::explain::<R, E::Backend>(
                self.parent_key(),
                err,
                &mut conn,
                "update pivot of",
                &[id],
            )
            .await),
        }
    }
}
