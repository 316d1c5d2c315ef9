//! [`Generator`]: a `Stream` written as an async body that hands each item to a [`Slot`], for
//! streams that must hold a borrow across items (a transaction and the rows read inside it, a
//! connection and a query's rows), which a state machine of plain values cannot.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_core::Stream;

/// The items an async body hands to its [`Slot`], as a [`Stream`]: each poll runs the body
/// until it hands an item over or waits on I/O. The body ends the stream by returning.
pub(crate) struct Generator<'a, T> {
    /// Where the running body leaves each item for `poll_next` to take.
    slot: Slot<T>,
    /// The body; `None` once it finished.
    body: Option<Pin<Box<dyn Future<Output = ()> + Send + 'a>>>,
}

impl<'a, T: Send + 'a> Generator<'a, T> {
    /// A stream of what `body` hands to its slot.
    pub(crate) fn new<F, Fut>(body: F) -> Self
    where
        F: FnOnce(Slot<T>) -> Fut,
        Fut: Future<Output = ()> + Send + 'a,
    {
        let slot = Slot(Arc::new(Mutex::new(None)));
        let body = Box::pin(body(Slot(Arc::clone(&slot.0))));
        Generator {
            slot,
            body: Some(body),
        }
    }
}

impl<T> Generator<'_, T> {
    /// Whether the body returned.
    pub(crate) fn ended(&self) -> bool {
        self.body.is_none()
    }
}

impl<T> Stream for Generator<'_, T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = &mut *self;
        let Some(body) = this.body.as_mut() else {
            return Poll::Ready(None);
        };
        match body.as_mut().poll(cx) {
            // The body either left an item (and returns `Pending` once, see `Slot::give`) or
            // waits on I/O (which will wake this task).
            Poll::Pending => match this.slot.take() {
                Some(item) => Poll::Ready(Some(item)),
                None => Poll::Pending,
            },
            Poll::Ready(()) => {
                this.body = None;
                Poll::Ready(this.slot.take())
            }
        }
    }
}

/// One item handed from a [`Generator`]'s body to its `poll_next`.
pub(crate) struct Slot<T>(Arc<Mutex<Option<T>>>);

impl<T> Slot<T> {
    /// Leaves `value` for `poll_next` and suspends the body once, so that `poll_next` returns
    /// it before the body goes on. No waker is needed: `poll_next` finds the value in the same
    /// poll and returns it, and the caller polls again for the next one.
    pub(crate) async fn give(&self, value: T) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        let mut handed = false;
        std::future::poll_fn(|_| {
            if handed {
                Poll::Ready(())
            } else {
                handed = true;
                Poll::Pending
            }
        })
        .await;
    }

    fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_out_in_order_then_the_stream_ends() {
        let mut stream = Generator::new(|slot| async move {
            for i in 0..3 {
                slot.give(i).await;
            }
        });
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut seen = Vec::new();
        while let Poll::Ready(Some(item)) = Pin::new(&mut stream).poll_next(&mut cx) {
            seen.push(item);
        }
        assert_eq!(seen, [0, 1, 2]);
        assert!(stream.ended());
    }
}
