//! A user's skills: `PUT /users/{id}/skills` (sync), `POST` and `DELETE /users/{id}/skills/{skill}`
//! (attach, detach). Each runs on the pool, in the ORM's own transaction: it locks the user's row
//! first, so concurrent requests for one user take turns, and retries deadlocks itself.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use orm::prelude::*;
use orm::{ManyToManyOn, ModelRow};
use serde::{Deserialize, Serialize};
use sqlx::Pool;

use super::errors::{ApiError, missing_ids};
use super::extract::{Body, Params, QueryString};
use super::models::{Proficiency, Skill, User, UserSkillsRelation};

/// One skill of a sync: its id alone (`3`), or with a proficiency
/// (`{"id": 3, "proficiency": "master"}`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum SkillInput {
    /// The id, with no proficiency.
    Id(i64),
    /// The id and its optional proficiency.
    With {
        /// The skill's id.
        id: i64,
        /// The proficiency stored on the pivot row.
        #[serde(default)]
        proficiency: Option<String>,
    },
}

/// The body of `PUT /users/{id}/skills`: the user's whole new set of skills.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncBody {
    /// The skills, each once.
    pub skills: Vec<SkillInput>,
}

/// `SyncReport` as JSON: what the sync changed, per skill id.
#[derive(Debug, Serialize)]
pub struct SyncReportBody {
    /// Skills newly attached.
    pub attached: Vec<i64>,
    /// Skills removed.
    pub detached: Vec<i64>,
    /// Skills kept whose proficiency changed.
    pub updated: Vec<i64>,
    /// Skills kept as they were.
    pub unchanged: Vec<i64>,
}

/// The optional query of `POST /users/{id}/skills/{skill}`: `?proficiency=expert`.
#[derive(Debug, Deserialize)]
pub struct AttachQuery {
    /// The proficiency of a new pivot row (an existing row is left as it is).
    pub proficiency: Option<String>,
}

/// The answer of an attach: the ids actually attached (none when it was already there).
#[derive(Debug, Serialize)]
pub struct AttachBody {
    /// The skills attached by this request.
    pub attached: Vec<i64>,
}

/// `PUT /users/{id}/skills`: makes the user's skills exactly the body's (`sync_with`), and
/// answers the `SyncReport`. 404 for an unknown user, 422 naming the skill ids that do not exist
/// (nothing is written then), 400 for a body that is not a list of skills.
pub async fn sync<DB>(
    State(pool): State<Pool<DB>>,
    Params(id): Params<i64>,
    Body(body): Body<SyncBody>,
) -> Result<Json<SyncReportBody>, ApiError>
where
    DB: orm::Backend,
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    UserSkillsRelation: ManyToManyOn<DB>,
{
    let user = User::find_or_fail(&pool, id).await?;
    let rows: Vec<(i64, Proficiency)> = body
        .skills
        .into_iter()
        .map(|skill| match skill {
            SkillInput::Id(id) => (id, Proficiency { proficiency: None }),
            SkillInput::With { id, proficiency } => (id, Proficiency { proficiency }),
        })
        .collect();
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let report = match user.related(User::skills()).sync_with(&pool, rows).await {
        Ok(report) => report,
        Err(err) => return Err(missing_ids::<Skill, DB>(&pool, &ids, err).await),
    };
    Ok(Json(SyncReportBody {
        attached: report.attached,
        detached: report.detached,
        updated: report.updated,
        unchanged: report.unchanged,
    }))
}

/// `POST /users/{id}/skills/{skill}`: attaches one skill, with `?proficiency=` if given.
/// 201 when attached, 200 when it already was; 404 for an unknown user, 422 for an unknown skill.
pub async fn attach<DB>(
    State(pool): State<Pool<DB>>,
    Params((id, skill)): Params<(i64, i64)>,
    QueryString(query): QueryString<AttachQuery>,
) -> Result<(StatusCode, Json<AttachBody>), ApiError>
where
    DB: orm::Backend,
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    UserSkillsRelation: ManyToManyOn<DB>,
{
    let user = User::find_or_fail(&pool, id).await?;
    let data = Proficiency {
        proficiency: query.proficiency,
    };
    let attached = match user
        .related(User::skills())
        .attach_with(&pool, [(skill, data)])
        .await
    {
        Ok(attached) => attached,
        Err(err) => return Err(missing_ids::<Skill, DB>(&pool, &[skill], err).await),
    };
    let status = if attached.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(AttachBody { attached })))
}

/// `DELETE /users/{id}/skills/{skill}`: detaches one skill. 204 when it was removed, 404 when the
/// user is unknown or does not have it.
pub async fn detach<DB>(
    State(pool): State<Pool<DB>>,
    Params((id, skill)): Params<(i64, i64)>,
) -> Result<StatusCode, ApiError>
where
    DB: orm::Backend,
    User: ModelRow<DB>,
    UserSkillsRelation: ManyToManyOn<DB>,
{
    let user = User::find_or_fail(&pool, id).await?;
    match user.related(User::skills()).detach(&pool, [skill]).await? {
        0 => Err(ApiError::NotFound(format!(
            "User with id = {id} has no skill with id = {skill}"
        ))),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}
