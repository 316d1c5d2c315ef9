//! Counts the statements sqlx sends, per test: a `tracing` layer on sqlx's `sqlx::query` events
//! that records each event into the nearest enclosing counting span. sqlx's SQLite worker thread
//! enters the caller's span, so this works on all three backends and across threads.

use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Instrument, Subscriber};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const SPAN_NAME: &str = "orm_statement_counter";

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct CountingLayer;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for CountingLayer {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: Context<'_, S>,
    ) {
        if attrs.metadata().name() == SPAN_NAME
            && let Some(span) = ctx.span(id)
        {
            span.extensions_mut().insert(Recorder::default());
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        // sqlx's event for every statement it sends; the ORM's own event for a statement read on
        // SQLite's fast read path (`raw = true`), which sqlx does not see.
        let target = event.metadata().target();
        if target != "sqlx::query" && target != "orm::sql" {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(recorder) = span.extensions().get::<Recorder>() {
                let mut visitor = StatementText::default();
                event.record(&mut visitor);
                if target == "orm::sql" && !visitor.raw {
                    return;
                }
                let text = if visitor.statement.trim().is_empty() {
                    visitor.summary
                } else {
                    visitor.statement
                };
                if std::env::var_os("ORM_TEST_TIMINGS").is_some() {
                    eprintln!("{:>14} {}", visitor.elapsed, &text[..text.len().min(90)]);
                }
                recorder
                    .0
                    .lock()
                    .expect("recorder lock")
                    .push(text.trim().to_owned());
                return;
            }
        }
    }
}

#[derive(Default)]
struct StatementText {
    summary: String,
    statement: String,
    elapsed: String,
    /// An `orm::sql` event of the fast read path.
    raw: bool,
}

impl Visit for StatementText {
    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "raw" {
            self.raw = value;
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_owned(),
            "db.statement" | "sql" => self.statement = value.to_owned(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        let text = text.trim_matches('"').to_owned();
        match field.name() {
            "summary" => self.summary = text,
            "db.statement" | "sql" => self.statement = text,
            "elapsed" => self.elapsed = text,
            _ => {}
        }
    }
}

fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = Registry::default().with(CountingLayer);
        tracing::subscriber::set_global_default(subscriber)
            .expect("the statement counter is the only subscriber");
    });
}

/// The statements a piece of work sent, in order.
#[derive(Debug, Clone)]
pub struct Statements(Vec<String>);

impl Statements {
    /// Statements other than transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE)
    /// and the settings sqlx sends when it opens a connection (PRAGMA, SET).
    pub fn queries(&self) -> Vec<&str> {
        self.0
            .iter()
            .map(String::as_str)
            .filter(|s| !is_transaction_control(s) && !is_connection_setup(s))
            .collect()
    }

    /// How many statements other than transaction control ran.
    pub fn count(&self) -> usize {
        self.queries().len()
    }

    /// How many of the queries start with `keyword` (case-insensitive), e.g. `SELECT`.
    pub fn count_of(&self, keyword: &str) -> usize {
        self.queries()
            .iter()
            .filter(|s| first_word(s).eq_ignore_ascii_case(keyword))
            .count()
    }

    /// How many transaction-control statements ran (BEGIN, COMMIT, SAVEPOINT, ...).
    pub fn transaction_control(&self) -> usize {
        self.0.iter().filter(|s| is_transaction_control(s)).count()
    }

    /// Every statement, transaction control included.
    pub fn all(&self) -> &[String] {
        &self.0
    }
}

fn first_word(sql: &str) -> &str {
    sql.split_whitespace().next().unwrap_or("")
}

fn is_connection_setup(sql: &str) -> bool {
    let word = first_word(sql).to_ascii_uppercase();
    matches!(word.as_str(), "PRAGMA" | "SET")
}

fn is_transaction_control(sql: &str) -> bool {
    let word = first_word(sql).to_ascii_uppercase();
    matches!(
        word.as_str(),
        "BEGIN" | "COMMIT" | "ROLLBACK" | "SAVEPOINT" | "RELEASE" | "START"
    )
}

/// Runs `work` and returns its output with the statements it sent.
pub async fn count_statements<F: Future>(work: F) -> (F::Output, Statements) {
    install();
    let span = tracing::info_span!("orm_statement_counter");
    let recorder = span
        .with_subscriber(|(id, dispatch)| {
            let registry = dispatch.downcast_ref::<Registry>()?;
            registry.span(id)?.extensions().get::<Recorder>().cloned()
        })
        .flatten()
        .expect("the statement counter span has a recorder");
    let output = work.instrument(span).await;
    let statements = recorder.0.lock().expect("recorder lock").clone();
    (output, Statements(statements))
}

/// Installs the counter early so that sqlx sees an interested subscriber from the first query.
pub fn init() {
    install();
}
