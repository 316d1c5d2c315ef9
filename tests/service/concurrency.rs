//! 50 concurrent `PUT /users/1/skills`, each with its own set: the user ends with exactly one
//! request's set, no request fails, and the reports add up as if the syncs ran one at a time
//! (each saw the set the one before it left).

use super::*;

use std::collections::{BTreeMap, BTreeSet};

use app::models::NewSkill;
use orm::Model;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// How many concurrent requests.
const REQUESTS: i64 = 50;

/// The set of request `i`: 10 consecutive skills from `i % 20 + 1`, each with proficiency
/// `p<i>`, so that no two requests ask for the same set and a mix of two shows.
fn set(i: i64) -> Vec<(i64, Option<String>)> {
    let first = i % 20 + 1;
    (first..first + 10)
        .map(|id| (id, Some(format!("p{i}"))))
        .collect()
}

/// The ids of a report's list.
fn keys(report: &Value, list: &str) -> Vec<i64> {
    report[list]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

crate::backend_tests! {
    async fn concurrent_puts_leave_exactly_one_requests_set(pool) {
        let service = start(&pool).await?;
        Skill::insert_many(
            &pool,
            (6..=30).map(|i| NewSkill {
                name: format!("skill{i:02}"),
            }),
        )
        .await?;
        // A first set no request asks for.
        service
            .put("/users/1/skills", &json!({"skills": [30]}))
            .await?;

        let tasks: Vec<_> = (0..REQUESTS)
            .map(|i| {
                let (client, url) = (service.client(), service.url("/users/1/skills"));
                let rows: Vec<Value> = set(i)
                    .into_iter()
                    .map(|(id, p)| json!({"id": id, "proficiency": p}))
                    .collect();
                let body = json!({ "skills": rows });
                tokio::spawn(
                    async move { http::send(&client, &url, Method::PUT, Some(&body)).await },
                )
            })
            .collect();
        let mut reports = Vec::new();
        for task in tasks {
            let (status, report) = task.await??;
            assert!(!status.is_server_error(), "{status}: {report}");
            assert_eq!(status, StatusCode::OK, "{report}");
            reports.push(report);
        }

        let mut last = skills_of(&service, 1).await?;
        last.sort();
        let winners: Vec<i64> = (0..REQUESTS).filter(|&i| set(i) == last).collect();
        assert_eq!(
            winners.len(),
            1,
            "the user's skills are no request's set: {last:?}"
        );

        // Serial syncs: for each skill, (attached in the first set) + (times reported attached)
        // - (times reported detached) is 1 if it is attached at the end, else 0. Two syncs that
        // read the same state would both report the same attach.
        let mut balance: BTreeMap<i64, i64> = BTreeMap::from([(30, 1)]);
        for report in &reports {
            for id in keys(report, "attached") {
                *balance.entry(id).or_default() += 1;
            }
            for id in keys(report, "detached") {
                *balance.entry(id).or_default() -= 1;
            }
        }
        let attached: BTreeSet<i64> = last.iter().map(|(id, _)| *id).collect();
        for (id, count) in balance {
            assert_eq!(
                count,
                i64::from(attached.contains(&id)),
                "skill {id}: the reports do not add up"
            );
        }

        // Each sync saw the set the one before it left: the sets the reports found
        // (unchanged + updated + detached) are the first set and every request's set but the
        // last one's, each once. A sync that read a stale set repeats one and misses another.
        let mut seen: Vec<BTreeSet<i64>> = reports
            .iter()
            .map(|r| {
                ["unchanged", "updated", "detached"]
                    .iter()
                    .flat_map(|list| keys(r, list))
                    .collect()
            })
            .collect();
        let mut left: Vec<BTreeSet<i64>> = (0..REQUESTS)
            .filter(|&i| i != winners[0])
            .map(|i| set(i).into_iter().map(|(id, _)| id).collect())
            .chain([BTreeSet::from([30])])
            .collect();
        seen.sort();
        left.sort();
        assert_eq!(
            seen, left,
            "the syncs did not each see the set of the one before"
        );
        service.stop().await
    }
}
