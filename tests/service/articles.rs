//! `POST /articles` over HTTP: an article and its categories in one transaction, rolled back
//! on a missing category; and a database failure answered as a 500 that shows no SQL.

use super::*;

use orm::Model;
use reqwest::StatusCode;
use serde_json::json;

crate::backend_tests! {
    async fn post_articles_creates_an_article_with_its_categories(pool) {
        let service = start(&pool).await?;
        let new =
            json!({"title": "A typed ORM", "body": "Pivots done right.", "categories": [3, 1]});
        let (status, article) = service.post("/articles", Some(&new)).await?;
        assert_eq!(status, StatusCode::CREATED, "{article}");
        let id = article["id"].as_i64().ok_or("no id")?;
        assert_eq!(
            article,
            json!({"id": id, "title": "A typed ORM", "body": "Pivots done right.",
                   "categories": [{"id": 1, "name": "Databases"}, {"id": 3, "name": "Rust"}]})
        );
        let stored = Article::find_or_fail(&pool, id).await?;
        assert_eq!(
            stored
                .related(Article::categories())
                .query()
                .count(&pool)
                .await?,
            2
        );

        let (status, article) = service
            .post("/articles", Some(&json!({"title": "No categories"})))
            .await?;
        assert_eq!(
            (status, &article["categories"]),
            (StatusCode::CREATED, &json!([]))
        );
        service.stop().await
    }

    async fn a_missing_category_is_422_and_rolls_the_article_back(pool) {
        let service = start(&pool).await?;
        let broken = json!({"title": "Broken", "categories": [4, 999, 998]});
        let (status, answer) = service.post("/articles", Some(&broken)).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["missing_ids"], json!([998, 999]));
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("cannot attach Article.categories: Category.id = "),
            "{message}"
        );
        assert_eq!(
            Article::query().count(&pool).await?,
            0,
            "the article was rolled back"
        );
        let pivot_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM article_category")
            .fetch_one(&pool)
            .await?;
        assert_eq!(pivot_rows, 0);

        for body in [
            json!({"title": "  ", "categories": [1]}),
            json!({"body": "no title"}),
            json!({"title": "x", "categories": "all"}),
        ] {
            let (status, answer) = service.post("/articles", Some(&body)).await?;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        }
        let (status, answer) = service.post("/articles", None).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "no body: {answer}");
        assert_eq!(Article::query().count(&pool).await?, 0);

        // The failed transactions left the pool usable.
        let (status, article) = service
            .post(
                "/articles",
                Some(&json!({"title": "Fine", "categories": [4]})),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{article}");
        service.stop().await
    }

    async fn a_database_failure_is_500_without_sql(pool) {
        let service = start(&pool).await?;
        service
            .put("/users/1/skills", &json!({"skills": [1]}))
            .await?;
        sqlx::raw_sql("DROP TABLE skill_user")
            .execute(&pool)
            .await?;
        let internal = json!({"error": "internal server error"});
        for (status, answer) in [
            service.get("/users?with=skills").await?,
            service
                .put("/users/1/skills", &json!({"skills": [2]}))
                .await?,
            service.post("/users/1/skills/2", None).await?,
            service.delete("/users/1/skills/1").await?,
        ] {
            assert_eq!(
                (status, answer),
                (StatusCode::INTERNAL_SERVER_ERROR, internal.clone())
            );
        }
        let (status, _) = service.get("/users").await?;
        assert_eq!(
            status,
            StatusCode::OK,
            "the routes that do not read the pivot still work"
        );
        service.stop().await
    }
}
