//! The scenarios of the Drizzle relations docs, each one query: users with their profile,
//! inviter and invitees (a self-reference); the five latest posts of each user with their
//! approved comments; groups through a pivot; messages with a sender and a receiver (two
//! relations to one table); a category tree; and filters on nested relations.
//!
//! Runs on an embedded SQLite file unless `DATABASE_URL` names another database
//! (`postgres://...` or `mysql://...`). It drops and creates its own tables from the models (all named `rel_*`,
//! apart from the tour's) and prints what each query loads.
//!
//! ```text
//! cargo run --example relations
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --example relations
//! DATABASE_URL=mysql://root@127.0.0.1:3306/test cargo run --example relations
//! ```

use std::error::Error;

use orm::prelude::*;
use orm::schema::{ModelTable, Schema};
use orm::{Bind, ModelRow};
use sqlx::Pool;

#[derive(Model, Debug, Clone)]
#[model(table = "rel_users")]
pub struct User {
    pub id: i64,
    pub name: String,
    pub invited_by: Option<i64>,

    /// A self-reference through a nullable key: the user who invited this one.
    #[belongs_to(foreign_key = "invited_by")]
    pub inviter: BelongsTo<Self>,
    /// The other side of it: the users this one invited.
    #[has_many(foreign_key = "invited_by")]
    pub invitees: HasMany<Self>,
    /// Default foreign key: `user_id` on `rel_profile_info`.
    #[has_one]
    pub profile_info: HasOne<ProfileInfo>,
    #[has_many(foreign_key = "author_id")]
    pub posts: HasMany<Post>,
    /// Two relations to one table, told apart by their keys.
    #[has_many(foreign_key = "sender_id")]
    pub sent: HasMany<Message>,
    #[has_many(foreign_key = "receiver_id")]
    pub received: HasMany<Message>,
    /// Pivot `rel_users_to_groups`, keys `user_id` / `group_id`.
    #[many_to_many(pivot = "rel_users_to_groups")]
    pub groups: ManyToMany<Group>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "rel_profile_info")]
pub struct ProfileInfo {
    pub id: i64,
    pub user_id: i64,
    pub metadata: Option<String>,
    /// Default foreign key: `user_id`.
    #[belongs_to]
    pub user: BelongsTo<User>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "rel_posts")]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub content: String,
    #[belongs_to(foreign_key = "author_id")]
    pub author: BelongsTo<User>,
    /// Default foreign key: `post_id` on `rel_comments`.
    #[has_many]
    pub comments: HasMany<Comment>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "rel_comments")]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub text: String,
    pub approved: bool,
    #[belongs_to]
    pub post: BelongsTo<Post>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "rel_groups")]
pub struct Group {
    pub id: i64,
    pub name: String,
    /// The same pivot from the other side: keys `group_id` / `user_id`.
    #[many_to_many(pivot = "rel_users_to_groups")]
    pub members: ManyToMany<User>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "rel_messages")]
pub struct Message {
    pub id: i64,
    pub sender_id: i64,
    pub receiver_id: i64,
    pub body: String,
    #[belongs_to(foreign_key = "sender_id")]
    pub sender: BelongsTo<User>,
    #[belongs_to(foreign_key = "receiver_id")]
    pub receiver: BelongsTo<User>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "rel_categories")]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    #[belongs_to(foreign_key = "parent_id")]
    pub parent: BelongsTo<Self>,
    #[has_many(foreign_key = "parent_id")]
    pub children: HasMany<Self>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let url = url.unwrap_or_else(|| {
        let path = std::env::temp_dir().join("orm-relations.db");
        format!("sqlite://{}?mode=rwc", path.display())
    });
    println!("database: {url}");
    if url.starts_with("postgres") {
        relations(&Pool::<sqlx::Postgres>::connect(&url).await?).await
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        relations(&Pool::<sqlx::MySql>::connect(&url).await?).await
    } else {
        relations(&Pool::<sqlx::Sqlite>::connect(&url).await?).await
    }
}

/// The names of some users, in order.
fn names<'a>(users: impl IntoIterator<Item = &'a User>) -> Vec<&'a str> {
    users.into_iter().map(|u| u.name.as_str()).collect()
}

async fn relations<DB>(pool: &Pool<DB>) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    User: ModelRow<DB>,
    ProfileInfo: ModelRow<DB>,
    Post: ModelRow<DB>,
    Comment: ModelRow<DB>,
    Group: ModelRow<DB>,
    Message: ModelRow<DB>,
    Category: ModelRow<DB>,
    bool: Bind<DB>,
    &'static str: Bind<DB>,
    User: ModelTable<DB>,
    ProfileInfo: ModelTable<DB>,
    Post: ModelTable<DB>,
    Comment: ModelTable<DB>,
    Group: ModelTable<DB>,
    Message: ModelTable<DB>,
    Category: ModelTable<DB>,
{
    // The tables from the models, in dependency order: each belongs_to is a foreign key, the
    // pivot rel_users_to_groups cascades from both sides.
    let schema = Schema::<DB>::new()
        .model::<User>()
        .model::<ProfileInfo>()
        .model::<Post>()
        .model::<Comment>()
        .model::<Group>()
        .model::<Message>()
        .model::<Category>();
    schema.drop_all(pool).await?;
    schema.create_all(pool).await?;
    let created: Vec<&str> = schema.tables().iter().map(|t| t.name.as_str()).collect();
    println!("created tables {}", created.join(", "));

    seed(pool).await?;

    // 1. Users with their profile (has_one), inviter (belongs_to Self) and invitees (has_many Self).
    println!("\n-- users with profile, inviter and invitees");
    let users = User::query()
        .order_by(User::FIELDS.id, Order::Asc)
        .preload(User::profile_info())
        .preload(User::inviter())
        .preload_with(User::invitees(), |q| {
            q.order_by(User::FIELDS.id, Order::Asc)
        })
        .fetch_all(pool)
        .await?;
    for user in &users {
        let profile = user
            .profile_info
            .get()?
            .map_or("none", |p| p.metadata.as_deref().unwrap_or("empty"));
        let inviter = user.inviter.get()?.map_or("nobody", |u| u.name.as_str());
        println!(
            "{}: profile {}, invited by {}, invited {:?}",
            user.name,
            profile,
            inviter,
            names(user.invitees.get()?)
        );
    }

    // 2. The five latest posts of each user, each with its approved comments.
    println!("\n-- the 5 latest posts of each user, with their approved comments");
    let users = User::query()
        .order_by(User::FIELDS.id, Order::Asc)
        .preload_with(User::posts(), |q| {
            q.order_by(Post::FIELDS.id, Order::Desc)
                .limit(5)
                .preload_with(Post::comments(), |c| {
                    c.where_eq(Comment::FIELDS.approved, true)
                        .order_by(Comment::FIELDS.id, Order::Asc)
                })
        })
        .fetch_all(pool)
        .await?;
    for user in &users {
        println!("{}:", user.name);
        for post in user.posts.get()? {
            let comments: Vec<&str> = post
                .comments
                .get()?
                .iter()
                .map(|c| c.text.as_str())
                .collect();
            println!("  {} -> approved comments {comments:?}", post.content);
        }
    }

    // 3. Users with their groups; groups with their members, and each member's posts.
    println!("\n-- users with their groups (many_to_many)");
    let users = User::query()
        .order_by(User::FIELDS.id, Order::Asc)
        .preload_with(User::groups(), |q| {
            q.order_by(Group::FIELDS.name, Order::Asc)
        })
        .fetch_all(pool)
        .await?;
    for user in &users {
        let groups: Vec<&str> = user.groups.get()?.iter().map(|g| g.name.as_str()).collect();
        println!("{}: {groups:?}", user.name);
    }
    println!("\n-- groups with their members, and the members' posts (many_to_many -> has_many)");
    let groups = Group::query()
        .order_by(Group::FIELDS.name, Order::Asc)
        .preload_with(Group::members(), |q| {
            q.order_by(User::FIELDS.name, Order::Asc)
                .preload_with(User::posts(), |p| p.order_by(Post::FIELDS.id, Order::Asc))
        })
        .fetch_all(pool)
        .await?;
    for group in &groups {
        println!("{}:", group.name);
        for member in group.members.get()? {
            println!("  {}, posts: {}", member.name, member.posts.get()?.len());
        }
    }

    // 4. Messages with their sender and receiver; users with their counts of both.
    println!("\n-- messages with sender and receiver (two belongs_to to one table)");
    let messages = Message::query()
        .order_by(Message::FIELDS.id, Order::Asc)
        .preload(Message::sender())
        .preload(Message::receiver())
        .fetch_all(pool)
        .await?;
    for message in &messages {
        let sender = message.sender.get()?.map_or("?", |u| u.name.as_str());
        let receiver = message.receiver.get()?.map_or("?", |u| u.name.as_str());
        println!("{sender} -> {receiver}: {}", message.body);
    }
    println!("\n-- users with the counts of their sent and received messages");
    let users = User::query()
        .order_by(User::FIELDS.id, Order::Asc)
        .with_count(User::sent())
        .with_count(User::received())
        .fetch_all(pool)
        .await?;
    for user in &users {
        println!(
            "{}: sent {}, received {}",
            user.name,
            user.sent.count()?,
            user.received.count()?
        );
    }

    // 5. The category tree: the roots, their children and their children's children.
    println!("\n-- category tree (3 levels of one self-reference)");
    let roots = Category::query()
        .where_null(Category::FIELDS.parent_id)
        .order_by(Category::FIELDS.name, Order::Asc)
        .preload_with(Category::children(), |q| {
            q.order_by(Category::FIELDS.name, Order::Asc)
                .preload_with(Category::children(), |q| {
                    q.order_by(Category::FIELDS.name, Order::Asc)
                })
        })
        .fetch_all(pool)
        .await?;
    for root in &roots {
        println!("{}", root.name);
        for child in root.children.get()? {
            println!("  {}", child.name);
            for grandchild in child.children.get()? {
                println!("    {}", grandchild.name);
            }
        }
    }

    // 6. Filters on nested relations: EXISTS subqueries, no rows loaded.
    println!("\n-- where_has");
    let with_approved = User::query()
        .where_has(User::posts(), |q| {
            q.where_has(Post::comments(), |c| {
                c.where_eq(Comment::FIELDS.approved, true)
            })
        })
        .order_by(User::FIELDS.id, Order::Asc)
        .fetch_all(pool)
        .await?;
    println!(
        "users with a post that has an approved comment: {:?}",
        names(&with_approved)
    );
    let silent = User::query()
        .where_doesnt_have(User::posts(), |q| q)
        .order_by(User::FIELDS.id, Order::Asc)
        .fetch_all(pool)
        .await?;
    println!("users without posts: {:?}", names(&silent));
    let rustaceans = User::query()
        .where_has(User::groups(), |q| {
            q.where_eq(Group::FIELDS.name, "rustaceans")
        })
        .with_count_where(User::posts(), |q| {
            q.where_has(Post::comments(), |c| {
                c.where_eq(Comment::FIELDS.approved, true)
            })
        })
        .order_by(User::FIELDS.id, Order::Asc)
        .fetch_all(pool)
        .await?;
    for user in &rustaceans {
        println!(
            "rustacean {}: posts with an approved comment: {}",
            user.name,
            user.posts.count()?
        );
    }
    Ok(())
}

/// Users, profiles, posts and comments, groups, messages and categories, written through the
/// relation handles.
async fn seed<DB>(pool: &Pool<DB>) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    User: ModelRow<DB>,
    ProfileInfo: ModelRow<DB>,
    Post: ModelRow<DB>,
    Comment: ModelRow<DB>,
    Group: ModelRow<DB>,
    Message: ModelRow<DB>,
    Category: ModelRow<DB>,
{
    let user = |name: &str, invited_by: Option<i64>| NewUser {
        name: name.into(),
        invited_by,
    };
    let dan = User::create(pool, user("dan", None)).await?;
    let andrew = User::create(pool, user("andrew", Some(dan.id))).await?;
    let mut alex = User::create(pool, user("alex", None)).await?;
    let zoe = User::create(pool, user("zoe", Some(andrew.id))).await?;
    // A belongs_to write: sets `alex.invited_by` in memory and in the row.
    alex.related_mut(User::inviter())
        .associate(pool, &dan)
        .await?;
    println!(
        "seeded users dan, andrew, alex, zoe; alex.invited_by = {:?} after associate",
        alex.invited_by
    );

    for (who, metadata) in [(&dan, "likes Rust"), (&andrew, "likes SQL")] {
        who.related(User::profile_info())
            .create(pool, |user_id| NewProfileInfo {
                user_id,
                metadata: Some(metadata.into()),
            })
            .await?;
    }

    let posts = dan
        .related(User::posts())
        .create_many(pool, |author_id| {
            (1..=7).map(move |n| NewPost {
                author_id,
                content: format!("dan's post {n}"),
            })
        })
        .await?;
    let andrews = andrew
        .related(User::posts())
        .create(pool, |author_id| NewPost {
            author_id,
            content: "andrew's post".into(),
        })
        .await?;
    let comment = |post_id, text: &str, approved| NewComment {
        post_id,
        text: text.into(),
        approved,
    };
    for post in &posts[4..] {
        post.related(Post::comments())
            .create_many(pool, |post_id| {
                [
                    comment(post_id, &format!("great ({})", post.content), true),
                    comment(post_id, &format!("spam ({})", post.content), false),
                ]
            })
            .await?;
    }
    andrews
        .related(Post::comments())
        .create(pool, |post_id| comment(post_id, "pending review", false))
        .await?;
    println!("seeded 8 posts, 7 comments, 2 profiles");

    let rustaceans = Group::create(
        pool,
        NewGroup {
            name: "rustaceans".into(),
        },
    )
    .await?;
    let admins = Group::create(
        pool,
        NewGroup {
            name: "admins".into(),
        },
    )
    .await?;
    dan.related(User::groups())
        .attach(pool, [rustaceans.id, admins.id])
        .await?;
    andrew
        .related(User::groups())
        .attach(pool, [rustaceans.id])
        .await?;
    zoe.related(User::groups())
        .attach(pool, [admins.id])
        .await?;

    let message = |from: &User, to: &User, body: &str| NewMessage {
        sender_id: from.id,
        receiver_id: to.id,
        body: body.into(),
    };
    let mut hello = Message::create(pool, message(&dan, &andrew, "hello andrew")).await?;
    Message::insert_many(
        pool,
        [
            message(&andrew, &dan, "hi dan"),
            message(&alex, &dan, "thanks for the invite"),
            message(&dan, &zoe, "welcome"),
        ],
    )
    .await?;
    // `sender_id` is not an `Option`: a message cannot lose its sender.
    match hello.related_mut(Message::sender()).dissociate(pool).await {
        Err(err @ orm::Error::InvalidInput { .. }) => println!("dissociate a sender -> {err}"),
        Err(err) => return Err(err.into()),
        Ok(()) => println!("dissociate a sender unexpectedly succeeded"),
    }

    let category = |name: &str, parent_id: Option<i64>| NewCategory {
        name: name.into(),
        parent_id,
    };
    let electronics = Category::create(pool, category("Electronics", None)).await?;
    let books = Category::create(pool, category("Books", None)).await?;
    let children = electronics
        .related(Category::children())
        .create_many(pool, |parent_id| {
            [
                category("Computers", Some(parent_id)),
                category("Phones", Some(parent_id)),
            ]
        })
        .await?;
    if let Some(computers) = children.first() {
        computers
            .related(Category::children())
            .create_many(pool, |parent_id| {
                [
                    category("Laptops", Some(parent_id)),
                    category("Desktops", Some(parent_id)),
                ]
            })
            .await?;
    }
    books
        .related(Category::children())
        .create(pool, |parent_id| category("Fiction", Some(parent_id)))
        .await?;
    println!("seeded 2 groups, 4 messages, 7 categories");
    Ok(())
}
