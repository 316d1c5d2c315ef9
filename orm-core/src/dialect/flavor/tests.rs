//! The flavor setting, and what each dialect makes of it: PostgreSQL changes its row lock,
//! anti-join and array parameters; SQLite and MySQL stay as they are.

use super::*;
use crate::dialect::{AbsentKeys, Dialect, RowLock};

/// The flavor-dependent choices of `DB`: row lock, current locked reads, anti-join.
fn choices<DB: Dialect>() -> (RowLock, bool, AbsentKeys, bool) {
    (
        DB::row_lock(),
        DB::locked_reads_are_current(),
        DB::absent_keys(),
        DB::distributed(),
    )
}

#[test]
fn the_flavor_is_standard_until_set_and_overrides_nest() {
    assert_eq!(postgres_flavor(), PostgresFlavor::Standard);
    let inner = with_flavor(PostgresFlavor::Distributed, || {
        let nested = with_flavor(PostgresFlavor::Standard, postgres_flavor);
        (postgres_flavor(), nested)
    });
    assert_eq!(
        inner,
        (PostgresFlavor::Distributed, PostgresFlavor::Standard)
    );
    assert_eq!(postgres_flavor(), PostgresFlavor::Standard, "restored");
    for flavor in [PostgresFlavor::Standard, PostgresFlavor::Distributed] {
        assert_eq!(PostgresFlavor::from_u8(flavor.to_u8()), flavor);
    }
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_locks_by_its_own_statement_and_uses_the_uncorrelated_anti_join_when_distributed() {
    assert_eq!(
        choices::<sqlx::Postgres>(),
        (RowLock::Cte, false, AbsentKeys::NotExists, false)
    );
    assert_eq!(
        with_flavor(PostgresFlavor::Distributed, choices::<sqlx::Postgres>),
        (RowLock::Statement, true, AbsentKeys::NotIn, true)
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_ignores_the_flavor() {
    let standard = choices::<sqlx::Sqlite>();
    assert_eq!(standard, (RowLock::None, true, AbsentKeys::NotIn, false));
    assert_eq!(
        with_flavor(PostgresFlavor::Distributed, choices::<sqlx::Sqlite>),
        standard
    );
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_ignores_the_flavor() {
    let standard = choices::<sqlx::MySql>();
    assert_eq!(standard, (RowLock::Join, true, AbsentKeys::NotIn, false));
    assert_eq!(
        with_flavor(PostgresFlavor::Distributed, choices::<sqlx::MySql>),
        standard
    );
}
