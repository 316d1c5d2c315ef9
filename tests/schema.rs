//! The schema from the models (`orm::schema`): the DDL round-trips on every backend (create,
//! write and read back through the ORM, keys and cascades enforced), and the check reports each
//! kind of mismatch with a live database, in one statement.

mod common;

use common::count_statements;
use orm::prelude::*;
use orm::schema::{Mismatch, Schema};

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Shop {
    pub id: i64,
    #[model(unique)]
    pub name: String,
    pub rating: Option<f64>,
    pub active: bool,
    #[model(index)]
    pub city: Option<String>,
    #[has_many]
    pub products: HasMany<Product>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Product {
    pub id: i64,
    pub shop_id: i64,
    pub title: String,
    pub price_cents: i32,
    #[model(default = "7")]
    pub stock: i64,
    #[belongs_to]
    pub shop: BelongsTo<Shop>,
    #[many_to_many(pivot = "product_labels", pivot_timestamps)]
    pub labels: ManyToMany<Label, Tagging>,
}

/// A model whose key is text (not generated), pointed at by a pivot.
#[derive(Model, Debug, Clone, PartialEq)]
pub struct Label {
    #[model(primary_key)]
    pub code: String,
    pub caption: Option<String>,
    #[many_to_many(pivot = "product_labels", local_key = "code")]
    pub products: ManyToMany<Product, Tagging>,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Tagging {
    pub weight: Option<i32>,
    pub note: String,
}

/// Every feature type as a column, a `Uuid` key and a typed pivot of date-times and JSON: the
/// DDL's type for each, on each backend, must hold what sqlx writes.
#[derive(Model, Debug, Clone, PartialEq)]
pub struct Event {
    #[model(primary_key)]
    pub uid: uuid::Uuid,
    pub at: chrono::NaiveDateTime,
    pub at_utc: Option<chrono::DateTime<chrono::Utc>>,
    pub day: Option<chrono::NaiveDate>,
    pub at_time: Option<time::PrimitiveDateTime>,
    pub payload: Option<serde_json::Value>,
    pub blob: Vec<u8>,
    pub ratio: f32,
    pub small: i16,
    #[many_to_many(pivot = "event_venue", pivot_timestamps)]
    pub venues: ManyToMany<Venue, Booking>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Venue {
    pub id: i32,
    pub name: String,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Booking {
    pub starts: chrono::NaiveDateTime,
    pub details: Option<serde_json::Value>,
}

fn at(h: u32, micro: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
        .and_then(|d| d.and_hms_micro_opt(h, 30, 15, micro))
        .expect("a valid date-time")
}

fn schema<DB: orm::Backend>() -> Schema<DB>
where
    Shop: orm::schema::ModelTable<DB>,
    Product: orm::schema::ModelTable<DB>,
    Label: orm::schema::ModelTable<DB>,
{
    Schema::new()
        .model::<Product>()
        .model::<Label>()
        .model::<Shop>()
}

/// A `shops` table that differs from `Shop` in each way the check reports: `id` too narrow
/// (PostgreSQL, MySQL) or text (SQLite), `name` nullable, `rating` NOT NULL, `city` missing.
fn mismatched_shops(backend: &str) -> &'static str {
    match backend {
        "postgres" => {
            "CREATE TABLE shops (id SERIAL PRIMARY KEY, name TEXT, rating DOUBLE PRECISION NOT NULL, \
             active BOOLEAN NOT NULL)"
        }
        "mysql" => {
            "CREATE TABLE shops (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT, rating DOUBLE NOT NULL, \
             active BOOLEAN NOT NULL)"
        }
        _ => {
            "CREATE TABLE shops (id TEXT PRIMARY KEY NOT NULL, name TEXT, rating REAL NOT NULL, \
             active BOOLEAN NOT NULL)"
        }
    }
}

backend_tests! {
    async fn tables_created_from_the_models_hold_what_the_orm_writes(pool) {
        let schema = schema::<DB>();
        let order: Vec<&str> = schema.tables().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(order, ["labels", "shops", "products", "product_labels"]);
        schema.create_all(&pool).await?;
        // Idempotent: the tables exist now.
        schema.create_all(&pool).await?;
        let (checked, statements) = count_statements(schema.check(&pool)).await;
        checked?;
        assert_eq!(statements.count(), 1, "{:?}", statements.queries());

        let shop = Shop::create(&pool, NewShop { name: "corner".into(), rating: None, active: true, city: Some("Lyon".into()) }).await?;
        let product = shop
            .related(Shop::products())
            .create(&pool, |shop_id| NewProduct { shop_id, title: "tea".into(), price_cents: 450, stock: 3 })
            .await?;
        Label::insert_many(&pool, ["green", "hot"].map(|code| NewLabel { code: code.into(), caption: None })).await?;
        product
            .related(Product::labels())
            .attach_with(&pool, [
                ("green".to_owned(), Tagging { weight: Some(2), note: "leaf".into() }),
                ("hot".to_owned(), Tagging { weight: None, note: "served hot".into() }),
            ])
            .await?;

        let products = Product::query()
            .preload(Product::shop())
            .preload_with(Product::labels(), |q| q.order_by("code", Order::Asc))
            .fetch_all(&pool)
            .await?;
        let read = &products[0];
        assert_eq!((read.title.as_str(), read.price_cents, read.stock), ("tea", 450, 3));
        assert_eq!(read.shop.get()?.as_ref().map(|s| s.name.as_str()), Some("corner"));
        let labels = read.labels.get()?;
        let pivots: Vec<(&str, &Tagging)> = labels.iter().map(|l| (l.code.as_str(), l.pivot())).collect();
        assert_eq!(pivots, [
            ("green", &Tagging { weight: Some(2), note: "leaf".into() }),
            ("hot", &Tagging { weight: None, note: "served hot".into() }),
        ]);

        // The unique column, the belongs_to foreign key and the pivot's cascade are enforced.
        let twin = Shop::create(&pool, NewShop { name: "corner".into(), rating: Some(4.5), active: false, city: None }).await;
        assert!(twin.is_err(), "a second shop named corner was accepted");
        let orphan = Product::create(&pool, NewProduct { shop_id: 999, title: "x".into(), price_cents: 1, stock: 0 }).await;
        assert!(orphan.is_err(), "a product of a missing shop was accepted");
        let green = Label::find(&pool, "green".to_owned()).await?.ok_or("no label green")?;
        green.delete(&pool).await?;
        let left: Vec<String> = product.related(Product::labels()).query().fetch_all(&pool).await?
            .into_iter().map(|l| l.code.clone()).collect();
        assert_eq!(left, ["hot"]);

        // The column default applies when an insert leaves the column out.
        let insert = format!(
            "INSERT INTO products (shop_id, title, price_cents) VALUES ({}, 'cup', 900)",
            shop.id
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(insert)).execute(&pool).await?;
        let cup = Product::query().where_eq("title", "cup").fetch_optional(&pool).await?;
        assert_eq!(cup.map(|p| p.stock), Some(7));

        schema.drop_all(&pool).await?;
        match schema.check(&pool).await {
            Err(orm::Error::SchemaMismatch { mismatches }) => assert_eq!(mismatches.len(), 4, "{mismatches:?}"),
            other => panic!("expected four missing tables, got {other:?}"),
        }
        Ok(())
    }

    async fn the_hand_written_pivots_of_the_fixture_pass_the_check(pool) {
        // skill_user (Lucid's id-keyed shape) and group_user (no key) were written by hand in
        // tests/fixtures; the models' check accepts them: extra columns and keys are fine.
        use common::models::{Group, Post, Skill, Tag, User};
        let (checked, statements) = common::count_statements(
            Schema::<DB>::new().model::<User>().model::<Skill>().model::<Tag>().model::<Group>().model::<Post>().check(&pool),
        ).await;
        checked?;
        assert_eq!(statements.count(), 1, "{:?}", statements.queries());
        // And they really are the hand-written ones: the ORM's pivot has no `id` column.
        let ids: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM skill_user WHERE id IS NULL").fetch_one(&pool).await?;
        assert_eq!(ids, 0);
        Ok(())
    }

    async fn the_check_reports_every_mismatch_at_once(pool) {
        sqlx::raw_sql(mismatched_shops(<DB as orm::Backend>::NAME)).execute(&pool).await?;
        let err = Schema::<DB>::new().model::<Shop>().model::<Label>().check(&pool).await;
        let Err(orm::Error::SchemaMismatch { mismatches }) = err else {
            panic!("expected mismatches, got {err:?}");
        };
        let found = |t: &str| mismatches.iter().any(|m| {
            let text = m.to_string();
            text.starts_with(t)
        });
        let id_type = if <DB as orm::Backend>::NAME == "sqlite" { "text" } else if <DB as orm::Backend>::NAME == "postgres" { "int4" } else { "int" };
        assert!(mismatches.contains(&Mismatch::MissingTable { table: "labels".into(), declared_by: "Label".into() }), "{mismatches:?}");
        assert!(mismatches.contains(&Mismatch::MissingColumn { table: "shops".into(), column: "city".into() }), "{mismatches:?}");
        assert!(mismatches.contains(&Mismatch::Nullability { table: "shops".into(), column: "name".into(), model_nullable: false }), "{mismatches:?}");
        assert!(mismatches.contains(&Mismatch::Nullability { table: "shops".into(), column: "rating".into(), model_nullable: true }), "{mismatches:?}");
        assert!(found(&format!("shops.id is {id_type}, the model needs")), "{mismatches:?}");
        assert!(mismatches.contains(&Mismatch::MissingTable { table: "product_labels".into(), declared_by: "pivot of Label.products".into() }), "{mismatches:?}");
        assert_eq!(mismatches.len(), 6, "{mismatches:?}");
        let message = orm::Error::SchemaMismatch { mismatches }.to_string();
        assert!(message.starts_with("the database does not match the models (6 mismatches):"), "{message}");
        Ok(())
    }

    async fn feature_types_round_trip_through_tables_the_schema_created(pool) {
        let schema = Schema::<DB>::new().model::<Event>().model::<Venue>();
        schema.create_all(&pool).await?;
        schema.check(&pool).await?;
        let uid = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
        let event = Event::create(&pool, NewEvent {
            uid,
            at: at(9, 123_456),
            at_utc: Some(at(10, 0).and_utc()),
            day: chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
            at_time: Some(time::macros::datetime!(2026-12-07 11:00:00.5)),
            payload: Some(serde_json::json!({"tags": ["a", "b"], "n": 3})),
            blob: vec![0, 1, 2, 255],
            ratio: 0.5,
            small: -7,
        }).await?;
        let empty = Event::create(&pool, NewEvent {
            uid: uuid::Uuid::from_u128(7),
            at: at(8, 0),
            at_utc: None,
            day: None,
            at_time: None,
            payload: None,
            blob: Vec::new(),
            ratio: 0.0,
            small: 0,
        }).await?;
        let venue = Venue::create(&pool, NewVenue { name: "hall".into() }).await?;
        event.related(Event::venues()).attach_with(&pool, [(venue.id, Booking {
            starts: at(20, 500_000),
            details: Some(serde_json::json!({"seats": 120})),
        })]).await?;

        let read = Event::query()
            .preload(Event::venues())
            .order_by("at", Order::Desc)
            .fetch_all(&pool)
            .await?;
        assert_eq!(read.len(), 2);
        let (first, second) = (&read[0], &read[1]);
        assert_eq!(
            (first.uid, first.at, first.at_utc, first.day, first.at_time, &first.payload),
            (event.uid, event.at, event.at_utc, event.day, event.at_time, &event.payload)
        );
        assert_eq!((&first.blob, first.ratio, first.small), (&event.blob, 0.5, -7));
        assert_eq!(
            (second.uid, second.at_utc, second.day, second.at_time, &second.payload),
            (empty.uid, None, None, None, &None)
        );
        let venues = first.venues.get()?;
        assert_eq!(venues.len(), 1);
        assert_eq!(venues[0].name, "hall");
        assert_eq!(venues[0].pivot().starts, at(20, 500_000));
        assert_eq!(venues[0].pivot().details, Some(serde_json::json!({"seats": 120})));
        Ok(())
    }
}
