//! The shape of a tensor: its dimensions, and numpy's broadcasting rules over them.

use std::fmt;

/// The highest rank a [`Shape`] can hold.
pub const MAX_RANK: usize = 4;

/// The dimensions of a tensor, outermost first (row-major), of rank 0 to [`MAX_RANK`].
///
/// A shape is `Copy` and lives inline, so building one never allocates.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    dims: [usize; MAX_RANK],
    rank: usize,
}

impl Shape {
    /// The shape of a scalar: rank 0, one element.
    pub const fn scalar() -> Shape {
        Shape {
            dims: [0; MAX_RANK],
            rank: 0,
        }
    }

    /// A shape with the given dimensions.
    ///
    /// # Panics
    /// If there are more than [`MAX_RANK`] dimensions.
    #[track_caller]
    pub fn new(dims: &[usize]) -> Shape {
        assert!(
            dims.len() <= MAX_RANK,
            "shape: rank {} is above the maximum of {MAX_RANK} (dims {dims:?})",
            dims.len()
        );
        let mut inline = [0; MAX_RANK];
        inline[..dims.len()].copy_from_slice(dims);
        Shape {
            dims: inline,
            rank: dims.len(),
        }
    }

    /// The dimensions, outermost first.
    pub fn dims(&self) -> &[usize] {
        &self.dims[..self.rank]
    }

    /// The number of dimensions.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The number of elements: the product of the dimensions (1 for a scalar).
    pub fn numel(&self) -> usize {
        self.dims().iter().product()
    }

    /// The size of dimension `axis`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn dim(&self, axis: usize) -> usize {
        assert!(
            axis < self.rank,
            "shape: axis {axis} is out of range for {self}"
        );
        self.dims[axis]
    }

    /// Row-major strides in elements: the step in the flat data for one step along each axis.
    pub fn strides(&self) -> [usize; MAX_RANK] {
        let mut strides = [0; MAX_RANK];
        let mut step = 1;
        for axis in (0..self.rank).rev() {
            strides[axis] = step;
            step *= self.dims[axis];
        }
        strides
    }

    /// The shape numpy's broadcasting gives two operands, or `None` when they do not broadcast.
    ///
    /// Dimensions are aligned from the right; each pair must be equal or contain a 1.
    pub fn broadcast(a: Shape, b: Shape) -> Option<Shape> {
        let rank = a.rank.max(b.rank);
        let mut dims = [0; MAX_RANK];
        for (from_right, dim) in dims[..rank].iter_mut().rev().enumerate() {
            let da = a.dim_from_right(from_right);
            let db = b.dim_from_right(from_right);
            *dim = match (da, db) {
                (x, y) if x == y => x,
                (1, y) => y,
                (x, 1) => x,
                _ => return None,
            };
        }
        Some(Shape { dims, rank })
    }

    /// Whether `self` can be broadcast to `target` (the reverse of reducing `target` to `self`).
    pub fn broadcasts_to(&self, target: Shape) -> bool {
        self.rank <= target.rank && Shape::broadcast(*self, target) == Some(target)
    }

    /// This shape with dimension `axis` set to 1 (the shape of a `keepdim` reduction).
    pub fn with_axis_kept(&self, axis: usize) -> Shape {
        let mut kept = *self;
        kept.dims[axis] = 1;
        kept
    }

    /// This shape with dimension `axis` removed (the shape of a reduction without `keepdim`).
    pub fn with_axis_removed(&self, axis: usize) -> Shape {
        let mut dims = [0; MAX_RANK];
        let mut rank = 0;
        for (index, &dim) in self.dims().iter().enumerate() {
            if index != axis {
                dims[rank] = dim;
                rank += 1;
            }
        }
        Shape { dims, rank }
    }

    /// The sizes before, along and after `axis`: `(outer, len, inner)` with `outer·len·inner = numel`.
    pub(crate) fn split_at_axis(&self, axis: usize) -> (usize, usize, usize) {
        let dims = self.dims();
        let outer = dims[..axis].iter().product();
        let inner = dims[axis + 1..].iter().product();
        (outer, dims[axis], inner)
    }

    /// The dimension `from_right` places from the right, or 1 beyond the rank.
    fn dim_from_right(&self, from_right: usize) -> usize {
        if from_right < self.rank {
            self.dims[self.rank - 1 - from_right]
        } else {
            1
        }
    }
}

impl From<&[usize]> for Shape {
    #[track_caller]
    fn from(dims: &[usize]) -> Shape {
        Shape::new(dims)
    }
}

impl<const N: usize> From<[usize; N]> for Shape {
    #[track_caller]
    fn from(dims: [usize; N]) -> Shape {
        Shape::new(&dims)
    }
}

impl From<Vec<usize>> for Shape {
    #[track_caller]
    fn from(dims: Vec<usize>) -> Shape {
        Shape::new(&dims)
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.dims())
    }
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        let b = |x: &[usize], y: &[usize]| Shape::broadcast(Shape::new(x), Shape::new(y));
        assert_eq!(b(&[200, 3], &[3]), Some(Shape::new(&[200, 3])));
        assert_eq!(b(&[200, 1], &[1, 3]), Some(Shape::new(&[200, 3])));
        assert_eq!(b(&[], &[2, 2]), Some(Shape::new(&[2, 2])));
        assert_eq!(b(&[2, 3], &[2]), None);
        assert_eq!(b(&[4, 1, 3], &[5, 1]), Some(Shape::new(&[4, 5, 3])));
    }

    #[test]
    fn strides_are_row_major() {
        assert_eq!(&Shape::new(&[2, 3, 4]).strides()[..3], &[12, 4, 1]);
        assert_eq!(Shape::scalar().numel(), 1);
    }

    #[test]
    fn axis_helpers_keep_or_remove_the_axis() {
        let s = Shape::new(&[2, 3, 4]);
        assert_eq!(s.with_axis_kept(1), Shape::new(&[2, 1, 4]));
        assert_eq!(s.with_axis_removed(1), Shape::new(&[2, 4]));
        assert_eq!(s.split_at_axis(1), (2, 3, 4));
        assert!(!Shape::new(&[3]).broadcasts_to(s));
        assert!(Shape::new(&[1, 4]).broadcasts_to(s));
    }
}
