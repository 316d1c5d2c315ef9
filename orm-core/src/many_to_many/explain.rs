//! Errors of pivot writes, explained: a driver error names the relation, and a foreign-key
//! violation names the keys that do not exist (one more read, after the failed write).

use super::ops;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::model::ModelSchema;
use crate::relation::many_to_many::ManyToManyOn;

/// `result`, its error explained by [`explain`].
pub(super) async fn explained<R: ManyToManyOn<DB>, DB: Backend, T>(
    parent: &R::LocalKey,
    result: Result<T>,
    conn: &mut DB::Connection,
    operation: &'static str,
    keys: &[R::RelatedKey],
) -> Result<T> {
    match result {
        Ok(value) => Ok(value),
        Err(err) => Err(explain::<R, DB>(parent, err, conn, operation, keys).await),
    }
}

/// Turns a driver error into one that names the relation, and a foreign-key violation into
/// [`Error::ForeignKeyViolation`] naming the keys that do not exist.
pub(super) async fn explain<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    err: Error,
    conn: &mut DB::Connection,
    operation: &'static str,
    keys: &[R::RelatedKey],
) -> Error {
    let meta = R::meta();
    let context = |context: String| {
        format!(
            "cannot {operation} {}.{} (pivot `{}`): {context}",
            meta.parent, meta.relation, meta.pivot_table
        )
    };
    match err {
        Error::ConnectionLost {
            context: what,
            source,
        } => Error::ConnectionLost {
            context: context(what),
            source,
        },
        Error::Database {
            context: what,
            source,
        } => {
            let foreign_key = source
                .as_database_error()
                .is_some_and(|e| e.is_foreign_key_violation());
            if !foreign_key {
                return Error::Database {
                    context: context(what),
                    source,
                };
            }
            let detail = match ops::missing_related::<R, DB>(conn, keys).await {
                Some(missing) if !missing.is_empty() => format!(
                    "{}.{} = {}",
                    <R::Related as ModelSchema>::META.name,
                    meta.related_key,
                    preview(&missing)
                ),
                _ => format!("{}.{} = {}", meta.parent, meta.local_key, one_key(parent)),
            };
            Error::ForeignKeyViolation {
                model: meta.parent,
                relation: meta.relation,
                operation,
                detail,
                source,
            }
        }
        other => other,
    }
}

/// At most ten keys, each cut to a readable length, for error messages about long lists.
fn preview<K: std::fmt::Debug>(keys: &[K]) -> String {
    let shown: Vec<String> = keys.iter().take(10).map(one_key).collect();
    let list = format!("[{}]", shown.join(", "));
    if keys.len() <= 10 {
        list
    } else {
        format!("{list} and {} more", keys.len() - 10)
    }
}

/// One key as `Debug` shows it, cut to a readable length.
fn one_key<K: std::fmt::Debug>(key: &K) -> String {
    crate::error::shown::shown(&format!("{key:?}")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_cut_long_lists_and_long_keys() {
        assert_eq!(preview(&[1, 2, 3]), "[1, 2, 3]");
        let many: Vec<i64> = (1..=12).collect();
        assert_eq!(preview(&many), "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10] and 2 more");
        let long = "x".repeat(100_000);
        assert!(one_key(&long).len() < 120, "{}", one_key(&long).len());
    }
}
