//! `user.related(User::skills())`: the handle that writes a parent's pivot rows.

use super::meta::{ManyToManyOn, ManyToManyRelation};
use super::ops::{self, SyncInput, dedupe, dedupe_rows};
use super::report::SyncReport;
use crate::backend::Backend;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{Executor, atomically};
use crate::model::Model;

/// The many-to-many operations of one parent, from `parent.related(Parent::relation())`.
///
/// Every write is scoped to this parent's key. `sync`, `toggle`, `save` and `create` are atomic:
/// they run in their own transaction, or in a savepoint inside the caller's transaction, leaving
/// commit to the caller.
///
/// ```ignore
/// let skills = user.related(User::skills());
/// skills.attach(&pool, [1, 2]).await?;
/// let report = skills.sync(&pool, [2, 3]).await?;
/// assert_eq!(report.detached, [1]);
/// ```
pub struct ManyToManyHandle<'p, R: ManyToManyRelation> {
    parent: &'p R::Parent,
}

impl<'p, R: ManyToManyRelation> ManyToManyHandle<'p, R> {
    /// The handle of `parent`'s relation `R`. Generated code calls it through `Model::related`.
    #[doc(hidden)]
    pub fn new(parent: &'p R::Parent) -> Self {
        ManyToManyHandle { parent }
    }

    /// A query on this parent's related rows, joined with the pivot: `Pivoted<Related, Pivot>`.
    ///
    /// ```ignore
    /// let n = user.related(User::skills()).query().where_pivot("proficiency", "master").count(&pool).await?;
    /// ```
    pub fn query<DB: Backend>(&self) -> super::query::RelatedQuery<R, DB> {
        super::query::RelatedQuery::new(self.parent_key().clone())
    }

    /// This parent's pivot rows as data (no join), with `update` and `delete` scoped to the
    /// parent.
    ///
    /// ```ignore
    /// skills.pivot_query().where_pivot("proficiency", "beginner").update(&pool, expert).await?;
    /// ```
    pub fn pivot_query<DB: Backend>(&self) -> super::pivot_query::PivotQuery<R, DB> {
        super::pivot_query::PivotQuery::new(self.parent_key().clone())
    }

    fn parent_key(&self) -> &'p R::LocalKey {
        R::local_key(self.parent)
    }

    /// `result`, its error explained by [`ManyToManyHandle::explain`].
    async fn explained<T, DB: Backend>(
        &self,
        result: Result<T>,
        conn: &mut DB::Connection,
        operation: &'static str,
        keys: &[R::RelatedKey],
    ) -> Result<T>
    where
        R: ManyToManyOn<DB>,
    {
        match result {
            Ok(value) => Ok(value),
            Err(err) => Err(self.explain::<DB>(err, conn, operation, keys).await),
        }
    }

    /// Turns a driver error into one that names the relation, and a foreign-key violation into
    /// [`Error::ForeignKeyViolation`] naming the keys that do not exist.
    async fn explain<DB: Backend>(
        &self,
        err: Error,
        conn: &mut DB::Connection,
        operation: &'static str,
        keys: &[R::RelatedKey],
    ) -> Error
    where
        R: ManyToManyOn<DB>,
    {
        let meta = R::meta();
        match err {
            Error::ConnectionLost { context, source } => Error::ConnectionLost {
                context: format!(
                    "cannot {operation} {}.{} (pivot `{}`): {context}",
                    meta.parent, meta.relation, meta.pivot_table
                ),
                source,
            },
            Error::Database { context, source } => {
                let foreign_key = source
                    .as_database_error()
                    .is_some_and(|e| e.is_foreign_key_violation());
                if !foreign_key {
                    return Error::Database {
                        context: format!(
                            "cannot {operation} {}.{} (pivot `{}`): {context}",
                            meta.parent, meta.relation, meta.pivot_table
                        ),
                        source,
                    };
                }
                let detail = match ops::missing_related::<R, DB>(conn, keys).await {
                    Some(missing) if !missing.is_empty() => {
                        format!(
                            "{}.{} = {}",
                            <R::Related as Model>::META.name,
                            meta.related_key,
                            preview(&missing)
                        )
                    }
                    _ => format!(
                        "{}.{} = {}",
                        meta.parent,
                        meta.local_key,
                        one_key(self.parent_key())
                    ),
                };
                Error::ForeignKeyViolation {
                    model: meta.parent,
                    relation: meta.relation,
                    operation,
                    detail,
                    source,
                }
            }
            other => other,
        }
    }

    /// Attaches the related rows with these keys; keys already attached are skipped (their pivot
    /// data untouched) and duplicates in the input collapse. Returns the keys actually attached.
    /// One INSERT, after locking the parent's row on PostgreSQL and MySQL so that concurrent
    /// writers of one parent take turns (never a duplicate, with or without a unique key on the
    /// pivot); nothing for an empty input.
    ///
    /// ```ignore
    /// let attached = user.related(User::skills()).attach(&pool, [1, 2]).await?;
    /// ```
    ///
    /// # Errors
    /// [`Error::ForeignKeyViolation`] naming the keys that do not exist; nothing is attached then.
    pub async fn attach<E, I>(&self, exec: E, ids: I) -> Result<Vec<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        let keys = dedupe(ids);
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            ops::lock_parent::<R, E::Backend>(&mut *tx, parent).await?;
            ops::attach_keys::<R, E::Backend>(&mut *tx, parent, &keys).await
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "attach", &keys)
            .await
    }

    /// Attaches with pivot data: `[(key, data), ...]`. Keys already attached are skipped.
    /// One INSERT per chunk of rows the bind limit allows, after the parent's lock (as `attach`).
    ///
    /// ```ignore
    /// skills.attach_with(&pool, [(3, Proficiency { proficiency: Some("master".into()) })]).await?;
    /// ```
    ///
    /// # Errors
    /// As [`ManyToManyHandle::attach`].
    pub async fn attach_with<E, I>(&self, exec: E, rows: I) -> Result<Vec<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = (R::RelatedKey, R::Pivot)>,
    {
        let rows = dedupe_rows(rows);
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            ops::lock_parent::<R, E::Backend>(&mut *tx, parent).await?;
            ops::attach_rows::<R, E::Backend>(&mut *tx, parent, &rows).await
        }
        .await);
        match result {
            Ok(attached) => Ok(attached),
            Err(err) => {
                let keys: Vec<_> = rows.into_iter().map(|(k, _)| k).collect();
                Err(self
                    .explain::<E::Backend>(err, &mut conn, "attach", &keys)
                    .await)
            }
        }
    }

    /// Detaches the related rows with these keys from this parent; returns how many pivot rows
    /// were deleted. An empty input deletes nothing. One statement (inside your transaction,
    /// after locking the parent's row on PostgreSQL and MySQL).
    ///
    /// ```ignore
    /// let removed = skills.detach(&pool, [2]).await?;
    /// ```
    ///
    /// # Errors
    /// A database error naming the relation.
    pub async fn detach<E, I>(&self, exec: E, ids: I) -> Result<u64>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        let keys = dedupe(ids);
        if keys.is_empty() {
            return Ok(0);
        }
        let mut conn = exec.acquire().await?;
        let result =
            ops::detach_as_writer::<R, E::Backend>(&mut conn, self.parent_key(), Some(&keys)).await;
        self.explained::<_, E::Backend>(result, &mut conn, "detach", &keys)
            .await
    }

    /// Detaches every related row from this parent (other parents' rows are untouched); returns
    /// how many pivot rows were deleted. One statement, as [`ManyToManyHandle::detach`].
    ///
    /// # Errors
    /// A database error naming the relation.
    pub async fn detach_all<E>(&self, exec: E) -> Result<u64>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut conn = exec.acquire().await?;
        let result =
            ops::detach_as_writer::<R, E::Backend>(&mut conn, self.parent_key(), None).await;
        self.explained::<_, E::Backend>(result, &mut conn, "detach", &[])
            .await
    }

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
        let keys: Vec<R::RelatedKey> = match &input {
            SyncInput::Keys(keys) => keys.clone(),
            SyncInput::Rows(rows) => rows.iter().map(|(k, _)| k.clone()).collect(),
        };
        let input = &input;
        let result = atomically!(E::Backend, &mut conn, |tx| {
            let again = match input {
                SyncInput::Keys(keys) => SyncInput::Keys(keys.clone()),
                SyncInput::Rows(rows) => SyncInput::Rows(rows.clone()),
            };
            ops::sync::<R, E::Backend>(tx, parent, again, detaching).await
        });
        self.explained::<_, E::Backend>(result, &mut conn, operation, &keys)
            .await
    }

    /// Makes this parent's related set exactly `ids`: attaches the missing, detaches the rest,
    /// leaves pivot data alone. Returns the exact report. At most one SELECT, one DELETE and one
    /// INSERT in one transaction; a sync that changes nothing is the SELECT alone. `sync([])`
    /// detaches everything.
    ///
    /// ```ignore
    /// let report = skills.sync(&pool, [2, 3, 4]).await?;
    /// println!("attached {:?}, detached {:?}", report.attached, report.detached);
    /// ```
    ///
    /// # Errors
    /// [`Error::ForeignKeyViolation`] naming missing keys; the pivot table is then as before.
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
    /// ```ignore
    /// skills.sync_with(&pool, [(2, beginner), (3, master)]).await?;
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
    /// ```ignore
    /// skills.update_pivot(&pool, 3, Proficiency { proficiency: Some("expert".into()) }).await?;
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
            Err(err) => Err(self
                .explain::<E::Backend>(err, &mut conn, "update pivot of", &[id])
                .await),
        }
    }

    /// Saves an existing related model (writes its columns), then attaches it if it is not
    /// attached yet, atomically. Saving again never attaches twice.
    ///
    /// ```ignore
    /// skill.name = "Rust 2024".into();
    /// skills.save(&pool, &mut skill).await?;
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`] if the related row does not exist; nothing is written then.
    pub async fn save<E>(
        &self,
        exec: E,
        related: &mut R::Related,
    ) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
    {
        self.save_many(exec, std::slice::from_mut(related)).await
    }

    /// [`ManyToManyHandle::save`], also setting the pivot data (updated if it differs).
    ///
    /// # Errors
    /// As [`ManyToManyHandle::save`].
    pub async fn save_with<E>(
        &self,
        exec: E,
        related: &mut R::Related,
        data: R::Pivot,
    ) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
    {
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let related = &*related;
        let data = &data;
        let key = R::related_key(related).clone();
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            crud::update_on::<R::Related, E::Backend>(&mut *tx, related).await?;
            let rows = SyncInput::Rows(vec![(key.clone(), data.clone())]);
            ops::sync::<R, E::Backend>(&mut *tx, parent, rows, false).await
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "save", std::slice::from_ref(&key))
            .await
    }

    /// [`ManyToManyHandle::save`] for several related models, atomically.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::save`].
    pub async fn save_many<E>(
        &self,
        exec: E,
        related: &mut [R::Related],
    ) -> Result<SyncReport<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        R::Pivot: PartialEq,
    {
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let related = &*related;
        let keys = dedupe(related.iter().map(|m| R::related_key(m).clone()));
        let keys_ref = &keys;
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            for model in related {
                crud::update_on::<R::Related, E::Backend>(&mut *tx, model).await?;
            }
            let keys = SyncInput::Keys(keys_ref.clone());
            ops::sync::<R, E::Backend>(&mut *tx, parent, keys, false).await
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "save", &keys)
            .await
    }

    /// Inserts a related model, then attaches it, atomically. Returns the created model.
    ///
    /// ```ignore
    /// let rust = skills.create(&pool, NewSkill { name: "Rust".into() }).await?;
    /// ```
    ///
    /// # Errors
    /// A database error; nothing is inserted then.
    pub async fn create<E>(&self, exec: E, new: <R::Related as Model>::New) -> Result<R::Related>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut created = self.create_many(exec, vec![new]).await?;
        created.pop().ok_or(Error::NoRows {
            model: <R::Related as Model>::META.name,
        })
    }

    /// Inserts a related model and attaches it with pivot data, atomically.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::create`].
    pub async fn create_with<E>(
        &self,
        exec: E,
        new: <R::Related as Model>::New,
        data: R::Pivot,
    ) -> Result<R::Related>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut created = self.create_many_with(exec, vec![(new, data)]).await?;
        created.pop().ok_or(Error::NoRows {
            model: <R::Related as Model>::META.name,
        })
    }

    /// Inserts several related models, then attaches them all, atomically. Unlike the other
    /// writes it is not run again after a deadlock (the new rows move into the result): such an
    /// error is [`Error::is_retryable`], for you to call again.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::create`].
    pub async fn create_many<E, I>(&self, exec: E, new: I) -> Result<Vec<R::Related>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = <R::Related as Model>::New>,
    {
        let parent = self.parent_key();
        let new: Vec<_> = new.into_iter().collect();
        let mut conn = exec.acquire().await?;
        let mut new = Some(new);
        let result = atomically!(E::Backend, &mut conn, retry = false, |tx| async {
            let rows = new.take().unwrap_or_default();
            ops::lock_parent::<R, E::Backend>(&mut *tx, parent).await?;
            let mut created = Vec::with_capacity(rows.len());
            for row in rows {
                created.push(crud::create_on::<R::Related, E::Backend>(&mut *tx, row).await?);
            }
            let keys: Vec<_> = created.iter().map(|m| R::related_key(m).clone()).collect();
            ops::attach_keys::<R, E::Backend>(&mut *tx, parent, &keys).await?;
            Ok(created)
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "create", &[])
            .await
    }

    /// Inserts several related models and attaches each with its pivot data, atomically.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::create`].
    pub async fn create_many_with<E, I>(&self, exec: E, new: I) -> Result<Vec<R::Related>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = (<R::Related as Model>::New, R::Pivot)>,
    {
        let parent = self.parent_key();
        let new: Vec<_> = new.into_iter().collect();
        let mut conn = exec.acquire().await?;
        let mut new = Some(new);
        let result = atomically!(E::Backend, &mut conn, retry = false, |tx| async {
            let rows = new.take().unwrap_or_default();
            ops::lock_parent::<R, E::Backend>(&mut *tx, parent).await?;
            let mut created = Vec::with_capacity(rows.len());
            let mut pivot_rows = Vec::with_capacity(rows.len());
            for (row, data) in rows {
                let model = crud::create_on::<R::Related, E::Backend>(&mut *tx, row).await?;
                pivot_rows.push((R::related_key(&model).clone(), data));
                created.push(model);
            }
            ops::attach_rows::<R, E::Backend>(&mut *tx, parent, &pivot_rows).await?;
            Ok(created)
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "create", &[])
            .await
    }
}

/// At most ten keys, each cut to a readable length, for error messages about long lists.
fn preview<K: std::fmt::Debug>(keys: &[K]) -> String {
    let shown: Vec<String> = keys.iter().take(10).map(one_key).collect();
    let list = format!("[{}]", shown.join(", "));
    if keys.len() <= 10 {
        list
    } else {
        format!("{list} and {} more", keys.len() - 10)
    }
}

/// One key as `Debug` shows it, cut to a readable length.
fn one_key<K: std::fmt::Debug>(key: &K) -> String {
    crate::error::shown::shown(&format!("{key:?}")).to_string()
}
