//! With the `futures` feature, as in the original: a wrapped future or
//! stream is one too, polled only on the thread that wrapped it.

use crate::SendWrapper;
use futures_core::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    /// # Panics
    /// On a thread other than the one that wrapped the future.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.check("polled");
        // SAFETY: the wrapper never moves its value out while pinned (only
        // `take`, which consumes an unpinned wrapper), so pinning projects.
        unsafe { self.map_unchecked_mut(|w| &mut *w.value) }.poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    /// # Panics
    /// On a thread other than the one that wrapped the stream.
    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.check("polled");
        // SAFETY: as in `Future::poll` above.
        unsafe { self.map_unchecked_mut(|w| &mut *w.value) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (**self).size_hint()
    }
}

#[cfg(test)]
mod tests {
    use crate::SendWrapper;
    use futures_core::Stream;
    use futures_executor::block_on;
    use futures_util::{future, stream, StreamExt};
    use std::thread;

    #[test]
    fn a_wrapped_future_and_stream_poll_on_their_thread() {
        assert_eq!(block_on(SendWrapper::new(future::ready(42))), 42);
        let mut s = SendWrapper::new(stream::iter([1, 2]));
        assert_eq!(Stream::size_hint(&s), (2, Some(2)));
        assert_eq!(block_on(s.next()), Some(1));
        assert_eq!(block_on(s.next()), Some(2));
        assert_eq!(block_on(s.next()), None);
    }

    #[test]
    fn polling_on_another_thread_panics() {
        let f = SendWrapper::new(future::ready(1));
        assert!(thread::spawn(move || block_on(f)).join().is_err());
        let mut s = SendWrapper::new(stream::iter([1]));
        assert!(thread::spawn(move || block_on(s.next())).join().is_err());
    }
}
