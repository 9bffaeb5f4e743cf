//! Downhill's stand-in for crates.io's [`send_wrapper`] 0.6, with the same
//! interface: a value that is not `Send` wrapped so that it is, on the
//! promise that only the thread that wrapped it ever touches or drops it.
//!
//! Leptos wraps every event handler, node reference and async task in one.
//! The original checks the promise at each access by comparing
//! `std::thread::current().id()` with the id taken at wrapping; on
//! `wasm32-unknown-unknown` without the atomics feature there is only one
//! thread, so the check always passes, yet `thread::current()` links std's
//! thread-handle machinery into the page: 2.8 KB of the gzipped download,
//! measured on the release build. Here the owner is a zero-sized type on
//! that target and the check is a constant `true`, which the compiler
//! removes; everywhere else (native builds, threaded wasm) it is the thread
//! id, checked as the original does, with the same panics.
//!
//! [`send_wrapper`]: https://docs.rs/send_wrapper/0.6

use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};

#[cfg(feature = "futures")]
mod futures;

/// Which thread may use a wrapped value.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
mod owner {
    /// One thread: every caller is the owner.
    #[derive(Clone, Copy)]
    pub struct Owner;

    impl Owner {
        pub fn current() -> Self {
            Owner
        }

        pub fn is_current(self) -> bool {
            true
        }
    }
}

/// Which thread may use a wrapped value.
#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
mod owner {
    use std::thread::{self, ThreadId};

    /// The thread that wrapped the value.
    #[derive(Clone, Copy)]
    pub struct Owner(ThreadId);

    impl Owner {
        pub fn current() -> Self {
            Owner(thread::current().id())
        }

        pub fn is_current(self) -> bool {
            self.0 == thread::current().id()
        }
    }
}

use owner::Owner;

/// A value that may cross threads but is used only on the thread that
/// wrapped it: dereferencing, taking or polling it elsewhere panics, and so
/// does dropping it elsewhere if its drop does anything.
pub struct SendWrapper<T> {
    value: ManuallyDrop<T>,
    owner: Owner,
}

// SAFETY: the value is reached only through `Deref`, `DerefMut`, `take`,
// `poll` and `Drop`, each of which first checks that the caller is the
// owner thread (and panics, without touching the value, if not); a drop
// elsewhere that would run the value's destructor panics too.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for `Send`: a shared reference on another thread cannot reach
// the value without the owner check.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    /// Wraps `value`, owned by the calling thread.
    pub fn new(value: T) -> Self {
        SendWrapper {
            value: ManuallyDrop::new(value),
            owner: Owner::current(),
        }
    }

    /// Whether the calling thread may use the value.
    pub fn valid(&self) -> bool {
        self.owner.is_current()
    }

    /// Unwraps the value.
    ///
    /// # Panics
    /// On a thread other than the one that wrapped it.
    #[track_caller]
    pub fn take(self) -> T {
        self.check("take");
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is moved out once.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }

    #[track_caller]
    fn check(&self, what: &str) {
        if !self.valid() {
            wrong_thread(what);
        }
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn wrong_thread(what: &str) -> ! {
    panic!("SendWrapper: {what} on a thread other than the one that wrapped the value")
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    /// # Panics
    /// On a thread other than the one that wrapped the value.
    #[track_caller]
    fn deref(&self) -> &T {
        self.check("dereferenced");
        &self.value
    }
}

impl<T> DerefMut for SendWrapper<T> {
    /// # Panics
    /// On a thread other than the one that wrapped the value.
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check("dereferenced");
        &mut self.value
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Drops the value.
    ///
    /// # Panics
    /// On a thread other than the one that wrapped the value, if dropping it
    /// runs any code, unless that thread is already panicking (a second
    /// panic would abort). The value is then leaked, never dropped there.
    #[track_caller]
    fn drop(&mut self) {
        if !mem::needs_drop::<T>() || self.valid() {
            // SAFETY: dropped once, here; `take` never lets this run after
            // it moved the value out.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        } else if !std::thread::panicking() {
            wrong_thread("dropped");
        }
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    /// A new wrapper, owned by the calling thread, around a clone of the
    /// value.
    ///
    /// # Panics
    /// On a thread other than the one that wrapped the value.
    #[track_caller]
    fn clone(&self) -> Self {
        SendWrapper::new(self.deref().clone())
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    /// # Panics
    /// On a thread other than the one that wrapped the value.
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", self.deref())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::thread;

    /// Counts its drops in a shared cell.
    struct Counted(Rc<Cell<u32>>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn the_wrapping_thread_reads_writes_and_takes_the_value() {
        let mut w = SendWrapper::new(vec![1, 2]);
        assert!(w.valid());
        w.push(3);
        assert_eq!(*w, [1, 2, 3]);
        assert_eq!(w.clone().take(), [1, 2, 3]);
        assert_eq!(format!("{w:?}"), "SendWrapper { data: [1, 2, 3] }");
    }

    #[test]
    fn the_value_is_dropped_once_and_not_after_take() {
        let drops = Rc::new(Cell::new(0));
        drop(SendWrapper::new(Counted(drops.clone())));
        assert_eq!(drops.get(), 1);
        let taken = SendWrapper::new(Counted(drops.clone())).take();
        assert_eq!(drops.get(), 1);
        drop(taken);
        assert_eq!(drops.get(), 2);
    }

    /// Whether `f` panics when run on another thread with `w`; `w` comes back.
    fn panics_elsewhere<T: 'static>(
        w: SendWrapper<T>,
        f: impl FnOnce(&mut SendWrapper<T>) + Send + 'static,
    ) -> (bool, SendWrapper<T>) {
        thread::spawn(move || {
            let mut w = w;
            assert!(!w.valid());
            let hit = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut w)));
            (hit.is_err(), w)
        })
        .join()
        .unwrap()
    }

    #[test]
    fn another_thread_may_not_reach_the_value() {
        let w = SendWrapper::new(Rc::new(5));
        let (deref, w) = panics_elsewhere(w, |w| drop(Rc::clone(w)));
        let (deref_mut, w) = panics_elsewhere(w, |w| {
            let _ = Rc::get_mut(w);
        });
        let (clone, w) = panics_elsewhere(w, |w| std::mem::forget(w.clone()));
        let (debug, w) = panics_elsewhere(w, |w| drop(format!("{w:?}")));
        assert_eq!([deref, deref_mut, clone, debug], [true; 4]);
        assert_eq!(**w, 5);
        // Taking it elsewhere panics too (and leaks it there, not dropping it).
        let other = SendWrapper::new(Rc::new(6));
        assert!(thread::spawn(move || std::mem::forget(other.take()))
            .join()
            .is_err());
    }

    #[test]
    fn dropping_elsewhere_panics_only_if_the_drop_does_something() {
        let trivial = SendWrapper::new(7_u32);
        assert!(thread::spawn(move || drop(trivial)).join().is_ok());
        let held = SendWrapper::new(Rc::new(7));
        assert!(thread::spawn(move || drop(held)).join().is_err());
    }
}
