//! `paginate`: one page of rows and the total, on every query.

use super::Query;
use crate::backend::Backend;
use crate::error::Result;
use crate::executor::Executor;
use crate::model::{ModelRow, ModelSchema};

/// One page of rows and the total across all pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows of this page.
    pub rows: Vec<T>,
    /// How many rows there are in all.
    pub total: i64,
    /// This page's number, from 1.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

impl<T> Page<T> {
    /// The number of the last page (1 when there are no rows): `ceil(total / per_page)`.
    ///
    /// ```
    /// let page = orm_core::Page { rows: vec![1, 2], total: 5, page: 1, per_page: 2 };
    /// assert_eq!((page.last_page(), page.has_more()), (3, true));
    /// ```
    pub fn last_page(&self) -> u64 {
        let total = u64::try_from(self.total).unwrap_or(0);
        total.div_ceil(self.per_page.max(1)).max(1)
    }

    /// Whether a page comes after this one.
    pub fn has_more(&self) -> bool {
        self.page < self.last_page()
    }
}

impl<M: ModelSchema, DB: Backend> Query<M, DB> {
    /// Page `page` (from 1) of `per_page` rows, with the total: two statements on one
    /// connection (the count, then the page).
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow, Order};
    /// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let page = User::query().order_by("id", Order::Asc).paginate(&pool, 2, 20).await?;
    /// println!("{} of {} users", page.rows.len(), page.total);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn paginate<E>(mut self, exec: E, page: u64, per_page: u64) -> Result<Page<M>>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.checked()?;
        let page = page.max(1);
        let mut conn = exec.acquire_read().await?;
        crate::execute::pinned_together!(DB, &mut conn, true, |conn| {
            async {
                let total = self.count_on(&mut *conn).await?;
                let rows = self
                    .limit(per_page)
                    .offset((page - 1).saturating_mul(per_page));
                let sql = rows.select_sql();
                let rows = rows.fetch_on(&mut *conn, sql).await?;
                Ok(Page {
                    rows,
                    total,
                    page,
                    per_page,
                })
            }
            .await
        })
    }
}
