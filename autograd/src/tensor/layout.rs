//! Joining tensors along an axis and cutting ranges out of them.

use super::Tensor;
use crate::kernels::storage;

impl Tensor {
    /// The tensors joined along `axis` (numpy's `concatenate`).
    ///
    /// # Panics
    /// If `parts` is empty or the shapes differ off `axis`.
    #[track_caller]
    pub fn concat(parts: &[&Tensor], axis: usize) -> Tensor {
        let first = parts.first().expect("concat: no tensors to join");
        let rank = first.rank();
        assert!(
            axis < rank,
            "concat: axis {axis} is out of range for {}",
            first.shape()
        );
        let mut dims = first.dims().to_vec();
        dims[axis] = 0;
        for part in parts {
            let fits = part.rank() == rank
                && (0..rank).all(|d| d == axis || part.dims()[d] == first.dims()[d]);
            assert!(
                fits,
                "concat: {} and {} do not join along axis {axis}",
                first.shape(),
                part.shape()
            );
            dims[axis] += part.dims()[axis];
        }
        let (outer, _, inner) = first.shape().split_at_axis(axis);
        let mut data = storage::with_capacity(dims.iter().product());
        for o in 0..outer {
            for part in parts {
                let block = part.dims()[axis] * inner;
                data.extend_from_slice(&part.data[o * block..(o + 1) * block]);
            }
        }
        Tensor::from_vec(data, dims)
    }

    /// The `len` entries from `start` along `axis`.
    ///
    /// # Panics
    /// If the range does not fit in the axis.
    #[track_caller]
    pub fn slice_axis(&self, axis: usize, start: usize, len: usize) -> Tensor {
        assert!(
            axis < self.rank() && start + len <= self.dims()[axis],
            "slice: {start}..{} is out of range for axis {axis} of {}",
            start + len,
            self.shape()
        );
        let (outer, full, inner) = self.shape().split_at_axis(axis);
        let mut data = storage::with_capacity(outer * len * inner);
        for o in 0..outer {
            let begin = (o * full + start) * inner;
            data.extend_from_slice(&self.data[begin..begin + len * inner]);
        }
        let mut dims = self.dims().to_vec();
        dims[axis] = len;
        Tensor::from_vec(data, dims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_then_slice_restores_the_parts() {
        let a = Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
        let b = Tensor::from_rows(&[[5.0], [6.0]]);
        let joined = Tensor::concat(&[&a, &b], 1);
        assert_eq!(joined.data(), &[1.0, 2.0, 5.0, 3.0, 4.0, 6.0]);
        assert_eq!(joined.slice_axis(1, 0, 2), a);
        assert_eq!(joined.slice_axis(1, 2, 1), b);
        let rows = Tensor::concat(&[&a, &a], 0);
        assert_eq!(rows.dims(), &[4, 2]);
        assert_eq!(rows.slice_axis(0, 2, 2), a);
    }
}
