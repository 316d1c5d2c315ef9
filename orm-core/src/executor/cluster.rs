//! Read/write routing: a primary pool and read replicas behind one executor.
//!
//! Every ORM operation says whether it only reads ([`Executor::acquire_read`]) or may write
//! ([`Executor::acquire`]). A [`Cluster`] sends reads to its replicas in turn and everything else
//! to the primary; a [`Session`] (one unit of work, e.g. one HTTP request) does the same until
//! its first write, and from then on reads from the primary too, so a handler that syncs and
//! then preloads sees its own write even when the replicas lag.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sqlx::{Pool, Transaction};

use super::{Conn, Executor};
use crate::backend::Backend;
use crate::dialect::Sealed;
use crate::error::{Error, Result};

/// A primary pool and its read replicas, as one executor: `&cluster` runs reads (`fetch_*`,
/// `count`, `exists`, aggregates, related queries, preloads, streams, pages) on a replica, in
/// turn, and writes, transactions and schema changes on the primary. Cloning is cheap (the
/// pools are shared).
///
/// Replicas lag: a read through `&cluster` may not see a write that has just committed. Use a
/// [`Session`] per unit of work to read your own writes, or [`Cluster::on_primary`] for a read
/// that must not lag. A replica that cannot lend a connection is skipped (the next one is
/// tried, then the primary), with a `WARN` event.
///
/// ```no_run
/// # async fn run() -> orm_core::Result<()> {
/// use orm_core::Cluster;
/// use sqlx::SqlitePool;
///
/// let primary = SqlitePool::connect_lazy("sqlite:app.db").map_err(|e| orm_core::Error::Database { context: "connect".into(), source: e })?;
/// let replica = SqlitePool::connect_lazy("sqlite:app.db?mode=ro").map_err(|e| orm_core::Error::Database { context: "connect".into(), source: e })?;
/// let cluster = Cluster::new(primary).with_replica(replica);
/// assert_eq!(cluster.replicas(), 1);
/// // `&cluster` is an executor: `User::query().fetch_all(&cluster)` reads from the replica,
/// // `user.related(User::skills()).sync(&cluster, ids)` writes on the primary.
/// # Ok(()) }
/// ```
pub struct Cluster<DB: Backend> {
    shared: Arc<Shared<DB>>,
}

struct Shared<DB: Backend> {
    primary: Pool<DB>,
    replicas: Vec<Pool<DB>>,
    /// The replica the next read starts with (round robin).
    next: AtomicUsize,
}

impl<DB: Backend> Clone for Cluster<DB> {
    fn clone(&self) -> Self {
        Cluster {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<DB: Backend> Cluster<DB> {
    /// A cluster of `primary` alone: until a replica is added, reads go to the primary too.
    pub fn new(primary: Pool<DB>) -> Self {
        Cluster {
            shared: Arc::new(Shared {
                primary,
                replicas: Vec::new(),
                next: AtomicUsize::new(0),
            }),
        }
    }

    /// Adds a read replica. Reads are spread over the replicas in turn.
    pub fn with_replica(mut self, replica: Pool<DB>) -> Self {
        match Arc::get_mut(&mut self.shared) {
            Some(shared) => shared.replicas.push(replica),
            // Cloned before: this cluster gets its own list, the clones keep theirs.
            None => {
                let mut replicas = self.shared.replicas.clone();
                replicas.push(replica);
                self.shared = Arc::new(Shared {
                    primary: self.shared.primary.clone(),
                    replicas,
                    next: AtomicUsize::new(0),
                });
            }
        }
        self
    }

    /// How many replicas the cluster reads from.
    pub fn replicas(&self) -> usize {
        self.shared.replicas.len()
    }

    /// The primary pool, itself an executor: for reads that must see the latest committed data
    /// (`User::find(cluster.on_primary(), id)`), and for anything sqlx-level.
    pub fn on_primary(&self) -> &Pool<DB> {
        &self.shared.primary
    }

    /// A unit of work (e.g. one HTTP request) on this cluster: reads go to a replica until the
    /// session's first write, then to the primary. See [`Session`].
    pub fn session(&self) -> Session<DB> {
        Session {
            cluster: self.clone(),
            wrote: AtomicBool::new(false),
        }
    }

    /// Opens a transaction on the primary. Everything run in it (`&mut tx`) is on the primary.
    ///
    /// # Errors
    /// [`Error::Database`] when no connection could be had or `BEGIN` failed.
    pub async fn begin(&self) -> Result<Transaction<'static, DB>> {
        self.shared
            .primary
            .begin()
            .await
            .map_err(|e| Error::db("begin a transaction on the primary", e))
    }

    /// A connection from the primary.
    async fn primary_connection(&self) -> Result<Conn<'static, DB>> {
        let conn = self
            .shared
            .primary
            .acquire()
            .await
            .map_err(|e| Error::db("acquire a connection from the primary", e))?;
        Ok(Conn::Pooled(conn))
    }

    /// A connection from the next replica that lends one, else from the primary.
    async fn replica_connection(&self) -> Result<Conn<'static, DB>> {
        let replicas = &self.shared.replicas;
        let start = self.shared.next.fetch_add(1, Ordering::Relaxed);
        for offset in 0..replicas.len() {
            let index = start.wrapping_add(offset) % replicas.len();
            let Some(replica) = replicas.get(index) else {
                continue;
            };
            match replica.acquire().await {
                Ok(conn) => return Ok(Conn::Pooled(conn)),
                Err(error) => tracing::warn!(
                    replica = index,
                    %error,
                    "a read replica lent no connection; trying the next one, then the primary"
                ),
            }
        }
        self.primary_connection().await
    }
}

impl<DB: Backend> std::fmt::Debug for Cluster<DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("replicas", &self.shared.replicas.len())
            .finish_non_exhaustive()
    }
}

impl<DB: Backend> Sealed for &Cluster<DB> {}

impl<DB: Backend> Executor for &Cluster<DB> {
    type Backend = DB;
    type Connection = Conn<'static, DB>;

    async fn acquire(self) -> Result<Conn<'static, DB>> {
        self.primary_connection().await
    }

    async fn acquire_read(self) -> Result<Conn<'static, DB>> {
        self.replica_connection().await
    }
}

/// One unit of work on a [`Cluster`] (one HTTP request, one job): it reads from a replica until
/// its first write, and from the primary after it ("sticky" reads), so it always sees its own
/// writes however far the replicas lag. `&session` is an executor; share it by reference
/// between the tasks of the unit of work.
///
/// ```no_run
/// # async fn run(cluster: orm_core::Cluster<sqlx::Sqlite>) -> orm_core::Result<()> {
/// let session = cluster.session();
/// assert!(!session.is_sticky());
/// // user.related(User::skills()).sync(&session, [1, 2]).await?;   // the primary
/// // User::query().preload(User::skills()).fetch_all(&session)      // the primary too
/// # Ok(()) }
/// ```
pub struct Session<DB: Backend> {
    cluster: Cluster<DB>,
    /// Set by the first operation that may write; from then on every read is on the primary.
    wrote: AtomicBool,
}

impl<DB: Backend> Session<DB> {
    /// Whether this session has written, so its reads go to the primary.
    pub fn is_sticky(&self) -> bool {
        self.wrote.load(Ordering::Acquire)
    }

    /// The cluster this session runs on.
    pub fn cluster(&self) -> &Cluster<DB> {
        &self.cluster
    }

    /// Opens a transaction on the primary; the session reads from the primary from now on.
    ///
    /// # Errors
    /// [`Error::Database`] when no connection could be had or `BEGIN` failed.
    pub async fn begin(&self) -> Result<Transaction<'static, DB>> {
        self.wrote.store(true, Ordering::Release);
        self.cluster.begin().await
    }
}

impl<DB: Backend> std::fmt::Debug for Session<DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("cluster", &self.cluster)
            .field("sticky", &self.is_sticky())
            .finish()
    }
}

impl<DB: Backend> Sealed for &Session<DB> {}

impl<DB: Backend> Executor for &Session<DB> {
    type Backend = DB;
    type Connection = Conn<'static, DB>;

    async fn acquire(self) -> Result<Conn<'static, DB>> {
        // Marked before the write runs: a read racing with it in the same unit of work goes to
        // the primary too, which is never wrong.
        self.wrote.store(true, Ordering::Release);
        self.cluster.primary_connection().await
    }

    async fn acquire_read(self) -> Result<Conn<'static, DB>> {
        if self.is_sticky() {
            self.cluster.primary_connection().await
        } else {
            self.cluster.replica_connection().await
        }
    }
}
