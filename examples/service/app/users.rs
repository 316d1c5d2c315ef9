//! `GET /users?with=skills&proficiency=master&sort=-username&page=2&per_page=20`: one page of
//! users, each with its skills preloaded (one statement for the page), filtered on the pivot's
//! proficiency, each skill with its pivot data and `pivot_created_at`.

use axum::Json;
use axum::extract::State;
use orm::prelude::*;
use orm::{ManyToManyOn, ModelRow, Pivoted};
use serde::{Deserialize, Serialize};
use sqlx::Pool;

use super::errors::ApiError;
use super::extract::QueryString;
use super::models::{Proficiency, Skill, User, UserSkillsRelation};

/// The most users one page may hold.
pub const MAX_PER_PAGE: u64 = 100;

/// The query string of `GET /users`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// Relations to preload, comma separated: only `skills`.
    pub with: Option<String>,
    /// Keeps only the preloaded skills of this proficiency (needs `with=skills`).
    pub proficiency: Option<String>,
    /// The page, from 1 (default 1).
    pub page: Option<u64>,
    /// Users per page, 1 to [`MAX_PER_PAGE`] (default 20).
    pub per_page: Option<u64>,
    /// A column of `users` to sort by, `-` first for descending (default `id`); the key breaks
    /// ties.
    pub sort: Option<String>,
}

/// One page of users.
#[derive(Debug, Serialize)]
pub struct UserPage {
    /// The users of this page.
    pub data: Vec<UserView>,
    /// This page's number.
    pub page: u64,
    /// Users per page.
    pub per_page: u64,
    /// Users in all.
    pub total: i64,
    /// The number of the last page.
    pub last_page: u64,
}

/// A user as JSON; `skills` only when preloaded.
#[derive(Debug, Serialize)]
pub struct UserView {
    /// The key.
    pub id: i64,
    /// The login name.
    pub username: String,
    /// The address, if any.
    pub email: Option<String>,
    /// The skills, with `with=skills`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillView>>,
}

/// A skill of a user, with what its pivot row holds.
#[derive(Debug, Serialize)]
pub struct SkillView {
    /// The skill's key.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The pivot data: `{"proficiency": ...}`.
    pub pivot: PivotView,
    /// When the skill was attached (the pivot's `created_at`), as `YYYY-MM-DDTHH:MM:SS.ffffff`.
    pub pivot_created_at: String,
}

/// The pivot data of one skill.
#[derive(Debug, Serialize)]
pub struct PivotView {
    /// The proficiency, if any.
    pub proficiency: Option<String>,
}

/// `GET /users`. 400 for an unknown relation in `with`, `proficiency` without `with=skills`, a
/// page or page size out of range, or a `sort` that is not a column (the ORM's
/// `UnknownColumn`, listing the columns).
pub async fn list<DB>(
    State(pool): State<Pool<DB>>,
    QueryString(query): QueryString<ListQuery>,
) -> Result<Json<UserPage>, ApiError>
where
    DB: orm::Backend,
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    UserSkillsRelation: ManyToManyOn<DB>,
    String: orm::Bind<DB>,
{
    let with_skills = wants_skills(query.with.as_deref())?;
    if query.proficiency.is_some() && !with_skills {
        return Err(ApiError::BadRequest(
            "proficiency filters the preloaded skills: add with=skills".into(),
        ));
    }
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(20);
    if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::BadRequest(format!(
            "page starts at 1 and per_page is 1 to {MAX_PER_PAGE}"
        )));
    }
    let sort = query.sort.unwrap_or_else(|| "id".into());
    let (column, order) = match sort.strip_prefix('-') {
        Some(column) => (column.to_owned(), Order::Desc),
        None => (sort, Order::Asc),
    };
    let mut users = User::query()
        .order_by(column, order)
        .order_by(User::FIELDS.id, Order::Asc);
    if with_skills {
        let proficiency = query.proficiency;
        users = users.preload_with(User::skills(), move |q| {
            let q = q
                .pivot_columns(["created_at"])
                .order_by(Skill::FIELDS.name, Order::Asc);
            match proficiency {
                Some(level) => q.where_pivot(Proficiency::FIELDS.proficiency, level),
                None => q,
            }
        });
    }
    let found = users.paginate(&pool, page, per_page).await?;
    let last_page = found.last_page();
    let data = found
        .rows
        .iter()
        .map(|user| user_view(user, with_skills))
        .collect::<orm::Result<_>>()?;
    Ok(Json(UserPage {
        data,
        page: found.page,
        per_page: found.per_page,
        total: found.total,
        last_page,
    }))
}

/// Whether `with` asks for the skills: `None`, `""` or `skills`; anything else is a 400.
fn wants_skills(with: Option<&str>) -> Result<bool, ApiError> {
    let mut skills = false;
    for relation in with.unwrap_or_default().split(',').map(str::trim) {
        match relation {
            "" => {}
            "skills" => skills = true,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "unknown relation `{other}` in with, expected: skills"
                )));
            }
        }
    }
    Ok(skills)
}

/// A user as JSON, with its preloaded skills when `with_skills`.
fn user_view(user: &User, with_skills: bool) -> orm::Result<UserView> {
    let skills = if with_skills {
        Some(
            user.skills
                .get()?
                .iter()
                .map(skill_view)
                .collect::<orm::Result<_>>()?,
        )
    } else {
        None
    };
    Ok(UserView {
        id: user.id,
        username: user.username.clone(),
        email: user.email.clone(),
        skills,
    })
}

/// A preloaded skill as JSON: its pivot data and when it was attached.
fn skill_view(skill: &Pivoted<Skill, Proficiency>) -> orm::Result<SkillView> {
    let created: chrono::NaiveDateTime = skill.extras().get("pivot_created_at")?;
    Ok(SkillView {
        id: skill.id,
        name: skill.name.clone(),
        pivot: PivotView {
            proficiency: skill.pivot().proficiency.clone(),
        },
        pivot_created_at: created.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
    })
}
