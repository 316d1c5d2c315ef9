//! Which kind of PostgreSQL the application talks to: the PostgreSQL server itself, or a
//! distributed database that speaks its protocol (CockroachDB, YugabyteDB, Citus) and rejects,
//! or reads differently, a few statement shapes the ORM otherwise sends. One process-wide
//! setting, set once at startup: an application talks to one kind of PostgreSQL, and the
//! statement builders read the dialect as data, without a connection at hand.

use std::sync::atomic::{AtomicU8, Ordering};

/// The kind of PostgreSQL the ORM writes its statements for. Set it once at startup with
/// [`set_postgres_flavor`]; it changes nothing on SQLite or MySQL.
///
/// ```
/// use orm_core::{PostgresFlavor, postgres_flavor};
///
/// assert_eq!(PostgresFlavor::default(), PostgresFlavor::Standard);
/// assert_eq!(postgres_flavor(), PostgresFlavor::Standard);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PostgresFlavor {
    /// PostgreSQL itself (and poolers in front of it): the ORM's fewest statements.
    #[default]
    Standard,
    /// CockroachDB, YugabyteDB or Citus. Statements that mutate and read one table at once (a
    /// data-modifying CTE), row locks inside a CTE or on an outer join, and correlated
    /// anti-joins in inserts are written as plainer statements in the same transaction, and
    /// every array parameter carries its type (`= ANY($1::int8[])`). A sync that changes rows
    /// is then at most five statements instead of four; a sync that changes nothing, two.
    Distributed,
}

impl PostgresFlavor {
    fn from_u8(value: u8) -> Self {
        match value {
            1 => PostgresFlavor::Distributed,
            _ => PostgresFlavor::Standard,
        }
    }

    fn to_u8(self) -> u8 {
        match self {
            PostgresFlavor::Standard => 0,
            PostgresFlavor::Distributed => 1,
        }
    }
}

/// The process-wide flavor, [`PostgresFlavor::Standard`] until [`set_postgres_flavor`].
static FLAVOR: AtomicU8 = AtomicU8::new(0);

#[cfg(test)]
thread_local! {
    /// A flavor for the statements built on this thread alone: unit tests build both flavors
    /// side by side in one process.
    static OVERRIDE: std::cell::Cell<Option<PostgresFlavor>> = const { std::cell::Cell::new(None) };
}

/// Makes every statement the ORM builds from now on, in this process, fit `flavor`. Call it
/// once at startup, before the first query: statements already prepared keep their text.
///
/// ```
/// use orm_core::{PostgresFlavor, postgres_flavor, set_postgres_flavor};
///
/// // An application on CockroachDB, YugabyteDB or Citus, at startup:
/// set_postgres_flavor(PostgresFlavor::Distributed);
/// assert_eq!(postgres_flavor(), PostgresFlavor::Distributed);
/// # set_postgres_flavor(PostgresFlavor::Standard);
/// ```
pub fn set_postgres_flavor(flavor: PostgresFlavor) {
    FLAVOR.store(flavor.to_u8(), Ordering::Relaxed);
}

/// The flavor statements are built for (see [`set_postgres_flavor`]).
///
/// ```
/// assert_eq!(orm_core::postgres_flavor(), orm_core::PostgresFlavor::Standard);
/// ```
pub fn postgres_flavor() -> PostgresFlavor {
    #[cfg(test)]
    if let Some(flavor) = OVERRIDE.with(std::cell::Cell::get) {
        return flavor;
    }
    PostgresFlavor::from_u8(FLAVOR.load(Ordering::Relaxed))
}

/// Runs `build` with `flavor` in force on this thread only.
#[cfg(test)]
pub(crate) fn with_flavor<T>(flavor: PostgresFlavor, build: impl FnOnce() -> T) -> T {
    OVERRIDE.with(|cell| {
        let before = cell.replace(Some(flavor));
        let built = build();
        cell.set(before);
        built
    })
}

#[cfg(test)]
mod tests;
