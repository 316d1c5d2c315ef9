//! A NestJS-style seed: articles and categories, many-to-many through `article_category`.
//! An article is created with its categories in one transaction of yours; a category that does
//! not exist (a foreign key violation) rolls the whole transaction back, article included. Then
//! both sides are read: articles with their categories, categories with their articles and
//! their counts.
//!
//! Runs on an embedded SQLite file unless `DATABASE_URL` names another database
//! (`postgres://...` or `mysql://...`). It drops and creates its own tables from the models (`articles`,
//! `categories`, `article_category`) and prints what it does.
//!
//! ```text
//! cargo run --example articles_categories
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --example articles_categories
//! DATABASE_URL=mysql://root@127.0.0.1:3306/test cargo run --example articles_categories
//! ```

use std::error::Error;

use orm::ModelRow;
use orm::prelude::*;
use orm::schema::{ModelTable, Schema};
use sqlx::Pool;

#[derive(Model, Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Pivot `article_category` (Article + Category, sorted), keys `article_id` / `category_id`.
    #[many_to_many]
    pub categories: ManyToMany<Category>,
}

#[derive(Model, Debug, Clone)]
pub struct Category {
    pub id: i64,
    #[model(unique)]
    pub name: String,
    /// The same pivot from the other side.
    #[many_to_many]
    pub articles: ManyToMany<Article>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let url = url.unwrap_or_else(|| {
        let path = std::env::temp_dir().join("orm-articles-categories.db");
        format!("sqlite://{}?mode=rwc", path.display())
    });
    println!("database: {url}");
    if url.starts_with("postgres") {
        seed(&Pool::<sqlx::Postgres>::connect(&url).await?).await
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        seed(&Pool::<sqlx::MySql>::connect(&url).await?).await
    } else {
        seed(&Pool::<sqlx::Sqlite>::connect(&url).await?).await
    }
}

/// `Error::Database` for a failure of `begin` or `commit`, which are sqlx's own calls.
fn tx_error(context: &'static str) -> impl FnOnce(sqlx::Error) -> orm::Error {
    move |source| orm::Error::Database {
        context: context.into(),
        source,
    }
}

/// Creates an article and attaches its categories in one transaction: both or neither.
async fn create_article<DB>(
    pool: &Pool<DB>,
    title: &str,
    category_ids: &[i64],
) -> orm::Result<Article>
where
    DB: orm::Backend,
    Article: ModelRow<DB>,
    Category: ModelRow<DB>,
{
    let mut tx = pool.begin().await.map_err(tx_error("begin"))?;
    // In code generic over the backend a transaction is passed as `&mut tx`; with a concrete
    // backend, `&mut *tx` works too.
    let article = Article::create(
        &mut tx,
        NewArticle {
            title: title.into(),
            body: format!("All about {title}."),
        },
    )
    .await?;
    article
        .related(Article::categories())
        .attach(&mut tx, category_ids.iter().copied())
        .await?;
    tx.commit().await.map_err(tx_error("commit"))?;
    Ok(article)
}

async fn seed<DB>(pool: &Pool<DB>) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    Article: ModelRow<DB>,
    Category: ModelRow<DB>,
    &'static str: orm::Bind<DB>,
    Article: ModelTable<DB>,
    Category: ModelTable<DB>,
{
    // The tables from the models; the pivot, declared by both sides, is created once.
    let schema = Schema::<DB>::new().model::<Article>().model::<Category>();
    schema.drop_all(pool).await?;
    schema.create_all(pool).await?;
    println!("created tables articles, categories, article_category");

    let names = ["Databases", "Go", "Rust", "Testing", "Web"];
    Category::insert_many(pool, names.map(|name| NewCategory { name: name.into() })).await?;
    let categories = Category::query()
        .order_by(Category::FIELDS.id, Order::Asc)
        .fetch_all(pool)
        .await?;
    let id = |name: &str| categories.iter().find(|c| c.name == name).map(|c| c.id);
    let (Some(databases), Some(rust), Some(testing), Some(web)) =
        (id("Databases"), id("Rust"), id("Testing"), id("Web"))
    else {
        return Err("the seeded categories are missing".into());
    };
    println!("seeded categories {names:?}");

    // An article and its categories, in one transaction.
    let orm_article = create_article(pool, "A typed ORM", &[rust, databases]).await?;
    println!(
        "created article {:?} (id {}) with categories Rust, Databases in one transaction",
        orm_article.title, orm_article.id
    );
    let web_article = create_article(pool, "Rust on the web", &[rust, web, databases]).await?;
    println!(
        "created article {:?} (id {}) with categories Rust, Web, Databases",
        web_article.title, web_article.id
    );

    // A category that does not exist: the attach fails, and the article goes with it.
    let missing = 999_999;
    match create_article(pool, "Broken", &[testing, missing]).await {
        Err(
            ref err @ orm::Error::ForeignKeyViolation {
                model,
                relation,
                operation,
                ..
            },
        ) => {
            println!("create \"Broken\" with category {missing} -> {err}");
            println!(
                "  (Error::ForeignKeyViolation: model {model}, relation {relation}, operation {operation})"
            );
        }
        Err(err) => return Err(err.into()),
        Ok(article) => return Err(format!("article {} was created", article.id).into()),
    }
    let broken = Article::query()
        .where_eq(Article::FIELDS.title, "Broken")
        .exists(pool)
        .await?;
    println!("after the rollback, does \"Broken\" exist? {broken}");

    // Editing an article's categories: sync reports what changed.
    let report = web_article
        .related(Article::categories())
        .sync(pool, [rust, web, testing])
        .await?;
    println!(
        "sync {:?} to Rust, Web, Testing -> attached ids {:?}, detached {:?}, unchanged {:?}",
        web_article.title, report.attached, report.detached, report.unchanged
    );

    // Both sides of the pivot, one query each.
    println!("\n-- articles with their categories");
    let articles = Article::query()
        .order_by(Article::FIELDS.id, Order::Asc)
        .preload_with(Article::categories(), |q| {
            q.order_by(Category::FIELDS.name, Order::Asc)
        })
        .fetch_all(pool)
        .await?;
    for article in &articles {
        let names: Vec<&str> = article
            .categories
            .get()?
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        println!("{}: {names:?}", article.title);
    }

    println!("\n-- categories with their articles, and their counts");
    let categories = Category::query()
        .order_by(Category::FIELDS.name, Order::Asc)
        .preload_with(Category::articles(), |q| {
            q.order_by(Article::FIELDS.title, Order::Asc)
        })
        .fetch_all(pool)
        .await?;
    for category in &categories {
        let titles: Vec<&str> = category
            .articles
            .get()?
            .iter()
            .map(|a| a.title.as_str())
            .collect();
        println!("{}: {titles:?}", category.name);
    }
    let counted = Category::query()
        .order_by(Category::FIELDS.name, Order::Asc)
        .with_count(Category::articles())
        .fetch_all(pool)
        .await?;
    for category in &counted {
        println!(
            "with_count: {} has {} articles",
            category.name,
            category.articles.count()?
        );
    }
    let unused = Category::query()
        .where_doesnt_have(Category::articles(), |q| q)
        .fetch_all(pool)
        .await?;
    println!(
        "categories without articles: {:?}",
        unused.iter().map(|c| c.name.as_str()).collect::<Vec<_>>()
    );
    Ok(())
}
