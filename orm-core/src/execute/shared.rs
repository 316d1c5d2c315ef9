//! `impl_execution!`: the [`Execute`](super::Execute) methods the three backends share, written
//! once for the concrete sqlx types each backend module passes in (`backends.rs`).

/// The code shared by the three backends for running statements; each backend module calls it
/// with its concrete types.
macro_rules! impl_execution {
    ($db:ty) => {
        fn fetch_all<'c>(
            conn: &'c mut <$db as ::sqlx::Database>::Connection,
            sql: $crate::sql::Sql<$db>,
        ) -> impl ::std::future::Future<
            Output = $crate::error::Result<Vec<<$db as ::sqlx::Database>::Row>>,
        > + Send
        + 'c {
            async move {
                let (statement, summary, trace) = $crate::execute::statement(sql)?;
                $crate::execute::run_statement!(
                    $db,
                    conn,
                    summary,
                    trace,
                    |c| { statement.fetch_all(c) },
                    |rows| rows.len() as u64
                )
            }
        }

        fn fetch<'c>(
            conn: &'c mut <$db as ::sqlx::Database>::Connection,
            sql: $crate::sql::Sql<$db>,
        ) -> $crate::execute::Rows<'c, $db> {
            match $crate::execute::statement(sql) {
                Ok((statement, summary, trace)) => {
                    let flight = $crate::execute::InFlight::start(&*conn);
                    if <Self as $crate::execute::Execute>::pins(&*conn) {
                        let steps =
                            $crate::execute::pinned::rows::<$db>(conn, statement, summary.clone());
                        $crate::execute::Rows::pinned(steps, flight, summary, trace)
                    } else {
                        $crate::execute::Rows::new(statement.fetch(conn), flight, summary, trace)
                    }
                }
                Err(err) => $crate::execute::Rows::failed(err),
            }
        }

        fn execute<'c>(
            conn: &'c mut <$db as ::sqlx::Database>::Connection,
            sql: $crate::sql::Sql<$db>,
        ) -> impl ::std::future::Future<Output = $crate::error::Result<$crate::execute::Outcome>>
        + Send
        + 'c {
            async move {
                let (statement, summary, trace) = $crate::execute::statement(sql)?;
                let done = $crate::execute::run_statement!(
                    $db,
                    conn,
                    summary,
                    trace,
                    |c| { statement.execute(c) },
                    |done| done.rows_affected()
                );
                done.map(|done| Self::outcome(&done))
            }
        }

        fn get_i64(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> ::std::result::Result<i64, ::sqlx::Error> {
            ::sqlx::Row::try_get(row, index)
        }

        fn get_extra(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> $crate::value::ExtraValue {
            use ::sqlx::{Row, ValueRef};
            use $crate::value::ExtraValue;
            match row.try_get_raw(index) {
                Ok(raw) if raw.is_null() => return ExtraValue::Null,
                Err(_) => return ExtraValue::Unsupported(String::from("<missing column>")),
                Ok(_) => {}
            }
            if let Ok(v) = row.try_get::<i64, usize>(index) {
                return ExtraValue::Int(v);
            }
            if let Ok(v) = row.try_get::<i32, usize>(index) {
                return ExtraValue::Int(i64::from(v));
            }
            if let Ok(v) = row.try_get::<f64, usize>(index) {
                return ExtraValue::Float(v);
            }
            if let Ok(v) = row.try_get::<String, usize>(index) {
                return ExtraValue::Text(v);
            }
            if let Ok(v) = row.try_get::<bool, usize>(index) {
                return ExtraValue::Bool(v);
            }
            if let Some(v) = <$db as $crate::execute::extra::TypedExtra>::typed_extra(row, index) {
                return v;
            }
            let name = row
                .try_get_raw(index)
                .map(|raw| ::sqlx::TypeInfo::name(&*raw.type_info()).to_owned())
                .unwrap_or_default();
            ExtraValue::Unsupported(name)
        }

        fn get_optional<T: $crate::value::Column<$db>>(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> ::std::result::Result<Option<T>, ::sqlx::Error> {
            ::sqlx::Row::try_get(row, index)
        }

        fn get<T: $crate::value::Column<$db>>(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> ::std::result::Result<T, ::sqlx::Error> {
            use ::sqlx::{TypeInfo, ValueRef};
            // `Row::try_get` with one column lookup instead of two, and NULL an error: a NULL is
            // never a value of a non-`Option` type (SQLite would decode it as "" or 0).
            let value = ::sqlx::Row::try_get_raw(row, index)?;
            let failed = |source| ::sqlx::Error::ColumnDecode {
                index: format!("{index:?}"),
                source,
            };
            if value.is_null() {
                return Err(failed(Box::new(::sqlx::error::UnexpectedNullError)));
            }
            let ty = value.type_info();
            if !ty.is_null() && !<T as ::sqlx::Type<$db>>::compatible(&ty) {
                return Err(failed(
                    format!(
                        "mismatched types; Rust type `{}` is not compatible with SQL type `{}`",
                        ::std::any::type_name::<T>(),
                        ty.name()
                    )
                    .into(),
                ));
            }
            <T as ::sqlx::Decode<$db>>::decode(value).map_err(failed)
        }
    };
}
pub(crate) use impl_execution;
