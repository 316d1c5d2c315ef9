//! Writes of related models through the relation: save (update, then attach if absent) and
//! create (insert, then attach), atomically.

use super::super::diff::{SyncInput, dedupe};
use super::super::ops;
use super::super::report::SyncReport;
use super::ManyToManyHandle;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{Executor, atomically};
use crate::model::ModelSchema;
use crate::relation::many_to_many::ManyToManyOn;

/// A related model to insert, and the pivot data to attach it with (if any).
type NewRelated<R> = (
    <<R as crate::relation::Relation>::Related as ModelSchema>::New,
    Option<<R as super::ManyToManyRelation>::Pivot>,
);

impl<R: super::ManyToManyRelation> ManyToManyHandle<'_, R> {
    /// Saves an existing related model (writes its columns), then attaches it if it is not
    /// attached yet, atomically. Saving again never attaches twice.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # struct Skill { name: String }
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool, mut skill: R::Related) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, Pivot: PartialEq, Related: std::ops::DerefMut<Target = Skill>> {
    /// skill.name = "Rust 2024".into();
    /// skills.save(&pool, &mut skill).await?;
    /// # Ok(()) }
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
        let key = R::related_key(related).clone();
        let input = SyncInput::Rows(vec![(key, data)]);
        self.run_save(exec, std::slice::from_ref(related), input)
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
        let keys = dedupe(related.iter().map(|m| R::related_key(m).clone()));
        self.run_save(exec, related, SyncInput::Keys(keys)).await
    }

    /// The body of the saves: update each related model, then attach what is not attached
    /// (a sync that never detaches), atomically.
    async fn run_save<E>(
        &self,
        exec: E,
        related: &[R::Related],
        input: SyncInput<R::RelatedKey, R::Pivot>,
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
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            for model in related {
                crud::update_on::<R::Related, E::Backend>(&mut *tx, model).await?;
            }
            ops::sync::<R, E::Backend>(&mut *tx, parent, input.clone(), false).await
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "save", &keys)
            .await
    }

    /// Inserts a related model, then attaches it, atomically. Returns the created model.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Model, Result};
    /// # struct NewSkill { name: String }
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, Related: Model<New = NewSkill>> {
    /// let rust = skills.create(&pool, NewSkill { name: "Rust".into() }).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A database error; nothing is inserted then.
    pub async fn create<E>(
        &self,
        exec: E,
        new: <R::Related as ModelSchema>::New,
    ) -> Result<R::Related>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut created = self.create_many(exec, vec![new]).await?;
        created.pop().ok_or(Error::NoRows {
            model: <R::Related as ModelSchema>::META.name,
        })
    }

    /// Inserts a related model and attaches it with pivot data, atomically.
    ///
    /// # Errors
    /// As [`ManyToManyHandle::create`].
    pub async fn create_with<E>(
        &self,
        exec: E,
        new: <R::Related as ModelSchema>::New,
        data: R::Pivot,
    ) -> Result<R::Related>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut created = self.create_many_with(exec, vec![(new, data)]).await?;
        created.pop().ok_or(Error::NoRows {
            model: <R::Related as ModelSchema>::META.name,
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
        I: IntoIterator<Item = <R::Related as ModelSchema>::New>,
    {
        self.run_create(exec, new.into_iter().map(|row| (row, None)).collect())
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
        I: IntoIterator<Item = (<R::Related as ModelSchema>::New, R::Pivot)>,
    {
        self.run_create(
            exec,
            new.into_iter()
                .map(|(row, data)| (row, Some(data)))
                .collect(),
        )
        .await
    }

    /// The body of the creates: lock the parent, insert each related model, attach them (with
    /// their pivot data where given), atomically and without retry.
    async fn run_create<E>(&self, exec: E, rows: Vec<NewRelated<R>>) -> Result<Vec<R::Related>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let mut rows = Some(rows);
        let result = atomically!(E::Backend, &mut conn, retry = false, |tx| async {
            let rows = rows.take().unwrap_or_default();
            ops::lock_parent::<R, E::Backend>(&mut *tx, parent).await?;
            let mut created = Vec::with_capacity(rows.len());
            let (mut keys, mut pivot_rows) = (Vec::new(), Vec::new());
            for (row, data) in rows {
                let model = crud::create_on::<R::Related, E::Backend>(&mut *tx, row).await?;
                let key = R::related_key(&model).clone();
                match data {
                    Some(data) => pivot_rows.push((key, data)),
                    None => keys.push(key),
                }
                created.push(model);
            }
            ops::attach_keys::<R, E::Backend>(&mut *tx, parent, &keys).await?;
            if !pivot_rows.is_empty() {
                ops::attach_rows::<R, E::Backend>(&mut *tx, parent, &pivot_rows).await?;
            }
            Ok(created)
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "create", &[])
            .await
    }
}
