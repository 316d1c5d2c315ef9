//! Connections interrupted mid-statement by a cancelled call.
//!
//! When an ORM call is dropped before it finishes (`tokio::time::timeout`, `select!`, a client
//! that went away), the statement it was running may be half sent or half read. sqlx returns a
//! dropped pool connection after a `ping`, and on MySQL that ping can wait forever: sqlx-mysql
//! 0.9.1 (as 0.9.0) records that it awaits a result (`Waiting::Result` in `MySqlConnection::run`)
//! before it writes the command, so a call dropped between the two leaves a connection that
//! waits for a reply the server never sends, and the pool never gets it back (sqlx's on-release
//! `ping` has no timeout). A few hundred timed-out calls on a pool of two wedge it for good.
//!
//! The ORM marks each statement it runs as in flight ([`InFlight`]); a marker dropped before the
//! statement finished records the connection, and the ORM's pooled connection (`executor::Conn`),
//! dropped in the same unwinding of the cancelled future, is then closed instead of returned.
//! Both drops happen in one call on one thread, so the record is thread-local.

use std::cell::RefCell;

/// How many interrupted connections are remembered; older records are dropped (a borrowed
/// connection, which the ORM does not close, leaves its record behind).
const REMEMBERED: usize = 32;

thread_local! {
    static INTERRUPTED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// The identity of a connection for as long as it is borrowed: its address.
fn identity<C>(conn: &C) -> usize {
    std::ptr::from_ref(conn) as usize
}

/// A statement in flight on a connection; dropped without [`InFlight::finish`], it records the
/// connection as interrupted.
pub(crate) struct InFlight {
    connection: usize,
    finished: bool,
}

impl InFlight {
    /// Marks a statement on `conn` as started.
    pub(crate) fn start<C>(conn: &C) -> Self {
        InFlight {
            connection: identity(conn),
            finished: false,
        }
    }

    /// Marks the statement as finished (whatever its result).
    pub(crate) fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let connection = self.connection;
        INTERRUPTED.with(|records| {
            let mut records = records.borrow_mut();
            if records.len() >= REMEMBERED {
                records.remove(0);
            }
            records.push(connection);
        });
    }
}

/// Whether a statement on `conn` was interrupted; forgets the record.
pub(crate) fn take_interrupted<C>(conn: &C) -> bool {
    let connection = identity(conn);
    INTERRUPTED.with(|records| {
        let mut records = records.borrow_mut();
        match records.iter().position(|&c| c == connection) {
            Some(index) => {
                records.remove(index);
                true
            }
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_statement_marks_its_connection_once() {
        let conn = 7_u64;
        let other = 8_u64;
        InFlight::start(&conn).finish();
        assert!(!take_interrupted(&conn));
        drop(InFlight::start(&conn));
        assert!(!take_interrupted(&other));
        assert!(take_interrupted(&conn));
        assert!(!take_interrupted(&conn));
    }
}
