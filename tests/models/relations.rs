//! The relation scenarios of the Drizzle relations docs, renamed to keep clear of the
//! many-to-many tables: people (users) with an inviter, a profile, articles (posts) with
//! remarks (comments), messages with a sender and a receiver, a category tree, and teams
//! (groups) through `person_team`.

use orm::prelude::*;
use orm::schema::{ModelTable, Schema};

/// Creates the scenarios' tables from these models (`orm::schema`): people, profile_info,
/// articles, remarks, messages, categories, teams and the pivot person_team, each belongs_to a
/// foreign key. (The many-to-many fixture is `create_fixture` in `models/mod.rs`.)
pub async fn create_tables<E>(exec: E) -> orm::Result<()>
where
    E: orm::Executor,
    Person: ModelTable<E::Backend>,
    ProfileInfo: ModelTable<E::Backend>,
    Article: ModelTable<E::Backend>,
    Remark: ModelTable<E::Backend>,
    Message: ModelTable<E::Backend>,
    Category: ModelTable<E::Backend>,
    Team: ModelTable<E::Backend>,
{
    Schema::<E::Backend>::new()
        .model::<Person>()
        .model::<ProfileInfo>()
        .model::<Article>()
        .model::<Remark>()
        .model::<Message>()
        .model::<Category>()
        .model::<Team>()
        .create_all(exec)
        .await
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "people")]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub invited_by: Option<i64>,

    /// A self-reference through a nullable key.
    #[belongs_to(foreign_key = "invited_by")]
    pub inviter: BelongsTo<Self>,
    #[has_many(foreign_key = "invited_by")]
    pub invitees: HasMany<Self>,
    /// has_one to itself: the loaded value is boxed.
    #[has_one(foreign_key = "invited_by")]
    pub first_invitee: HasOne<Self>,
    /// Default foreign key: `person_id`.
    #[has_one]
    pub profile: HasOne<ProfileInfo>,
    #[has_many(foreign_key = "author_id")]
    pub articles: HasMany<Article>,
    /// Two relations to one table, told apart by their keys.
    #[has_many(foreign_key = "sender_id")]
    pub sent: HasMany<Message>,
    #[has_many(foreign_key = "receiver_id")]
    pub received: HasMany<Message>,
    /// Default pivot `person_team`.
    #[many_to_many]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "profile_info")]
pub struct ProfileInfo {
    pub id: i64,
    pub person_id: i64,
    pub metadata: Option<String>,
    /// Default foreign key: `person_id` (snake_case(Person) + `_` + its primary key).
    #[belongs_to]
    pub person: BelongsTo<Person>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Article {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    pub published: bool,
    #[belongs_to(foreign_key = "author_id")]
    pub author: BelongsTo<Person>,
    /// Default foreign key: `article_id`.
    #[has_many]
    pub remarks: HasMany<Remark>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Remark {
    pub id: i64,
    pub article_id: i64,
    pub body: String,
    pub approved: bool,
    #[belongs_to]
    pub article: BelongsTo<Article>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Message {
    pub id: i64,
    pub sender_id: i64,
    pub receiver_id: i64,
    pub body: String,
    #[belongs_to(foreign_key = "sender_id")]
    pub sender: BelongsTo<Person>,
    #[belongs_to(foreign_key = "receiver_id")]
    pub receiver: BelongsTo<Person>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "categories")]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    #[belongs_to(foreign_key = "parent_id")]
    pub parent: BelongsTo<Self>,
    #[has_many(foreign_key = "parent_id")]
    pub children: HasMany<Self>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Team {
    pub id: i64,
    pub name: String,
    /// Default pivot `person_team`, keys `team_id` / `person_id`.
    #[many_to_many]
    pub members: ManyToMany<Person>,
}
