//! `GET /users` over HTTP: skills preloaded with a pivot filter and their pivot data and
//! `pivot_created_at`, pagination, sorting, and the 400s of a bad query.

use super::*;

use app::models::NewUser;
use orm::Model;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The `id`s of a page's users.
fn ids(page: &Value) -> Vec<i64> {
    page["data"]
        .as_array()
        .map(|users| users.iter().filter_map(|u| u["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The skill names of user `id` in a page.
fn names(page: &Value, id: i64) -> Vec<String> {
    page["data"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["id"] == id))
        .and_then(|user| user["skills"].as_array())
        .map(|skills| {
            skills
                .iter()
                .filter_map(|s| s["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

crate::backend_tests! {
    async fn get_users_preloads_filters_and_paginates(pool) {
        let service = start(&pool).await?;
        // 25 users in all: virk (1), romain (2), user03 ..= user25.
        User::insert_many(
            &pool,
            (3..=25).map(|i| NewUser {
                username: format!("user{i:02}"),
                email: None,
            }),
        )
        .await?;
        let virk = json!({"skills": [
            {"id": 1, "proficiency": "master"},
            {"id": 2, "proficiency": "beginner"},
            {"id": 5, "proficiency": "master"},
        ]});
        service.put("/users/1/skills", &virk).await?;
        service
            .put(
                "/users/12/skills",
                &json!({"skills": [{"id": 3, "proficiency": "master"}, 4]}),
            )
            .await?;

        let (status, page) = service
            .get("/users?with=skills&proficiency=master&page=2&per_page=10")
            .await?;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            (
                &page["page"],
                &page["per_page"],
                &page["total"],
                &page["last_page"]
            ),
            (&json!(2), &json!(10), &json!(25), &json!(3))
        );
        assert_eq!(ids(&page), (11..=20).collect::<Vec<_>>());
        let user12 = page["data"]
            .as_array()
            .and_then(|users| users.iter().find(|u| u["id"] == 12))
            .ok_or("user 12")?;
        let skills = user12["skills"].as_array().ok_or("skills")?;
        assert_eq!(skills.len(), 1, "only the master skill: {user12}");
        assert_eq!(
            (&skills[0]["id"], &skills[0]["name"], &skills[0]["pivot"]),
            (
                &json!(3),
                &json!("TypeScript"),
                &json!({"proficiency": "master"})
            )
        );
        let created = skills[0]["pivot_created_at"]
            .as_str()
            .ok_or("pivot_created_at")?;
        chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%dT%H:%M:%S%.f")
            .map_err(|e| format!("pivot_created_at {created}: {e}"))?;
        assert!(
            page["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|u| u["id"] != 12)
                .all(|u| u["skills"] == json!([]))
        );

        // Page 1: virk's master skills, by name; without the filter, all three.
        let (_, page) = service
            .get("/users?with=skills&proficiency=master&per_page=10")
            .await?;
        assert_eq!(ids(&page), (1..=10).collect::<Vec<_>>());
        assert_eq!(names(&page, 1), ["Rust", "Zig"]);
        let (_, page) = service.get("/users?with=skills&per_page=1").await?;
        assert_eq!(names(&page, 1), ["Rust", "SQL", "Zig"]);
        let skills = page["data"][0]["skills"].as_array().ok_or("skills")?;
        assert!(
            skills
                .iter()
                .all(|s| s["pivot_created_at"] == skills[0]["pivot_created_at"]),
            "one sync, one created_at: {page}"
        );
        assert_eq!(skills[1]["pivot"], json!({"proficiency": "beginner"}));

        // Without `with`, no skills; sorting by a column, descending; the last, partial page.
        let (_, page) = service.get("/users?per_page=2").await?;
        assert_eq!(
            page["data"][0],
            json!({"id": 1, "username": "virk", "email": "virk@example.com"})
        );
        let (_, page) = service.get("/users?sort=-username&per_page=2").await?;
        assert_eq!(ids(&page), [1, 25], "virk, then user25");
        let (_, page) = service.get("/users?page=3&per_page=10").await?;
        assert_eq!(ids(&page), (21..=25).collect::<Vec<_>>());
        let (status, page) = service.get("/users?page=9").await?;
        assert_eq!(
            (status, ids(&page).len(), &page["total"]),
            (StatusCode::OK, 0, &json!(25))
        );
        service.stop().await
    }

    async fn bad_user_queries_are_400(pool) {
        let service = start(&pool).await?;
        let (status, answer) = service.get("/users?sort=usrname").await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            answer,
            json!({
                "error": "unknown column `usrname` on User, expected one of: id, username, email_address"
            })
        );
        for query in [
            "with=posts",
            "with=skills,posts",
            "proficiency=master",
            "page=0",
            "page=-1",
            "page=x",
            "per_page=0",
            "per_page=1000",
            "with=skills&sort=-",
        ] {
            let (status, answer) = service.get(&format!("/users?{query}")).await?;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {answer}");
            assert!(
                answer["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{query}: {answer}"
            );
        }
        service.stop().await
    }
}
