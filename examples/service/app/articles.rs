//! `POST /articles`: an article and its categories in one request-scoped transaction (the
//! NestJS seed): both are written, or neither.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use orm::prelude::*;
use orm::{ManyToManyOn, ModelRow};
use serde::{Deserialize, Serialize};
use sqlx::Pool;

use super::errors::{ApiError, missing_ids};
use super::extract::{Body, Tx};
use super::models::{Article, ArticleCategoriesRelation, Category, NewArticle};

/// The body of `POST /articles`.
#[derive(Debug, Deserialize)]
pub struct NewArticleBody {
    /// The title, not blank.
    pub title: String,
    /// The text.
    #[serde(default)]
    pub body: String,
    /// The ids of its categories, which must exist.
    #[serde(default)]
    pub categories: Vec<i64>,
}

/// An article as JSON, with its categories.
#[derive(Debug, Serialize)]
pub struct ArticleView {
    /// The key.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The text.
    pub body: String,
    /// Its categories, by name.
    pub categories: Vec<CategoryView>,
}

/// A category as JSON.
#[derive(Debug, Serialize)]
pub struct CategoryView {
    /// The key.
    pub id: i64,
    /// The name.
    pub name: String,
}

/// `POST /articles`: 201 with the article and its categories. A category that does not exist
/// is a 422 naming it, and the article is not created (the transaction is rolled back); a blank
/// title or a body that is not an article is a 400.
pub async fn create<DB>(
    State(pool): State<Pool<DB>>,
    mut tx: Tx<DB>,
    Body(new): Body<NewArticleBody>,
) -> Result<(StatusCode, Json<ArticleView>), ApiError>
where
    DB: orm::Backend,
    Article: ModelRow<DB>,
    Category: ModelRow<DB>,
    ArticleCategoriesRelation: ManyToManyOn<DB>,
{
    if new.title.trim().is_empty() {
        return Err(ApiError::BadRequest("an article needs a title".into()));
    }
    let article = Article::create(
        &mut tx.0,
        NewArticle {
            title: new.title,
            body: new.body,
        },
    )
    .await?;
    let categories = article.related(Article::categories());
    if let Err(err) = categories
        .attach(&mut tx.0, new.categories.iter().copied())
        .await
    {
        // Ends the transaction before reading which categories are missing on the pool.
        let _ = tx.0.rollback().await;
        return Err(missing_ids::<Category, DB>(&pool, &new.categories, err).await);
    }
    let attached = categories
        .query()
        .order_by(Category::FIELDS.name, Order::Asc)
        .fetch_all(&mut tx.0)
        .await?;
    tx.commit().await?;
    let categories = attached
        .iter()
        .map(|category| CategoryView {
            id: category.id,
            name: category.name.clone(),
        })
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(ArticleView {
            id: article.id,
            title: article.title,
            body: article.body,
            categories,
        }),
    ))
}
