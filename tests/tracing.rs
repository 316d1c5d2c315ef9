//! Every statement the ORM runs is a `tracing` event with target `orm::sql`: the SQL, the
//! backend, the rows returned or affected and the time taken; the bound values only at TRACE;
//! on every backend.

mod common;
use common::models;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use models::*;
use orm::prelude::*;
use tracing::field::{Field, Visit};
use tracing::instrument::WithSubscriber;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// One captured `orm::sql` event: its level and fields as text.
#[derive(Debug, Clone)]
struct Captured {
    level: Level,
    fields: HashMap<String, String>,
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    fn sql(&self) -> &str {
        self.field("sql").unwrap_or("")
    }

    fn rows(&self) -> u64 {
        self.field("rows")
            .and_then(|r| r.parse().ok())
            .expect("a rows field")
    }
}

/// A layer that records `orm::sql` events and lets nothing more verbose than `max` through.
#[derive(Clone)]
struct Capture {
    max: Level,
    events: Arc<Mutex<Vec<Captured>>>,
}

impl Capture {
    fn new(max: Level) -> Self {
        Capture {
            max,
            events: Arc::default(),
        }
    }

    fn events(&self) -> Vec<Captured> {
        self.events.lock().expect("capture lock").clone()
    }
}

impl<S: Subscriber> Layer<S> for Capture {
    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        *metadata.level() <= self.max
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "orm::sql" {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.events.lock().expect("capture lock").push(Captured {
            level: *event.metadata().level(),
            fields: fields.0,
        });
    }
}

#[derive(Default)]
struct Fields(HashMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

backend_tests! {
    /// A create and a preload: each statement is one event carrying its SQL, backend, row
    /// count and duration, with the bound values at TRACE.
    async fn statements_are_events_with_sql_rows_and_duration(pool) {
        Skill::insert_many(&pool, ["rust", "go", "zig"].map(|n| NewSkill { name: n.into() })).await?;
        let capture = Capture::new(Level::TRACE);
        let (user, loaded) = async {
            let user = User::create(&pool, NewUser { username: "virk".into(), email: None }).await?;
            user.related(User::skills()).attach(&pool, [1, 3]).await?;
            let loaded = User::query().preload(User::skills()).fetch_all(&pool).await?;
            Ok::<_, orm::Error>((user, loaded))
        }
        .with_subscriber(Registry::default().with(capture.clone()))
        .await?;
        assert_eq!(loaded[0].skills.get()?.len(), 2);
        let events = capture.events();
        assert!(!events.is_empty());
        for event in &events {
            assert_eq!(event.level, Level::TRACE, "{event:?}");
            assert_eq!(event.field("backend"), Some(<DB as orm::Backend>::NAME));
            assert!(event.field("elapsed").is_some_and(|e| !e.is_empty()), "{event:?}");
            assert!(event.field("elapsed_secs").and_then(|s| s.parse::<f64>().ok()).is_some());
            assert!(event.field("binds").is_some(), "{event:?}");
            assert!(event.field("error").is_none(), "{event:?}");
        }

        let insert = events
            .iter()
            .find(|e| e.sql().starts_with("INSERT") && e.sql().contains("users"))
            .expect("the user's insert");
        assert_eq!(insert.rows(), 1);
        // The driver's rendering of the values: text on SQLite, the encoded bytes of "virk"
        // on PostgreSQL and MySQL.
        let binds = insert.field("binds").expect("binds");
        assert!(binds.contains("virk") || binds.contains("118, 105, 114, 107"), "{insert:?}");

        // The preload: the users, then their skills through the pivot (the last two statements
        // other than transaction control: behind a transaction pooler each runs in a
        // transaction of its own, README "Behind pgbouncer").
        let data: Vec<&Captured> = events.iter().filter(|e| !["BEGIN", "COMMIT"].contains(&e.sql())).collect();
        let [parents, skills] = &data[data.len() - 2..] else { unreachable!() };
        assert!(parents.sql().starts_with("SELECT") && parents.sql().contains("users"));
        assert_eq!(parents.rows(), 1);
        assert!(skills.sql().starts_with("SELECT") && skills.sql().contains("skill_user"));
        assert_eq!(skills.rows(), 2);
        // Values the ORM bound itself (a key list, filter values) are shown as written, on
        // every backend.
        assert_eq!(skills.field("binds"), Some(format!("[\"[{}]\"]", user.id).as_str()), "{skills:?}");
        assert!(user.id > 0);
        Ok(())
    }

    /// At DEBUG the values are left out; a failed statement carries its error; a stream
    /// reports the rows it read, also when dropped early.
    async fn values_only_at_trace_errors_and_streams(pool) {
        for i in 0..30 {
            User::create(&pool, NewUser { username: format!("u{i}"), email: None }).await?;
        }
        Skill::create(&pool, NewSkill { name: "rust".into() }).await?;
        let capture = Capture::new(Level::DEBUG);
        async {
            let user = User::query().order_by("id", Order::Asc).fetch_one(&pool).await?;
            user.related(User::skills()).attach(&pool, [1]).await?;
            // The pivot's unique key refuses a second row.
            let duplicate = SkillUser::create(
                &pool,
                NewSkillUser { user_id: user.id, skill_id: 1, proficiency: None },
            )
            .await;
            assert!(duplicate.is_err());
            let mut all = User::query().fetch(&pool);
            while all.try_next().await?.is_some() {}
            let mut some = User::query().order_by("id", Order::Asc).fetch(&pool);
            for _ in 0..5 {
                some.try_next().await?.expect("a row");
            }
            drop(some);
            Ok::<_, orm::Error>(())
        }
        .with_subscriber(Registry::default().with(capture.clone()))
        .await?;
        let events = capture.events();
        assert!(events.iter().all(|e| e.level == Level::DEBUG && e.field("binds").is_none()));
        let failed: Vec<_> = events.iter().filter(|e| e.field("error").is_some()).collect();
        assert_eq!(failed.len(), 1, "{events:?}");
        assert!(failed[0].sql().starts_with("INSERT") && failed[0].sql().contains("skill_user"));
        assert_eq!(failed[0].rows(), 0);
        let streamed: Vec<u64> = events
            .iter()
            .filter(|e| e.sql().starts_with("SELECT") && e.sql().contains("users"))
            .map(Captured::rows)
            .collect();
        // fetch_one, the whole stream, the dropped stream.
        assert_eq!(&streamed[streamed.len() - 2..], &[30, 5], "{events:?}");
        Ok(())
    }

    /// The transaction control of the ORM's own transactions is an event too, so counting
    /// `orm::sql` events counts every statement: a sync is BEGIN (BEGIN IMMEDIATE on SQLite),
    /// its statements, COMMIT; inside the caller's transaction a SAVEPOINT and its RELEASE; a
    /// failed sync ends with ROLLBACK. Behind a transaction pooler a statement outside any
    /// transaction has a BEGIN and a COMMIT of its own.
    async fn transaction_control_is_an_event_too(pool) {
        let user = User::create(&pool, NewUser { username: "tx".into(), email: None }).await?;
        Skill::create(&pool, NewSkill { name: "rust".into() }).await?;
        let capture = Capture::new(Level::DEBUG);
        let begin = if <DB as orm::Backend>::NAME == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" };
        let failed = async {
            user.related(User::skills()).sync(&pool, [1]).await?;
            let mut tx = pool.begin().await?;
            user.related(User::skills()).sync(&mut *tx, Vec::<i64>::new()).await?;
            tx.rollback().await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(
                user.related(User::skills()).sync(&pool, [1, 999]).await.is_err(),
            )
        }
        .with_subscriber(Registry::default().with(capture.clone()))
        .await?;
        assert!(failed, "999 is not a skill");
        let control: Vec<String> = capture
            .events()
            .iter()
            .map(|e| e.sql().to_owned())
            .filter(|sql| ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].iter().any(|k| sql.starts_with(k)))
            .collect();
        let mut expected = vec![begin, "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", begin, "ROLLBACK"];
        if BEHIND_POOLER {
            // After the rollback, the read that names the missing key (999) runs outside any
            // transaction: behind a transaction pooler, in one of its own.
            expected.extend(["BEGIN", "COMMIT"]);
        }
        assert_eq!(
            control,
            expected,
            "{:?}",
            capture.events()
        );
        Ok(())
    }

    /// Without a subscriber that wants `orm::sql`, nothing is recorded (and nothing measured).
    async fn nothing_without_an_interested_subscriber(pool) {
        let capture = Capture::new(Level::INFO);
        async {
            User::create(&pool, NewUser { username: "quiet".into(), email: None }).await?;
            User::query().fetch_all(&pool).await?;
            Ok::<_, orm::Error>(())
        }
        .with_subscriber(Registry::default().with(capture.clone()))
        .await?;
        assert!(capture.events().is_empty());
        Ok(())
    }
}
