// Setup for the README's code blocks, which are doctests (see `ReadmeDoctests` in src/lib.rs).
// A block includes this file in a hidden first line, `# include!("docs/readme.rs"); fn main() {
// run(example) }`, and wraps its visible lines in a hidden `async fn example(pool)`: it gets the
// README's models and runs on an in-memory SQLite database, its tables created from the models
// by `orm::schema`, holding user 1 (`virk`) and skills 1
// to 5, and the empty tables of the relations section (`Person` and its relations). Not a module
// of the crate: nothing here is compiled into `orm`.

#[allow(unused_imports)]
use orm::prelude::*;

/// The README's `User`, with the relations its later blocks read.
#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    pub id: i64,
    pub username: String,
    #[model(column = "email_address")]
    pub email: Option<String>,
    #[model(skip)]
    pub cache: usize,

    #[many_to_many(pivot_timestamps)]
    pub skills: ManyToMany<Skill, Proficiency>,
    #[many_to_many(pivot = "user_tags", related_key = "code")]
    pub tags: ManyToMany<Tag>,
    #[many_to_many(pivot = "follows", pivot_related_foreign_key = "following_user_id")]
    pub follows: ManyToMany<Self>,
}

#[derive(Model, Debug, Clone)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
pub struct Tag {
    #[model(primary_key)]
    pub code: String,
    pub label: String,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Proficiency {
    pub proficiency: Option<String>,
}

/// The README's relations section: a person with a profile (has_one), posts (has_many) with
/// comments, an inviter (belongs_to Self) and invitees, and teams through `person_team`.
#[derive(Model, Debug, Clone)]
#[model(table = "people")]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub invited_by: Option<i64>,

    #[has_one]
    pub profile: HasOne<Profile>,
    #[has_many(foreign_key = "author_id")]
    pub posts: HasMany<Post>,
    #[belongs_to(foreign_key = "invited_by")]
    pub inviter: BelongsTo<Self>,
    #[has_many(foreign_key = "invited_by")]
    pub invitees: HasMany<Self>,
    #[many_to_many]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone)]
pub struct Profile {
    pub id: i64,
    pub person_id: i64,
    pub bio: Option<String>,
}

#[derive(Model, Debug, Clone)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    #[belongs_to(foreign_key = "author_id")]
    pub author: BelongsTo<Person>,
    #[has_many]
    pub comments: HasMany<Comment>,
}

#[derive(Model, Debug, Clone)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub body: String,
    pub approved: bool,
    #[belongs_to]
    pub post: BelongsTo<Post>,
}

#[derive(Model, Debug, Clone)]
pub struct Team {
    pub id: i64,
    pub name: String,
    #[many_to_many]
    pub members: ManyToMany<Person>,
}

/// `NewPerson { name, invited_by: None }`.
#[allow(dead_code)]
fn person(name: &str) -> NewPerson {
    NewPerson {
        name: name.to_owned(),
        invited_by: None,
    }
}

/// `Proficiency { proficiency: Some(name) }`.
#[allow(dead_code)]
fn level(name: &str) -> Proficiency {
    Proficiency {
        proficiency: Some(name.to_owned()),
    }
}

/// The README's rows: user 1 (`virk`) and skills 1 to 5.
const ROWS: &str = "
    INSERT INTO users (username) VALUES ('virk');
    INSERT INTO skills (name) VALUES ('Rust'), ('SQL'), ('TypeScript'), ('Go'), ('Zig');";

/// Runs `example` on a fresh in-memory database with the README's tables; panics on an error.
fn run<F>(example: impl FnOnce(sqlx::SqlitePool) -> F)
where
    F: std::future::Future<Output = orm::Result<()>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        orm::schema::Schema::<sqlx::Sqlite>::new()
            .model::<User>()
            .model::<Skill>()
            .model::<Tag>()
            .model::<Person>()
            .model::<Profile>()
            .model::<Post>()
            .model::<Comment>()
            .model::<Team>()
            .create_all(&pool)
            .await
            .expect("the README's tables, from its models");
        sqlx::raw_sql(ROWS)
            .execute(&pool)
            .await
            .expect("the README's rows");
        example(pool).await.expect("the README example");
    });
}
