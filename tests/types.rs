//! The column types of the cargo features `chrono`, `time`, `uuid`, `json` and `rust_decimal`:
//! each round-trips as a model field (with NULL for `Option`), `Uuid` and `String` work as keys
//! of many-to-many relations (attach, sync, preload), each type works as a pivot data field and
//! is readable from `extras()`, and pivot timestamps read as typed date-times; on every backend.
//!
//! Skipped because sqlx cannot do it: `rust_decimal::Decimal` on SQLite (sqlx has no decimal
//! type there, so a model with a `Decimal` field has no `ModelRow<Sqlite>`): the decimal tests
//! run on PostgreSQL (directly and behind pgbouncer) and MariaDB only (module `decimal`).

mod common;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use orm::prelude::*;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Tables: hand-written per backend, created by each test (`schema::<DB>`).

/// The tables of these tests on one backend.
trait TypesSchema: common::TestBackend {
    const DDL: &'static str;
}

impl TypesSchema for sqlx::Sqlite {
    // Date-times are text in SQLite (declared DATETIME / DATE, as applications do), UUIDs are
    // 16-byte blobs as sqlx encodes them, JSON is text.
    const DDL: &'static str = "
        CREATE TABLE chrono_rows (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL, at_utc DATETIME NOT NULL, day DATE NOT NULL,
            maybe_at DATETIME, maybe_day DATE
        );
        CREATE TABLE time_rows (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL, at_offset DATETIME NOT NULL, day DATE NOT NULL,
            maybe_at DATETIME, maybe_day DATE
        );
        CREATE TABLE json_rows (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc TEXT NOT NULL, prefs TEXT NOT NULL, maybe_doc TEXT
        );
        CREATE TABLE documents (id BLOB PRIMARY KEY, title TEXT NOT NULL, parent_id BLOB);
        CREATE TABLE labels (id BLOB PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE topics (code TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE document_label (
            document_id BLOB NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            label_id BLOB NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
            noted_at DATETIME, noted_utc DATETIME, noted_on DATE,
            ref_id BLOB, meta TEXT, prefs TEXT,
            created_at DATETIME, updated_at DATETIME,
            PRIMARY KEY (document_id, label_id)
        );
        CREATE TABLE document_topic (
            document_id BLOB NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            topic_code TEXT NOT NULL REFERENCES topics (code) ON DELETE CASCADE,
            PRIMARY KEY (document_id, topic_code)
        );
    ";
}

impl TypesSchema for sqlx::Postgres {
    const DDL: &'static str = "
        CREATE TABLE chrono_rows (
            id BIGSERIAL PRIMARY KEY,
            at TIMESTAMP NOT NULL, at_utc TIMESTAMPTZ NOT NULL, day DATE NOT NULL,
            maybe_at TIMESTAMP, maybe_day DATE
        );
        CREATE TABLE time_rows (
            id BIGSERIAL PRIMARY KEY,
            at TIMESTAMP NOT NULL, at_offset TIMESTAMPTZ NOT NULL, day DATE NOT NULL,
            maybe_at TIMESTAMP, maybe_day DATE
        );
        CREATE TABLE json_rows (
            id BIGSERIAL PRIMARY KEY,
            doc JSONB NOT NULL, prefs JSON NOT NULL, maybe_doc JSONB
        );
        CREATE TABLE decimal_rows (
            id BIGSERIAL PRIMARY KEY,
            amount NUMERIC(20, 4) NOT NULL, maybe_amount NUMERIC
        );
        CREATE TABLE documents (id UUID PRIMARY KEY, title TEXT NOT NULL, parent_id UUID);
        CREATE TABLE labels (id UUID PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE topics (code TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE document_label (
            document_id UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            label_id UUID NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
            noted_at TIMESTAMP, noted_utc TIMESTAMPTZ, noted_on DATE,
            ref_id UUID, meta JSONB, prefs JSONB, price NUMERIC(20, 4),
            created_at TIMESTAMP(6), updated_at TIMESTAMP(6),
            PRIMARY KEY (document_id, label_id)
        );
        CREATE TABLE document_topic (
            document_id UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            topic_code TEXT NOT NULL REFERENCES topics (code) ON DELETE CASCADE,
            PRIMARY KEY (document_id, topic_code)
        );
    ";
}

impl TypesSchema for sqlx::MySql {
    // sqlx stores a `Uuid` as BINARY(16) on MySQL / MariaDB; MariaDB's JSON is LONGTEXT with a
    // JSON check.
    const DDL: &'static str = "
        CREATE TABLE chrono_rows (
            id BIGINT AUTO_INCREMENT PRIMARY KEY,
            at DATETIME(6) NOT NULL, at_utc TIMESTAMP(6) NOT NULL, day DATE NOT NULL,
            maybe_at DATETIME(6) NULL, maybe_day DATE NULL
        );
        CREATE TABLE time_rows (
            id BIGINT AUTO_INCREMENT PRIMARY KEY,
            at DATETIME(6) NOT NULL, at_offset TIMESTAMP(6) NOT NULL, day DATE NOT NULL,
            maybe_at DATETIME(6) NULL, maybe_day DATE NULL
        );
        CREATE TABLE json_rows (
            id BIGINT AUTO_INCREMENT PRIMARY KEY,
            doc JSON NOT NULL, prefs JSON NOT NULL, maybe_doc JSON NULL
        );
        CREATE TABLE decimal_rows (
            id BIGINT AUTO_INCREMENT PRIMARY KEY,
            amount DECIMAL(20, 4) NOT NULL, maybe_amount DECIMAL(30, 10) NULL
        );
        CREATE TABLE documents (
            id BINARY(16) PRIMARY KEY, title VARCHAR(200) NOT NULL, parent_id BINARY(16) NULL
        );
        CREATE TABLE labels (id BINARY(16) PRIMARY KEY, name VARCHAR(200) NOT NULL);
        CREATE TABLE topics (code VARCHAR(100) PRIMARY KEY, name VARCHAR(200) NOT NULL);
        CREATE TABLE document_label (
            document_id BINARY(16) NOT NULL,
            label_id BINARY(16) NOT NULL,
            noted_at DATETIME(6) NULL, noted_utc TIMESTAMP(6) NULL, noted_on DATE NULL,
            ref_id BINARY(16) NULL, meta JSON NULL, prefs JSON NULL, price DECIMAL(20, 4) NULL,
            created_at DATETIME(6) NULL, updated_at DATETIME(6) NULL,
            PRIMARY KEY (document_id, label_id),
            FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
            FOREIGN KEY (label_id) REFERENCES labels (id) ON DELETE CASCADE
        );
        CREATE TABLE document_topic (
            document_id BINARY(16) NOT NULL,
            topic_code VARCHAR(100) NOT NULL,
            PRIMARY KEY (document_id, topic_code),
            FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
            FOREIGN KEY (topic_code) REFERENCES topics (code) ON DELETE CASCADE
        );
    ";
}

/// Creates the tables of these tests in the test's fresh database.
async fn schema<DB>(pool: &sqlx::Pool<DB>) -> Result<(), sqlx::Error>
where
    DB: TypesSchema,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(DB::DDL).execute(pool).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Models.

/// Every `chrono` type as a field.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "chrono_rows")]
pub struct ChronoRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub at_utc: DateTime<Utc>,
    pub day: NaiveDate,
    pub maybe_at: Option<NaiveDateTime>,
    pub maybe_day: Option<NaiveDate>,
}

/// Every `time` type as a field.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "time_rows")]
pub struct TimeRow {
    pub id: i64,
    pub at: time::PrimitiveDateTime,
    pub at_offset: time::OffsetDateTime,
    pub day: time::Date,
    pub maybe_at: Option<time::PrimitiveDateTime>,
    pub maybe_day: Option<time::Date>,
}

/// A typed JSON document.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Prefs {
    pub theme: String,
    pub sizes: Vec<i32>,
}

/// `serde_json::Value` and `Json<T>` as fields.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "json_rows")]
pub struct JsonRow {
    pub id: i64,
    pub doc: serde_json::Value,
    pub prefs: Json<Prefs>,
    pub maybe_doc: Option<serde_json::Value>,
}

/// A model keyed by a `Uuid` the application chooses, with Uuid-keyed and String-keyed
/// many-to-many relations. All the label relations share the pivot `document_label`, each
/// reading its own columns as typed pivot data.
#[derive(Model, Debug, Clone)]
pub struct Document {
    pub id: Uuid,
    pub title: String,
    pub parent_id: Option<Uuid>,

    /// Uuid keys on both sides; pivot data of `chrono` types; pivot timestamps.
    #[many_to_many(pivot = "document_label", pivot_timestamps)]
    pub labels: ManyToMany<Label, ChronoNote>,
    /// The same pivot columns read as `time` types.
    #[many_to_many(pivot = "document_label", pivot_timestamps)]
    pub timed_labels: ManyToMany<Label, TimeNote>,
    /// Pivot data of `uuid` and `json` types.
    #[many_to_many(pivot = "document_label", pivot_timestamps)]
    pub referenced_labels: ManyToMany<Label, RefNote>,
    /// The pivot timestamps themselves as typed pivot data: read, and ignored on writes (the
    /// ORM sets them).
    #[many_to_many(pivot = "document_label", pivot_timestamps)]
    pub stamped_labels: ManyToMany<Label, Stamps>,
    /// Only `created_at`, as pivot data; no `updated_at`.
    #[many_to_many(pivot = "document_label", pivot_timestamps(updated_at = false))]
    pub created_labels: ManyToMany<Label, Created>,
    /// A Uuid local key and a String related key.
    #[many_to_many(pivot = "document_topic", related_key = "code")]
    pub topics: ManyToMany<Topic>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Label {
    pub id: Uuid,
    pub name: String,
}

/// A model keyed by a String, related to Uuid-keyed documents.
#[derive(Model, Debug, Clone)]
pub struct Topic {
    #[model(primary_key)]
    pub code: String,
    pub name: String,
    /// A String local key and a Uuid related key.
    #[many_to_many(pivot = "document_topic", local_key = "code")]
    pub documents: ManyToMany<Document>,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct ChronoNote {
    pub noted_at: Option<NaiveDateTime>,
    pub noted_utc: Option<DateTime<Utc>>,
    pub noted_on: Option<NaiveDate>,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct TimeNote {
    pub noted_at: Option<time::PrimitiveDateTime>,
    pub noted_utc: Option<time::OffsetDateTime>,
    pub noted_on: Option<time::Date>,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct RefNote {
    pub ref_id: Option<Uuid>,
    pub meta: Option<serde_json::Value>,
    pub prefs: Option<Json<Prefs>>,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Stamps {
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<time::PrimitiveDateTime>,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Created {
    pub created_at: Option<NaiveDateTime>,
}

// ---------------------------------------------------------------------------------------------
// Values.

fn dt(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, micro: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_micro_opt(h, min, s, micro))
        .expect("a valid date-time")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn tdt(y: i32, m: u8, d: u8, h: u8, min: u8, s: u8, micro: u32) -> time::PrimitiveDateTime {
    let month = time::Month::try_from(m).expect("a month");
    let date = time::Date::from_calendar_date(y, month, d).expect("a valid date");
    let time = time::Time::from_hms_micro(h, min, s, micro).expect("a valid time");
    time::PrimitiveDateTime::new(date, time)
}

fn tdate(y: i32, m: u8, d: u8) -> time::Date {
    let month = time::Month::try_from(m).expect("a month");
    time::Date::from_calendar_date(y, month, d).expect("a valid date")
}

fn uuid(n: u128) -> Uuid {
    // Not sequential in the first bytes, so byte order matters in comparisons and sorting.
    Uuid::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834) ^ 0x5555)
}

fn prefs(theme: &str) -> Prefs {
    Prefs {
        theme: theme.into(),
        sizes: vec![1, 2, 3],
    }
}

/// Documents d1, d2 and labels l1..=l{n} (uuids 101.. and 1..).
async fn seed<E>(exec: E, labels: u128) -> orm::Result<(Document, Document, Vec<Uuid>)>
where
    E: orm::Executor,
    Document: orm::ModelRow<E::Backend>,
    Label: orm::ModelRow<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let d1 = Document::create(
        &mut conn,
        NewDocument {
            id: uuid(101),
            title: "d1".into(),
            parent_id: None,
        },
    )
    .await?;
    let d2 = Document::create(
        &mut conn,
        NewDocument {
            id: uuid(102),
            title: "d2".into(),
            parent_id: Some(d1.id),
        },
    )
    .await?;
    let ids: Vec<Uuid> = (1..=labels).map(uuid).collect();
    Label::insert_many(
        &mut conn,
        ids.iter().enumerate().map(|(i, id)| NewLabel {
            id: *id,
            name: format!("l{}", i + 1),
        }),
    )
    .await?;
    Ok((d1, d2, ids))
}

fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort();
    items
}

fn label_ids<P>(rows: &[orm::Pivoted<Label, P>]) -> Vec<Uuid> {
    sorted(&rows.iter().map(|r| r.id).collect::<Vec<_>>())
}

backend_tests! {
    async fn chrono_fields_round_trip_with_nulls(pool) {
        schema(&pool).await?;
        let full = ChronoRow::create(&pool, NewChronoRow {
            at: dt(2026, 12, 7, 12, 30, 45, 123_456),
            at_utc: dt(2030, 1, 2, 3, 4, 5, 600_000).and_utc(),
            day: date(1999, 12, 31),
            maybe_at: Some(dt(2001, 2, 3, 4, 5, 6, 0)),
            maybe_day: Some(date(2024, 2, 29)),
        }).await?;
        let empty = ChronoRow::create(&pool, NewChronoRow {
            at: dt(1970, 1, 1, 0, 0, 1, 0),
            at_utc: dt(2000, 6, 15, 23, 59, 59, 999_999).and_utc(),
            day: date(2000, 1, 1),
            maybe_at: None,
            maybe_day: None,
        }).await?;
        assert_eq!(ChronoRow::find(&pool, full.id).await?, Some(full.clone()));
        assert_eq!(ChronoRow::find(&pool, empty.id).await?, Some(empty.clone()));
        // Bound as filter values, and updated.
        let found = ChronoRow::query().where_eq("day", date(1999, 12, 31)).fetch_all(&pool).await?;
        assert_eq!(found, std::slice::from_ref(&full));
        let later = ChronoRow::query().where_op("at", Op::Gt, dt(2000, 1, 1, 0, 0, 0, 0)).fetch_all(&pool).await?;
        assert_eq!(later, std::slice::from_ref(&full));
        let mut changed = empty.clone();
        changed.maybe_at = Some(dt(2011, 11, 11, 11, 11, 11, 110_000));
        changed.update(&pool).await?;
        assert_eq!(ChronoRow::find(&pool, empty.id).await?, Some(changed));
        Ok(())
    }

    async fn time_fields_round_trip_with_nulls(pool) {
        schema(&pool).await?;
        let full = TimeRow::create(&pool, NewTimeRow {
            at: tdt(2026, 12, 7, 12, 30, 45, 123_456),
            at_offset: tdt(2030, 1, 2, 3, 4, 5, 600_000).assume_utc(),
            day: tdate(1999, 12, 31),
            maybe_at: Some(tdt(2001, 2, 3, 4, 5, 6, 0)),
            maybe_day: Some(tdate(2024, 2, 29)),
        }).await?;
        let empty = TimeRow::create(&pool, NewTimeRow {
            at: tdt(1970, 1, 1, 0, 0, 1, 0),
            at_offset: tdt(2000, 6, 15, 23, 59, 59, 999_999).assume_utc(),
            day: tdate(2000, 1, 1),
            maybe_at: None,
            maybe_day: None,
        }).await?;
        assert_eq!(TimeRow::find(&pool, full.id).await?, Some(full.clone()));
        assert_eq!(TimeRow::find(&pool, empty.id).await?, Some(empty.clone()));
        let found = TimeRow::query().where_eq("day", tdate(2000, 1, 1)).fetch_all(&pool).await?;
        assert_eq!(found, [empty]);
        Ok(())
    }

    async fn json_fields_round_trip_with_nulls(pool) {
        schema(&pool).await?;
        let doc = serde_json::json!({"a": [1, 2, {"b": null}], "c": "text \" quoted", "d": 1.5});
        let full = JsonRow::create(&pool, NewJsonRow {
            doc: doc.clone(),
            prefs: Json(prefs("dark")),
            maybe_doc: Some(serde_json::json!([true, false])),
        }).await?;
        let empty = JsonRow::create(&pool, NewJsonRow {
            doc: serde_json::json!("just a string"),
            prefs: Json(prefs("light")),
            maybe_doc: None,
        }).await?;
        assert_eq!(JsonRow::find(&pool, full.id).await?, Some(full.clone()));
        assert_eq!(JsonRow::find(&pool, empty.id).await?, Some(empty.clone()));
        assert_eq!(full.doc, doc);
        let mut changed = empty.clone();
        changed.prefs.0.sizes.push(4);
        changed.maybe_doc = Some(serde_json::json!({}));
        changed.update(&pool).await?;
        assert_eq!(JsonRow::find(&pool, empty.id).await?, Some(changed));
        Ok(())
    }

    async fn uuid_primary_keys_and_fields_round_trip(pool) {
        schema(&pool).await?;
        let (d1, d2, _) = seed(&pool, 0).await?;
        let found = Document::find(&pool, uuid(102)).await?.expect("d2");
        assert_eq!((found.id, found.title.as_str(), found.parent_id), (d2.id, "d2", Some(d1.id)));
        assert_eq!(Document::find(&pool, uuid(101)).await?.map(|d| d.parent_id), Some(None));
        assert!(Document::find(&pool, uuid(999)).await?.is_none());
        let children = Document::query().where_eq("parent_id", d1.id).fetch_all(&pool).await?;
        assert_eq!(children.iter().map(|d| d.id).collect::<Vec<_>>(), [d2.id]);
        let mut renamed = found.clone();
        renamed.title = "renamed".into();
        renamed.parent_id = None;
        renamed.update(&pool).await?;
        let again = Document::find(&pool, d2.id).await?.expect("d2");
        assert_eq!((again.title.as_str(), again.parent_id), ("renamed", None));
        again.delete(&pool).await?;
        assert!(Document::find(&pool, d2.id).await?.is_none());
        Ok(())
    }

    async fn uuid_keys_attach_sync_detach_and_preload(pool) {
        schema(&pool).await?;
        let (d1, d2, l) = seed(&pool, 4).await?;
        let labels = d1.related(Document::labels());
        assert_eq!(sorted(&labels.attach(&pool, [l[0], l[1], l[1]]).await?), sorted(&[l[0], l[1]]));
        assert!(labels.attach(&pool, [l[0], l[1]]).await?.is_empty(), "attach never duplicates");
        assert_eq!(d2.related(Document::labels()).attach(&pool, [l[3]]).await?, [l[3]]);
        let report = labels.sync(&pool, [l[1], l[2]]).await?;
        assert_eq!(report.attached, [l[2]]);
        assert_eq!(report.detached, [l[0]]);
        assert_eq!(report.unchanged, [l[1]]);
        assert_eq!(label_ids(&labels.query().fetch_all(&pool).await?), sorted(&[l[1], l[2]]));
        // Preload: one statement for the relation, rows grouped back to their documents.
        let (docs, statements) = common::count_statements(
            Document::query().order_by("title", Order::Asc).preload(Document::labels()).fetch_all(&pool),
        ).await;
        let docs = docs?;
        assert_eq!(statements.queries().len(), 2, "{statements:?}");
        assert_eq!(label_ids(docs[0].labels.get()?), sorted(&[l[1], l[2]]));
        assert_eq!(label_ids(docs[1].labels.get()?), [l[3]]);
        // The pivot keys are in the extras, as Uuids.
        for row in docs[0].labels.get()? {
            assert_eq!(row.extras().get::<Uuid>("pivot_document_id")?, d1.id);
            assert_eq!(row.extras().get::<Uuid>("pivot_label_id")?, row.id);
        }
        // Keys in filters: where_in with a list, the related query's count.
        let some = Label::query().where_in("id", [l[0], l[3]]).order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(some.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), ["l1", "l4"]);
        assert_eq!(labels.query().count(&pool).await?, 2);
        assert_eq!(labels.detach(&pool, [l[2], l[3]]).await?, 1, "only this document's rows");
        let report = labels.sync(&pool, []).await?;
        assert_eq!(report.detached, [l[1]]);
        assert_eq!(d2.related(Document::labels()).query().count(&pool).await?, 1, "d2 untouched");
        Ok(())
    }

    async fn uuid_key_lists_longer_than_the_prepared_limit(pool) {
        // More than 64 keys: the statement is not prepared, the list is still one parameter.
        schema(&pool).await?;
        let (d1, d2, l) = seed(&pool, 150).await?;
        let labels = d1.related(Document::labels());
        assert_eq!(labels.attach(&pool, l[..100].iter().copied()).await?.len(), 100);
        let report = labels.sync(&pool, l[50..].iter().copied()).await?;
        assert_eq!((report.attached.len(), report.detached.len(), report.unchanged.len()), (50, 50, 50));
        assert_eq!(sorted(&report.detached), sorted(&l[..50]));
        d2.related(Document::labels()).attach(&pool, l.iter().copied()).await?;
        let docs = Document::query().preload(Document::labels()).order_by("title", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(label_ids(docs[0].labels.get()?), sorted(&l[50..]));
        assert_eq!(label_ids(docs[1].labels.get()?), sorted(&l));
        assert_eq!(d2.related(Document::labels()).detach(&pool, l[..120].iter().copied()).await?, 120);
        Ok(())
    }

    async fn string_and_uuid_keys_mixed_attach_sync_and_preload(pool) {
        schema(&pool).await?;
        let (d1, d2, _) = seed(&pool, 0).await?;
        Topic::insert_many(&pool, ["rust", "sql", "uuid \"quoted\""].map(|c| NewTopic { code: c.into(), name: c.to_uppercase() })).await?;
        // Uuid local key, String related key.
        let topics = d1.related(Document::topics());
        assert_eq!(sorted(&topics.attach(&pool, ["rust".to_string(), "sql".to_string()]).await?), ["rust", "sql"]);
        let report = topics.sync(&pool, ["sql".to_string(), "uuid \"quoted\"".to_string()]).await?;
        assert_eq!((report.attached, report.detached), (vec!["uuid \"quoted\"".to_string()], vec!["rust".to_string()]));
        // String local key, Uuid related key.
        let rust = Topic::find(&pool, "rust".to_string()).await?.expect("rust");
        let documents = rust.related(Topic::documents());
        assert_eq!(sorted(&documents.attach(&pool, [d1.id, d2.id]).await?), sorted(&[d1.id, d2.id]));
        let report = documents.sync(&pool, [d2.id]).await?;
        assert_eq!((report.detached, report.unchanged), (vec![d1.id], vec![d2.id]));
        let topics = Topic::query().order_by("code", Order::Asc).preload(Topic::documents()).fetch_all(&pool).await?;
        let docs_of = |i: usize| -> orm::Result<Vec<Uuid>> {
            Ok(sorted(&topics[i].documents.get()?.iter().map(|d| d.id).collect::<Vec<_>>()))
        };
        assert_eq!((docs_of(0)?, docs_of(1)?, docs_of(2)?), (vec![d2.id], vec![d1.id], vec![d1.id]));
        for row in topics[0].documents.get()? {
            assert_eq!(row.extras().get::<String>("pivot_topic_code")?, "rust");
            assert_eq!(row.extras().get::<Uuid>("pivot_document_id")?, d2.id);
        }
        let docs = Document::query().order_by("title", Order::Asc).preload(Document::topics()).fetch_all(&pool).await?;
        let codes: Vec<Vec<String>> = docs.iter().map(|d| Ok(sorted(&d.topics.get()?.iter().map(|t| t.code.clone()).collect::<Vec<_>>()))).collect::<orm::Result<_>>()?;
        assert_eq!(codes, [vec!["sql".to_string(), "uuid \"quoted\"".to_string()], vec!["rust".to_string()]]);
        Ok(())
    }

    async fn chrono_and_time_pivot_data_read_the_same_columns(pool) {
        schema(&pool).await?;
        let (d1, _, l) = seed(&pool, 3).await?;
        let note = ChronoNote {
            noted_at: Some(dt(2026, 12, 7, 12, 0, 0, 250_000)),
            noted_utc: Some(dt(2027, 3, 4, 5, 6, 7, 0).and_utc()),
            noted_on: Some(date(2026, 12, 7)),
        };
        let empty = ChronoNote { noted_at: None, noted_utc: None, noted_on: None };
        let labels = d1.related(Document::labels());
        labels.attach_with(&pool, [(l[0], note.clone()), (l[1], empty.clone())]).await?;
        let rows = labels.query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(rows.iter().map(|r| r.pivot().clone()).collect::<Vec<_>>(), [note.clone(), empty.clone()]);
        // The same columns as `time` types.
        let timed = d1.related(Document::timed_labels()).query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(timed[0].pivot(), &TimeNote {
            noted_at: Some(tdt(2026, 12, 7, 12, 0, 0, 250_000)),
            noted_utc: Some(tdt(2027, 3, 4, 5, 6, 7, 0).assume_utc()),
            noted_on: Some(tdate(2026, 12, 7)),
        });
        assert_eq!(timed[1].pivot(), &TimeNote { noted_at: None, noted_utc: None, noted_on: None });
        // sync_with updates the rows whose data differs, through the time relation too.
        let later = ChronoNote { noted_at: Some(dt(2030, 1, 1, 0, 0, 0, 1)), ..note.clone() };
        let report = labels.sync_with(&pool, [(l[0], later.clone()), (l[1], empty.clone()), (l[2], note.clone())]).await?;
        assert_eq!((report.updated, report.unchanged, report.attached), (vec![l[0]], vec![l[1]], vec![l[2]]));
        let timed = d1.related(Document::timed_labels());
        let t = TimeNote { noted_at: Some(tdt(2031, 5, 6, 7, 8, 9, 0)), noted_utc: None, noted_on: None };
        timed.update_pivot(&pool, l[2], t.clone()).await?;
        let rows = labels.query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(rows[0].pivot(), &later);
        assert_eq!(rows[2].pivot().noted_at, Some(dt(2031, 5, 6, 7, 8, 9, 0)));
        // Preloaded pivot data.
        let docs = Document::query().where_eq("id", d1.id).preload(Document::timed_labels()).fetch_all(&pool).await?;
        let mut data: Vec<_> = docs[0].timed_labels.get()?.iter().map(|r| (r.name.clone(), r.pivot().clone())).collect();
        data.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(data[2].1, t);
        Ok(())
    }

    async fn uuid_and_json_pivot_data(pool) {
        schema(&pool).await?;
        let (d1, _, l) = seed(&pool, 3).await?;
        let note = RefNote {
            ref_id: Some(uuid(7)),
            meta: Some(serde_json::json!({"k": [1, "two"]})),
            prefs: Some(Json(prefs("dark"))),
        };
        let empty = RefNote { ref_id: None, meta: None, prefs: None };
        let refs = d1.related(Document::referenced_labels());
        refs.attach_with(&pool, [(l[0], note.clone()), (l[1], empty.clone())]).await?;
        let rows = refs.query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(rows.iter().map(|r| r.pivot().clone()).collect::<Vec<_>>(), [note.clone(), empty.clone()]);
        let changed = RefNote { prefs: Some(Json(prefs("light"))), ..note.clone() };
        let report = refs.sync_with(&pool, [(l[0], changed.clone()), (l[1], empty.clone())]).await?;
        assert_eq!((report.updated, report.unchanged), (vec![l[0]], vec![l[1]]));
        // Pivot filters bind these types too.
        let rows = refs.query().where_pivot("ref_id", uuid(7)).fetch_all(&pool).await?;
        assert_eq!(rows.iter().map(|r| r.pivot().clone()).collect::<Vec<_>>(), [changed]);
        Ok(())
    }

    async fn every_type_is_readable_from_extras(pool) {
        schema(&pool).await?;
        let (d1, _, l) = seed(&pool, 2).await?;
        let note = ChronoNote {
            noted_at: Some(dt(2026, 12, 7, 12, 0, 0, 250_000)),
            noted_utc: Some(dt(2027, 3, 4, 5, 6, 7, 0).and_utc()),
            noted_on: Some(date(2026, 12, 7)),
        };
        d1.related(Document::labels()).attach_with(&pool, [(l[0], note.clone())]).await?;
        d1.related(Document::referenced_labels()).update_pivot(&pool, l[0], RefNote {
            ref_id: Some(uuid(7)),
            meta: Some(serde_json::json!({"k": 1})),
            prefs: Some(Json(prefs("dark"))),
        }).await?;
        d1.related(Document::labels()).attach(&pool, [l[1]]).await?;
        let columns = ["noted_at", "noted_utc", "noted_on", "ref_id", "meta", "prefs"];
        let rows = d1.related(Document::stamped_labels()).query()
            .pivot_columns(columns).order_by("name", Order::Asc).fetch_all(&pool).await?;
        let extras = rows[0].extras();
        assert_eq!(extras.get::<NaiveDateTime>("pivot_noted_at")?, dt(2026, 12, 7, 12, 0, 0, 250_000));
        assert_eq!(extras.get::<time::PrimitiveDateTime>("pivot_noted_at")?, tdt(2026, 12, 7, 12, 0, 0, 250_000));
        assert_eq!(extras.get::<DateTime<Utc>>("pivot_noted_utc")?, dt(2027, 3, 4, 5, 6, 7, 0).and_utc());
        assert_eq!(extras.get::<time::OffsetDateTime>("pivot_noted_utc")?, tdt(2027, 3, 4, 5, 6, 7, 0).assume_utc());
        assert_eq!(extras.get::<NaiveDate>("pivot_noted_on")?, date(2026, 12, 7));
        assert_eq!(extras.get::<time::Date>("pivot_noted_on")?, tdate(2026, 12, 7));
        assert_eq!(extras.get::<Uuid>("pivot_ref_id")?, uuid(7));
        assert_eq!(extras.get::<serde_json::Value>("pivot_meta")?, serde_json::json!({"k": 1}));
        assert_eq!(extras.get::<Json<Prefs>>("pivot_prefs")?.0, prefs("dark"));
        // NULLs read as None, and never as another kind.
        let extras = rows[1].extras();
        assert_eq!(extras.get::<Option<NaiveDateTime>>("pivot_noted_at")?, None);
        assert_eq!(extras.get::<Option<time::OffsetDateTime>>("pivot_noted_utc")?, None);
        assert_eq!(extras.get::<Option<Uuid>>("pivot_ref_id")?, None);
        assert_eq!(extras.get::<Option<serde_json::Value>>("pivot_meta")?, None);
        assert!(extras.get::<Uuid>("pivot_ref_id").is_err());
        // The same through a preload closure.
        let docs = Document::query().where_eq("id", d1.id)
            .preload_with(Document::labels(), |q| q.pivot_columns(["noted_at", "ref_id"]).order_by("name", Order::Asc))
            .fetch_all(&pool).await?;
        let rows = docs[0].labels.get()?;
        assert_eq!(rows[0].extras().get::<time::PrimitiveDateTime>("pivot_noted_at")?, tdt(2026, 12, 7, 12, 0, 0, 250_000));
        assert_eq!(rows[0].extras().get::<Uuid>("pivot_ref_id")?, uuid(7));
        Ok(())
    }

    async fn pivot_timestamps_read_as_typed_date_times(pool) {
        schema(&pool).await?;
        let (d1, _, l) = seed(&pool, 2).await?;
        let before = Utc::now();
        let labels = d1.related(Document::labels());
        labels.attach(&pool, [l[0], l[1]]).await?;
        let rows = labels.query().pivot_columns(["created_at", "updated_at"]).order_by("name", Order::Asc).fetch_all(&pool).await?;
        let created = rows[0].extras().get::<NaiveDateTime>("pivot_created_at")?;
        assert_eq!(rows[0].extras().get::<NaiveDateTime>("pivot_updated_at")?, created, "inserts set both");
        // The dialect's "now" is the server's local time on PostgreSQL (LOCALTIMESTAMP): within a
        // day of ours whatever the server's time zone.
        let skew = (created - before.naive_utc()).num_hours().abs();
        assert!(skew <= 24, "created_at {created} is far from now {before}");
        let created_time = rows[0].extras().get::<time::PrimitiveDateTime>("pivot_created_at")?;
        assert_eq!(created_time.second(), u8::try_from(chrono::Timelike::second(&created))?);
        assert_eq!(created_time.microsecond(), chrono::Timelike::nanosecond(&created) / 1000);
        // Typed pivot data reads them too.
        let stamped = d1.related(Document::stamped_labels()).query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(stamped[0].pivot().created_at, Some(created));
        assert_eq!(stamped[0].pivot().updated_at, Some(created_time));
        // An update of the pivot data moves updated_at, not created_at.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        labels.update_pivot(&pool, l[0], ChronoNote { noted_at: None, noted_utc: None, noted_on: Some(date(2020, 1, 1)) }).await?;
        let stamped = d1.related(Document::stamped_labels()).query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        let updated = stamped[0].pivot().updated_at.expect("updated_at");
        assert_eq!(stamped[0].pivot().created_at, Some(created));
        assert!(updated > created_time, "{updated} > {created_time}");
        // In a preload.
        let docs = Document::query().where_eq("id", d1.id)
            .preload_with(Document::stamped_labels(), |q| q.pivot_columns(["created_at"]))
            .fetch_all(&pool).await?;
        for row in docs[0].stamped_labels.get()? {
            let at = row.extras().get::<NaiveDateTime>("pivot_created_at")?;
            assert_eq!(Some(at), row.pivot().created_at);
        }
        Ok(())
    }

    async fn pivot_data_fields_of_the_timestamps_are_set_by_the_orm(pool) {
        // A pivot data field named like a pivot timestamp reads it; every write ignores its
        // value: inserts set both timestamps to now, updates set updated_at to now.
        schema(&pool).await?;
        let (d1, _, l) = seed(&pool, 4).await?;
        let stamped = d1.related(Document::stamped_labels());
        let none = Stamps { created_at: None, updated_at: None };
        let old = Stamps { created_at: Some(dt(2000, 1, 1, 0, 0, 0, 0)), updated_at: Some(tdt(2000, 1, 1, 0, 0, 0, 0)) };
        stamped.attach_with(&pool, [(l[0], none.clone()), (l[1], old.clone())]).await?;
        stamped.attach(&pool, [l[2]]).await?;
        let rows = stamped.query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        let year = |p: &Stamps| p.created_at.map(|c| chrono::Datelike::year(&c));
        for row in &rows {
            let p = row.pivot();
            assert!(year(p) > Some(2020), "{p:?}");
            assert_eq!(p.updated_at.map(|u| u.microsecond()), p.created_at.map(|c| chrono::Timelike::nanosecond(&c) / 1000));
        }
        let created = rows[0].pivot().created_at;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(stamped.update_pivot(&pool, l[0], old.clone()).await?);
        stamped.pivot_query().where_pivot("label_id", l[1]).update(&pool, none.clone()).await?;
        let report = stamped.sync_with(&pool, [(l[0], none.clone()), (l[1], none.clone()), (l[2], none.clone()), (l[3], old.clone())]).await?;
        assert_eq!(report.attached, [l[3]]);
        let rows = stamped.query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(rows[0].pivot().created_at, created, "created_at is never overwritten");
        for row in &rows {
            let p = row.pivot();
            assert!(year(p) > Some(2020), "{p:?}");
            assert!(p.updated_at.is_some());
        }
        // Only created_at, without updated_at: an update has nothing to write, and succeeds.
        let created_only = d1.related(Document::created_labels());
        assert!(created_only.update_pivot(&pool, l[0], Created { created_at: None }).await?);
        created_only.detach(&pool, [l[0]]).await?;
        created_only.attach_with(&pool, [(l[0], Created { created_at: None })]).await?;
        let rows = created_only.query().order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert!(rows[0].pivot().created_at.is_some());
        Ok(())
    }
}

/// `rust_decimal::Decimal`: PostgreSQL and MariaDB only (sqlx has no decimal type for SQLite).
mod decimal {
    use super::*;
    use rust_decimal::Decimal;

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "decimal_rows")]
    pub struct DecimalRow {
        pub id: i64,
        pub amount: Decimal,
        pub maybe_amount: Option<Decimal>,
    }

    /// `documents` again, with a relation whose pivot data is a decimal.
    #[derive(Model, Debug, Clone)]
    #[model(table = "documents")]
    pub struct PricedDocument {
        pub id: Uuid,
        pub title: String,
        pub parent_id: Option<Uuid>,
        #[many_to_many(pivot = "document_label", pivot_foreign_key = "document_id")]
        pub labels: ManyToMany<Label, Price>,
    }

    #[derive(PivotData, Debug, Clone, PartialEq)]
    pub struct Price {
        pub price: Option<Decimal>,
    }

    macro_rules! decimal_tests {
        ($($tests:tt)*) => {
            backend_tests!(@backend postgres, sqlx::Postgres, sqlx::Postgres; $($tests)*);
            backend_tests!(@backend mysql, sqlx::MySql, sqlx::MySql; $($tests)*);
            backend_tests!(@backend pgbouncer, sqlx::Postgres, common::pgbouncer::Pgbouncer; $($tests)*);
        };
    }

    decimal_tests! {
        async fn decimal_fields_round_trip_with_nulls(pool) {
            schema(&pool).await?;
            let amount: Decimal = "12345678901234.5678".parse()?;
            let full = DecimalRow::create(&pool, NewDecimalRow { amount, maybe_amount: Some("-0.0000000001".parse()?) }).await?;
            let empty = DecimalRow::create(&pool, NewDecimalRow { amount: Decimal::new(-5, 1), maybe_amount: None }).await?;
            assert_eq!(DecimalRow::find(&pool, full.id).await?, Some(full.clone()));
            assert_eq!(DecimalRow::find(&pool, empty.id).await?, Some(empty.clone()));
            let big = DecimalRow::query().where_op("amount", Op::Gt, Decimal::ONE).fetch_all(&pool).await?;
            assert_eq!(big, [full]);
            Ok(())
        }

        async fn decimal_columns_created_by_the_schema_hold_their_values(pool) {
            let schema = orm::schema::Schema::<DB>::new().model::<DecimalRow>();
            schema.create_all(&pool).await?;
            schema.check(&pool).await?;
            // DECIMAL(38, 10) on MariaDB (NUMERIC on PostgreSQL): 28 integer digits, 10 decimals.
            let amount: Decimal = "1234567890123456789012345678.0123456789".parse()?;
            let row = DecimalRow::create(&pool, NewDecimalRow { amount, maybe_amount: None }).await?;
            assert_eq!(DecimalRow::find(&pool, row.id).await?.map(|r| (r.amount, r.maybe_amount)), Some((amount, None)));
            Ok(())
        }

        async fn decimal_pivot_data_and_extras(pool) {
            schema(&pool).await?;
            let (d1, _, l) = seed(&pool, 2).await?;
            let doc = PricedDocument::find(&pool, d1.id).await?.expect("d1");
            let labels = doc.related(PricedDocument::labels());
            let price = Price { price: Some("19.9900".parse()?) };
            labels.attach_with(&pool, [(l[0], price.clone()), (l[1], Price { price: None })]).await?;
            let rows = labels.query().pivot_columns(["price"]).order_by("name", Order::Asc).fetch_all(&pool).await?;
            assert_eq!(rows[0].pivot(), &price);
            assert_eq!(rows[1].pivot(), &Price { price: None });
            assert_eq!(rows[0].extras().get::<Decimal>("pivot_price")?, Decimal::new(1999, 2));
            assert_eq!(rows[1].extras().get::<Option<Decimal>>("pivot_price")?, None);
            let report = labels.sync_with(&pool, [(l[0], Price { price: Some(Decimal::new(2, 0)) }), (l[1], Price { price: None })]).await?;
            assert_eq!((report.updated, report.unchanged), (vec![l[0]], vec![l[1]]));
            Ok(())
        }
    }
}
