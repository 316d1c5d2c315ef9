//! Statement counting for the first warmup iteration: SeaORM's metric callback sees every
//! statement it runs but not transaction control (`BEGIN` / `COMMIT` go straight to sqlx's
//! transaction manager), so those are added by hand with [`by_hand`].

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static COUNTING: AtomicBool = AtomicBool::new(false);
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Starts (from zero) or stops counting.
pub fn counting(on: bool) {
    if on {
        STATEMENTS.store(0, Ordering::SeqCst);
    }
    COUNTING.store(on, Ordering::SeqCst);
}

/// The metric callback: one statement ran.
pub fn seen() {
    by_hand(1);
}

/// `n` statements the callback does not see (transaction control).
pub fn by_hand(n: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        STATEMENTS.fetch_add(n, Ordering::Relaxed);
    }
}

/// The statements counted.
pub fn counted() -> usize {
    STATEMENTS.load(Ordering::SeqCst)
}
