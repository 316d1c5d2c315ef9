//! The statement shapes that distributed PostgreSQL (CockroachDB, YugabyteDB, Citus) rejects or
//! reads differently, found in SQL text: what `tests/distributed.rs` asserts that the
//! distributed flavor never sends, and [`Sent`], which collects a test's statements and checks
//! them. (The README's "Distributed PostgreSQL" table says why each shape is avoided.)

use orm::PostgresFlavor;

use crate::common::Statements;

/// Every way `sql` breaks the distributed flavor's rules, empty when it keeps them all.
pub fn broken_rules(sql: &str) -> Vec<String> {
    let mut broken = Vec::new();
    let mutations = mutations(sql);
    if mutations > 1 {
        broken.push(format!("{mutations} mutations in one statement"));
    }
    for cte in ["AS (DELETE", "AS (UPDATE", "AS (INSERT"] {
        if sql.contains(cte) {
            broken.push(format!("a data-modifying CTE (`{cte}`)"));
        }
    }
    let locking = [
        " FOR UPDATE",
        " FOR NO KEY UPDATE",
        " FOR SHARE",
        " FOR KEY SHARE",
    ]
    .iter()
    .any(|clause| sql.contains(clause));
    if locking && (sql.contains(" JOIN ") || sql.starts_with("WITH ")) {
        broken.push("a row lock on a join or inside a CTE".to_owned());
    }
    for call in ["ANY(", "UNNEST("] {
        for (at, _) in sql.match_indices(call) {
            if !is_cast_placeholder(&sql[at + call.len()..]) {
                broken.push(format!(
                    "an array parameter without a cast: `{}`",
                    excerpt(sql, at)
                ));
            }
        }
    }
    if sql.starts_with("INSERT") && sql.contains("NOT EXISTS") {
        broken.push("a correlated anti-join in an INSERT ... SELECT".to_owned());
    }
    broken
}

/// How many `INSERT INTO`, `UPDATE "t"` and `DELETE FROM` the statement holds (an upsert's
/// `DO UPDATE SET` and a `FOR NO KEY UPDATE` are not mutations of their own).
fn mutations(sql: &str) -> usize {
    sql.matches("INSERT INTO ").count()
        + sql.matches("UPDATE \"").count()
        + sql.matches("DELETE FROM ").count()
}

/// Whether `rest` starts with `$<n>::<type>[]`.
fn is_cast_placeholder(rest: &str) -> bool {
    let Some(after_dollar) = rest.strip_prefix('$') else {
        return false;
    };
    let digits = after_dollar
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    let Some(cast) = after_dollar[digits..].strip_prefix("::") else {
        return false;
    };
    digits > 0 && cast.split(')').next().is_some_and(|ty| ty.ends_with("[]"))
}

fn excerpt(sql: &str, at: usize) -> String {
    sql[at..].chars().take(40).collect()
}

/// Every statement of `statements` that breaks a rule, with the rules it breaks.
pub fn offenders(statements: &[String]) -> Vec<(String, Vec<String>)> {
    statements
        .iter()
        .map(|sql| (sql.clone(), broken_rules(sql)))
        .filter(|(_, broken)| !broken.is_empty())
        .collect()
}

/// Whether statements are written for a distributed PostgreSQL here: on PostgreSQL, with the
/// flavor set.
pub fn distributed_postgres(backend: &str) -> bool {
    backend == "postgres" && orm::postgres_flavor() == PostgresFlavor::Distributed
}

/// Collects the statements of each step, labelled, for the checks at the end of a test.
#[derive(Default)]
pub struct Sent(Vec<(&'static str, Vec<String>)>);

impl Sent {
    pub fn add(&mut self, label: &'static str, statements: &Statements) {
        if std::env::var_os("ORM_PRINT_SQL").is_some() {
            for sql in statements.all() {
                println!("{label}: {sql}");
            }
        }
        self.0.push((
            label,
            statements
                .queries()
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        ));
    }

    /// On PostgreSQL in the distributed flavor, no statement breaks a rule of
    /// [`broken_rules`]; on SQLite and MySQL, no statement shows a trace of the flavor (a cast,
    /// a PostgreSQL row lock).
    pub fn check(&self, backend: &str) -> Result<(), String> {
        for (label, statements) in &self.0 {
            if distributed_postgres(backend) {
                let offenders = offenders(statements);
                if !offenders.is_empty() {
                    return Err(format!("{label}: {offenders:#?}"));
                }
            } else if backend != "postgres"
                && let Some(sql) = statements
                    .iter()
                    .find(|s| s.contains("::") || s.contains("NO KEY"))
            {
                return Err(format!(
                    "{label} on {backend}: the PostgreSQL flavor leaked: {sql}"
                ));
            }
        }
        Ok(())
    }
}

/// The rules are not vacuous: each standard-flavor shape the distributed flavor replaces breaks
/// one (statements as the standard flavor sends them on PostgreSQL).
#[test]
fn the_rules_catch_the_standard_shapes() {
    let standard = [
        (
            "WITH \"orm_parent\" AS (SELECT \"id\" FROM \"users\" WHERE \"id\" = $1 FOR NO KEY UPDATE) SELECT \"orm_pivot\".\"skill_id\" FROM \"orm_parent\" \
          LEFT JOIN \"skill_user\" AS \"orm_pivot\" ON \"orm_pivot\".\"user_id\" = \"orm_parent\".\"id\"",
            "row lock",
        ),
        (
            "WITH \"orm_deleted\" AS (DELETE FROM \"skill_user\" WHERE \"user_id\" = $1 AND NOT (\"skill_id\" = ANY($2::int8[])) RETURNING \"skill_id\") \
          SELECT \"orm_deleted\".\"skill_id\", CAST(1 AS BIGINT) FROM \"orm_deleted\"",
            "data-modifying CTE",
        ),
        (
            "SELECT \"users\".\"id\" FROM \"users\" WHERE (\"users\".\"id\" = ANY($1))",
            "without a cast",
        ),
        (
            "INSERT INTO \"user_tags\" (\"user_id\", \"tag_code\") SELECT $1, \"orm_keys\".\"value\" FROM UNNEST($2) AS \"orm_keys\"(value)",
            "without a cast",
        ),
        (
            "INSERT INTO \"t\" (\"a\") SELECT k.value FROM UNNEST($1::int8[]) AS k(value) WHERE NOT EXISTS (SELECT 1 FROM \"t\" WHERE \"t\".\"a\" = k.value)",
            "anti-join",
        ),
        (
            "WITH d AS (DELETE FROM \"t\" RETURNING \"a\") INSERT INTO \"t\" (\"a\") SELECT \"a\" FROM d",
            "2 mutations",
        ),
    ];
    for (sql, rule) in standard {
        let broken = broken_rules(sql);
        assert!(broken.iter().any(|b| b.contains(rule)), "{sql}: {broken:?}");
    }
    let upsert = "INSERT INTO \"tags\" (\"code\", \"label\") VALUES ($1, $2) ON CONFLICT (\"code\") DO UPDATE SET \"label\" = EXCLUDED.\"label\" RETURNING \"code\"";
    assert_eq!(broken_rules(upsert), Vec::<String>::new());
    assert_eq!(
        broken_rules("SELECT \"id\" FROM \"users\" WHERE \"id\" = $1 FOR NO KEY UPDATE"),
        Vec::<String>::new()
    );
}
