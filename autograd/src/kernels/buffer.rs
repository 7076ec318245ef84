//! [`Buffer`]: a tensor's values, shared by every tensor that holds the same values (a reshape,
//! a clone, a gradient passed through an op unchanged) and copied only when one of them is
//! written to.
//!
//! Without sharing, `reshape` would copy every value although not one changes, and so would each
//! gradient that an op hands on as it came (`add`'s, `reshape`'s): on a small transformer those
//! copies were a sixth of a training step. A buffer is a reference-counted vector; cloning it
//! counts one more owner, and writing to a buffer with other owners first copies the values
//! into storage of its own (copy on write), so a tensor still behaves as a value of its own.
//!
//! The vectors come from, and go back to, the pool in [`storage`](super::storage) as before.
//! The reference-counted shells that hold them are kept in a pool of their own, so that making
//! a tensor allocates nothing after warm-up either.

use super::storage;
use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::sync::Arc;

/// The most empty shells kept per thread (each is a few words).
const MAX_SHELLS: usize = 1 << 14;

thread_local! {
    static SHELLS: RefCell<Vec<Arc<Vec<f64>>>> = const { RefCell::new(Vec::new()) };
}

/// A tensor's values: shared, copied on the first write while shared, and recycled when the
/// last owner lets go.
pub(crate) struct Buffer {
    /// Always holds a live `Arc`; `ManuallyDrop` only so that `drop` can take it by value.
    values: ManuallyDrop<Arc<Vec<f64>>>,
}

impl Buffer {
    /// A buffer holding `values`, its only owner.
    pub(crate) fn new(values: Vec<f64>) -> Buffer {
        let shell = SHELLS
            .try_with(|shells| shells.borrow_mut().pop())
            .ok()
            .flatten();
        let values = match shell {
            Some(mut shell) => {
                *Arc::get_mut(&mut shell).expect("a pooled shell has one owner") = values;
                shell
            }
            None => Arc::new(values),
        };
        Buffer {
            values: ManuallyDrop::new(values),
        }
    }

    /// The values, to write to: copied first into storage of this buffer's own when other
    /// tensors share them.
    pub(crate) fn make_mut(&mut self) -> &mut [f64] {
        if Arc::get_mut(&mut self.values).is_none() {
            *self = Buffer::new(storage::copied(self));
        }
        Arc::get_mut(&mut self.values).expect("a buffer just copied has one owner")
    }

    /// The values as a vector: taken when this is the only owner, copied otherwise.
    pub(crate) fn into_vec(mut self) -> Vec<f64> {
        match Arc::get_mut(&mut self.values) {
            Some(values) => std::mem::take(values),
            None => storage::copied(&self),
        }
    }

    /// Whether no other tensor shares these values (so writing them copies nothing).
    pub(crate) fn is_unique(&mut self) -> bool {
        Arc::get_mut(&mut self.values).is_some()
    }

    /// Whether `self` and `other` are the same values in memory (not merely equal ones).
    #[cfg(test)]
    pub(crate) fn is_shared_with(&self, other: &Buffer) -> bool {
        Arc::ptr_eq(&self.values, &other.values)
    }
}

impl Deref for Buffer {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.values
    }
}

impl Clone for Buffer {
    /// One more owner of the same values: no copy.
    fn clone(&self) -> Buffer {
        Buffer {
            values: ManuallyDrop::new(Arc::clone(&self.values)),
        }
    }
}

impl PartialEq for Buffer {
    fn eq(&self, other: &Buffer) -> bool {
        **self == **other
    }
}

impl Drop for Buffer {
    /// The last owner gives the vector back to the storage pool and the shell to the shells'.
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, and `values` is not used after this.
        let mut shell = unsafe { ManuallyDrop::take(&mut self.values) };
        if let Some(values) = Arc::get_mut(&mut shell) {
            storage::recycle(std::mem::take(values));
            // On a thread being torn down the pool is gone; the shell is then simply freed.
            let _ = SHELLS.try_with(move |shells| {
                let mut shells = shells.borrow_mut();
                if shells.len() < MAX_SHELLS {
                    shells.push(shell);
                }
            });
        }
    }
}

/// Frees the shells this thread keeps; returns about how many bytes they held.
pub(super) fn release() -> usize {
    SHELLS
        .try_with(|shells| {
            let mut shells = shells.borrow_mut();
            let bytes = shells.len() * (2 * size_of::<usize>() + size_of::<Vec<f64>>());
            *shells = Vec::new();
            bytes
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_shares_the_values_until_one_of_them_is_written() {
        let mut a = Buffer::new(vec![1.0, 2.0, 3.0]);
        let b = a.clone();
        assert!(a.is_shared_with(&b));
        a.make_mut()[0] = -1.0;
        assert!(!a.is_shared_with(&b));
        assert_eq!(&*a, &[-1.0, 2.0, 3.0]);
        assert_eq!(&*b, &[1.0, 2.0, 3.0], "the other owner's values changed");
    }

    #[test]
    fn the_only_owner_writes_in_place_and_gives_up_its_vector_without_a_copy() {
        let mut a = Buffer::new(vec![1.0, 2.0]);
        let address = a.as_ptr();
        a.make_mut()[1] = 5.0;
        assert_eq!(a.as_ptr(), address);
        let values = a.into_vec();
        assert_eq!((values.as_ptr(), values), (address, vec![1.0, 5.0]));
    }

    #[test]
    fn a_shared_buffer_gives_a_copy_and_keeps_its_values() {
        let a = Buffer::new(vec![4.0, 5.0]);
        let b = a.clone();
        assert_eq!(a.into_vec(), vec![4.0, 5.0]);
        assert_eq!(&*b, &[4.0, 5.0]);
    }

    #[test]
    fn the_last_owner_returns_the_vector_to_the_pool() {
        let a = Buffer::new(storage::with_capacity(300));
        let address = a.as_ptr();
        let b = a.clone();
        drop(a);
        drop(b);
        let again = storage::with_capacity(300);
        assert_eq!(again.as_ptr(), address, "the vector was not recycled");
        storage::recycle(again);
    }
}
