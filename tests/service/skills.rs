//! `PUT /users/{id}/skills`, `POST` and `DELETE /users/{id}/skills/{skill}` over HTTP: the sync
//! report, attach and detach, and their 404, 422 and 400 answers.

use super::*;

use reqwest::StatusCode;
use serde_json::json;

/// `(id, proficiency)` as `skills_of` returns it.
fn skill(id: i64, level: Option<&str>) -> (i64, Option<String>) {
    (id, level.map(str::to_owned))
}

crate::backend_tests! {
    async fn put_skills_answers_the_sync_report(pool) {
        let service = start(&pool).await?;
        let first = json!({"skills": [
            1,
            {"id": 2, "proficiency": "master"},
            {"id": 3, "proficiency": "expert"},
        ]});
        let (status, report) = service.put("/users/1/skills", &first).await?;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(
            report,
            json!({"attached": [1, 2, 3], "detached": [], "updated": [], "unchanged": []})
        );

        let second = json!({"skills": [1, {"id": 2, "proficiency": "expert"}, {"id": 4}]});
        let (status, report) = service.put("/users/1/skills", &second).await?;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(
            report,
            json!({"attached": [4], "detached": [3], "updated": [2], "unchanged": [1]})
        );
        // Name order: Go (4), Rust (1), SQL (2).
        assert_eq!(
            skills_of(&service, 1).await?,
            [skill(4, None), skill(1, None), skill(2, Some("expert"))]
        );

        let (_, report) = service.put("/users/1/skills", &second).await?;
        assert_eq!(
            report,
            json!({"attached": [], "detached": [], "updated": [], "unchanged": [1, 2, 4]})
        );
        let (status, report) = service
            .put("/users/1/skills", &json!({"skills": []}))
            .await?;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(report["detached"], json!([1, 2, 4]));
        assert_eq!(skills_of(&service, 1).await?, []);
        assert_eq!(
            skills_of(&service, 2).await?,
            [],
            "another user's skills are never touched"
        );
        service.stop().await
    }

    async fn post_and_delete_attach_and_detach_one_skill(pool) {
        let service = start(&pool).await?;
        let (status, body) = service
            .post("/users/2/skills/5?proficiency=master", None)
            .await?;
        assert_eq!(
            (status, body),
            (StatusCode::CREATED, json!({"attached": [5]}))
        );
        let (status, body) = service.post("/users/2/skills/5", None).await?;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"attached": []})),
            "already attached"
        );
        assert_eq!(skills_of(&service, 2).await?, [skill(5, Some("master"))]);

        let (status, body) = service.delete("/users/2/skills/5").await?;
        assert_eq!(
            (status, body),
            (StatusCode::NO_CONTENT, serde_json::Value::Null)
        );
        let (status, body) = service.delete("/users/2/skills/5").await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            body,
            json!({"error": "User with id = 2 has no skill with id = 5"})
        );
        assert_eq!(skills_of(&service, 2).await?, []);
        service.stop().await
    }

    async fn skill_routes_answer_404_422_and_400(pool) {
        let service = start(&pool).await?;
        // An unknown user: 404 on every route.
        let body = json!({"skills": [1]});
        for (status, answer) in [
            service.put("/users/99/skills", &body).await?,
            service.post("/users/99/skills/1", None).await?,
            service.delete("/users/99/skills/1").await?,
        ] {
            assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
            assert_eq!(answer, json!({"error": "User with id = 99 was not found"}));
        }

        // Skills that do not exist: 422 naming them, and nothing written.
        service
            .put("/users/1/skills", &json!({"skills": [1]}))
            .await?;
        let (status, answer) = service
            .put(
                "/users/1/skills",
                &json!({"skills": [1, 2, 99, {"id": 98}]}),
            )
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["missing_ids"], json!([98, 99]));
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("cannot sync User.skills: Skill.id = "),
            "{message}"
        );
        assert_eq!(skills_of(&service, 1).await?, [skill(1, None)]);
        let (status, answer) = service.post("/users/1/skills/77", None).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["missing_ids"], json!([77]));

        // Bad input: 400 with a message, never a 5xx.
        let client = service.client();
        let not_json = client
            .put(service.url("/users/1/skills"))
            .header("content-type", "application/json")
            .body("{\"skills\": [1,")
            .send()
            .await?;
        assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
        for (status, answer) in [
            service.put("/users/abc/skills", &body).await?,
            service
                .put("/users/1/skills", &json!({"skills": "all"}))
                .await?,
            service
                .put(
                    "/users/1/skills",
                    &json!({"skills": [{"proficiency": "master"}]}),
                )
                .await?,
            service.put("/users/1/skills", &json!([1, 2])).await?,
            // A field the body does not have (a proficiency for every skill) is refused, not
            // silently dropped.
            service
                .put(
                    "/users/1/skills",
                    &json!({"skills": [1, 2], "proficiency": "master"}),
                )
                .await?,
            service
                .send(reqwest::Method::PUT, "/users/1/skills", None)
                .await?,
            service.post("/users/1/skills/rust", None).await?,
            service.delete("/users/1/skills/-").await?,
        ] {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
            assert!(
                answer["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{answer}"
            );
        }
        assert_eq!(skills_of(&service, 1).await?, [skill(1, None)]);
        service.stop().await
    }
}
