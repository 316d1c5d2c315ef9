//! The schema check: the live columns from the database's catalog, compared with the tables
//! the models declare.

use std::collections::HashMap;

use crate::backend::Backend;
use crate::error::{Mismatch, Result};
use crate::value::Column;

use super::raw;
use super::table::TableDef;

/// One column as the catalog reports it.
pub(crate) struct LiveColumn {
    type_name: String,
    nullable: bool,
}

/// The live columns by table and column name: one catalog statement.
pub(crate) async fn live_columns<DB: Backend>(
    conn: &mut DB::Connection,
) -> Result<HashMap<(String, String), LiveColumn>>
where
    String: Column<DB>,
    i64: Column<DB>,
{
    let rows = DB::fetch_all(conn, raw::<DB>(DB::TYPES.catalog_columns)).await?;
    let mut columns = HashMap::with_capacity(rows.len());
    for row in &rows {
        let read = |i| {
            DB::get::<String>(row, i).map_err(|e| crate::Error::db("read the catalog's columns", e))
        };
        let nullable = DB::get::<i64>(row, 3)
            .map_err(|e| crate::Error::db("read the catalog's columns", e))?;
        columns.insert(
            (read(0)?, read(1)?),
            LiveColumn {
                type_name: read(2)?,
                nullable: nullable != 0,
            },
        );
    }
    Ok(columns)
}

/// Every difference between `tables` and the live columns.
pub(crate) fn compare<DB: Backend>(
    tables: &[TableDef],
    live: &HashMap<(String, String), LiveColumn>,
) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for table in tables {
        if !live.keys().any(|(t, _)| *t == table.name) {
            mismatches.push(Mismatch::MissingTable {
                table: table.name.clone(),
                declared_by: table.declared_by.clone(),
            });
            continue;
        }
        for column in &table.columns {
            let key = (table.name.clone(), column.name.clone());
            let Some(found) = live.get(&key) else {
                mismatches.push(Mismatch::MissingColumn {
                    table: table.name.clone(),
                    column: column.name.clone(),
                });
                continue;
            };
            if !DB::TYPES.accepts(column.sql_type, &found.type_name) {
                mismatches.push(Mismatch::Type {
                    table: table.name.clone(),
                    column: column.name.clone(),
                    expected: DB::TYPES
                        .create(column.sql_type, table.is_indexed(column))
                        .to_owned(),
                    found: found.type_name.clone(),
                });
            }
            let nullable = column.nullable && !table.primary_key.contains(&column.name);
            if found.nullable != nullable {
                mismatches.push(Mismatch::Nullability {
                    table: table.name.clone(),
                    column: column.name.clone(),
                    model_nullable: column.nullable,
                });
            }
        }
    }
    mismatches
}
