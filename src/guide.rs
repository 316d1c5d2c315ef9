//! A guide by example. Every block on this page is a doctest: the runnable ones run on an
//! in-memory SQLite database, so `cargo test --doc` checks what they claim.
//!
//! The attribute reference, every key with its default, is on the derives:
//! [`derive@crate::Model`] and [`derive@crate::PivotData`].
//!
//! # Models, a many-to-many relation, and a sync report
//!
//! A `User` has `skills` through the pivot table `skill_user`, whose extra column
//! `proficiency` is typed as `Proficiency`. Attach, sync with pivot data, read through the
//! pivot and preload:
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct User {                    // table `users`, primary key `id`
//!     pub id: i64,
//!     pub username: String,
//!     #[many_to_many(pivot_timestamps)]  // pivot `skill_user`, keys `user_id` / `skill_id`
//!     pub skills: ManyToMany<Skill, Proficiency>,
//! }
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct Skill {
//!     pub id: i64,
//!     pub name: String,
//! }
//!
//! /// The pivot's extra column, typed.
//! #[derive(PivotData, Debug, Clone, PartialEq)]
//! pub struct Proficiency {
//!     pub proficiency: Option<String>,
//! }
//!
//! fn level(name: &str) -> Proficiency {
//!     Proficiency { proficiency: Some(name.to_owned()) }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
//! // The tables from the models: users, skills and the pivot skill_user.
//! orm::schema::Schema::<sqlx::Sqlite>::new().model::<User>().model::<Skill>().create_all(&pool).await?;
//!
//! // `NewUser` and `NewSkill` hold every column but the database-generated key.
//! let virk = User::create(&pool, NewUser { username: "virk".into() }).await?;
//! Skill::insert_many(&pool, ["Rust", "SQL", "Go"].map(|name| NewSkill { name: name.into() })).await?;
//! let (rust, sql, go) = (1, 2, 3);
//!
//! let skills = virk.related(User::skills());
//! assert_eq!(skills.attach(&pool, [rust, sql]).await?, [rust, sql]);
//! assert!(skills.attach(&pool, [rust]).await?.is_empty()); // attached already: never a duplicate row
//!
//! // Sync makes the set exactly the input, and reports the diff.
//! let report = skills
//!     .sync_with(&pool, [(rust, level("expert")), (go, level("beginner"))])
//!     .await?;
//! assert_eq!(report.attached, [go]);
//! assert_eq!(report.detached, [sql]);
//! assert_eq!(report.updated, [rust]); // its proficiency was NULL
//! assert!(report.unchanged.is_empty());
//!
//! // The same sync again writes nothing.
//! let again = skills
//!     .sync_with(&pool, [(rust, level("expert")), (go, level("beginner"))])
//!     .await?;
//! assert!(!again.has_changes());
//! assert_eq!(again.unchanged, [rust, go]);
//!
//! // Reading through the pivot: `Pivoted<Skill, Proficiency>` derefs to `Skill`. Columns are
//! // named by typed fields, `Model::FIELDS.<field>`, checked by the compiler.
//! let experts = skills
//!     .query()
//!     .where_pivot(Proficiency::FIELDS.proficiency, "expert")
//!     .fetch_all(&pool)
//!     .await?;
//! assert_eq!(experts.len(), 1);
//! assert_eq!(experts[0].name, "Rust");
//! assert_eq!(experts[0].pivot(), &level("expert"));
//! assert_eq!(experts[0].extras().get::<i64>("pivot_user_id")?, virk.id);
//!
//! // Preload: one statement for every user's skills.
//! let users = User::query()
//!     .preload_with(User::skills(), |q| q.order_by(Skill::FIELDS.name, Order::Asc))
//!     .fetch_all(&pool)
//!     .await?;
//! let names: Vec<&str> = users[0].skills.get()?.iter().map(|s| s.name.as_str()).collect();
//! assert_eq!(names, ["Go", "Rust"]);
//! # Ok(()) }
//! ```
//!
//! # Every name chosen explicitly
//!
//! The defaults follow Lucid's conventions; every table and column can be named instead. Here a
//! person's clubs go through `memberships(member_id, club_id, membership_role, joined_at)`,
//! whose timestamp columns are renamed (`joined_at`) or absent (no `updated_at`):
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! #[model(table = "people")]                 // default: `persons`
//! pub struct Person {
//!     #[model(primary_key)]                  // default: the field named `id`
//!     pub person_id: i64,
//!     pub name: String,
//!     #[model(column = "mail")]              // default: the field's name
//!     pub email: Option<String>,
//!     #[model(skip)]                         // not a column: `Default::default()` when read
//!     pub visits: u32,
//!
//!     #[many_to_many(
//!         pivot = "memberships",             // default: `club_person`
//!         local_key = "person_id",           // default: Person's primary key
//!         related_key = "id",                // default: Club's primary key
//!         pivot_foreign_key = "member_id",   // default: `person_person_id`
//!         pivot_related_foreign_key = "club_id", // default: `club_id`
//!         pivot_timestamps(created_at = "joined_at", updated_at = false),
//!     )]
//!     pub clubs: ManyToMany<Club, Membership>,
//! }
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct Club {
//!     pub id: i64,
//!     pub name: String,
//! }
//!
//! #[derive(PivotData, Debug, Clone, PartialEq)]
//! pub struct Membership {
//!     #[pivot(column = "membership_role")]   // default: the field's name
//!     pub role: String,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
//! // people, clubs and the pivot memberships (member_id, club_id, membership_role, joined_at).
//! orm::schema::Schema::<sqlx::Sqlite>::new().model::<Person>().model::<Club>().create_all(&pool).await?;
//!
//! let ada = Person::create(&pool, NewPerson { name: "Ada".into(), email: None }).await?;
//! Club::insert_many(&pool, ["Chess", "Rowing"].map(|name| NewClub { name: name.into() })).await?;
//! let clubs = ada.related(Person::clubs());
//! clubs
//!     .attach_with(&pool, [(1, Membership { role: "captain".into() }), (2, Membership { role: "member".into() })])
//!     .await?;
//!
//! let captained = clubs
//!     .query()
//!     .where_pivot(Membership::FIELDS.role, "captain")   // column `membership_role`
//!     .order_by_pivot("joined_at", Order::Desc)          // a pivot timestamp: not a field, a string
//!     .fetch_all(&pool)
//!     .await?;
//! assert_eq!(captained.len(), 1);
//! assert_eq!(captained[0].name, "Chess");
//! assert_eq!(captained[0].pivot().role, "captain");
//! # Ok(()) }
//! ```
//!
//! # has_many, has_one, belongs_to
//!
//! The other relation kinds work on the same relation layer: `preload`, `preload_with` (with a
//! per-parent limit and nested preloads of any kind), `with_count`, `where_has` and the
//! handles. Keys default to Lucid's conventions; a nullable foreign key loads as `None`.
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct Author {
//!     pub id: i64,
//!     pub name: String,
//!     #[has_many]                            // foreign_key `author_id` on `posts`
//!     pub posts: HasMany<Post>,
//!     #[has_one(foreign_key = "owner_id", local_key = "id")]
//!     pub profile: HasOne<Profile>,
//! }
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct Post {
//!     pub id: i64,
//!     pub author_id: i64,
//!     pub editor_id: Option<i64>,
//!     pub title: String,
//!     #[belongs_to]                          // foreign_key `author_id` on this table
//!     pub author: BelongsTo<Author>,
//!     #[belongs_to(foreign_key = "editor_id", owner_key = "id")] // a second relation to `authors`
//!     pub editor: BelongsTo<Author>,
//! }
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct Profile {
//!     pub id: i64,
//!     pub owner_id: i64,
//!     pub bio: Option<String>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
//! // authors, posts (two foreign keys to authors) and profiles.
//! orm::schema::Schema::<sqlx::Sqlite>::new().model::<Author>().model::<Post>().model::<Profile>().create_all(&pool).await?;
//! let ada = Author::create(&pool, NewAuthor { name: "Ada".into() }).await?;
//! let bob = Author::create(&pool, NewAuthor { name: "Bob".into() }).await?;
//!
//! // The has_many handle creates rows pointing at the parent: no key to invent.
//! let posts = ada.related(Author::posts());
//! let mut draft = posts
//!     .create(&pool, |author_id| NewPost { author_id, editor_id: None, title: "Draft".into() })
//!     .await?;
//! posts
//!     .create_many(&pool, |author_id| {
//!         ["Notes", "Engines"].map(|title| NewPost { author_id, editor_id: None, title: title.into() })
//!     })
//!     .await?;
//! bob.related(Author::profile()).create(&pool, |owner_id| NewProfile { owner_id, bio: None }).await?;
//!
//! // One statement per relation level: authors, their two latest posts, each post's author.
//! let authors = Author::query()
//!     .order_by(Author::FIELDS.id, Order::Asc)
//!     .preload(Author::profile())
//!     .preload_with(Author::posts(), |q| {
//!         q.order_by(Post::FIELDS.id, Order::Desc).limit(2).preload(Post::author())
//!     })
//!     .fetch_all(&pool)
//!     .await?;
//! let latest: Vec<&str> = authors[0].posts.get()?.iter().map(|p| p.title.as_str()).collect();
//! assert_eq!(latest, ["Engines", "Notes"]);
//! assert_eq!(authors[0].posts.get()?[0].author.get()?.map(|a| a.name.as_str()), Some("Ada"));
//! assert!(authors[0].profile.get()?.is_none());
//! assert!(authors[1].profile.get()?.is_some() && authors[1].posts.get()?.is_empty());
//!
//! // Counts and filters are subqueries of the parent's statement.
//! let with_posts = Author::query().with_count(Author::posts()).where_has(Author::posts(), |q| q).fetch_all(&pool).await?;
//! assert_eq!((with_posts.len(), with_posts[0].posts.count()?), (1, 3));
//!
//! // belongs_to: set the foreign key in memory and in the row; a null key loads as `None`.
//! draft.related_mut(Post::editor()).associate(&pool, &bob).await?;
//! assert_eq!(draft.editor_id, Some(bob.id));
//! let post = Post::query().where_eq(Post::FIELDS.id, draft.id).preload(Post::editor()).fetch_one(&pool).await?;
//! assert_eq!(post.editor.get()?.map(|a| a.name.as_str()), Some("Bob"));
//! draft.related_mut(Post::editor()).dissociate(&pool).await?;
//! // `author_id` is not an Option: dissociating it is a typed error, and nothing is written.
//! assert!(draft.related_mut(Post::author()).dissociate(&pool).await.is_err());
//! # Ok(()) }
//! ```
