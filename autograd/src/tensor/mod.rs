//! `Tensor`: a contiguous, row-major array of f64 with a shape, a value of its own (copied on
//! write when shared); plain maths, no graph.

mod activation;
mod batched;
mod display;
mod elementwise;
mod layout;
mod linalg;
mod normalize;
mod random;
mod reduce;
mod softmax;
mod transcendental;

pub(crate) use activation::relu;
pub use activation::{Activation, DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_SLOPE, UnknownActivation};
pub(crate) use batched::batch_product_dims;
pub(crate) use elementwise::sums_columns_as_sum_to;
pub use linalg::Layout;
pub(crate) use linalg::is_bias_row;

use crate::kernels::buffer::Buffer;
use crate::kernels::storage;
use crate::shape::Shape;
use std::ops::{Index, IndexMut};

/// A contiguous, row-major array of `f64` with a [`Shape`] of rank 0 to 4.
///
/// A tensor behaves as a value of its own, but its storage is shared with the tensors made
/// from it without changing a value (a clone, a [`reshape`](Tensor::reshape)) until one of
/// them is written to, which then copies it first: cloning and reshaping cost no copy.
///
/// Tensors hold values only; differentiation happens on a [`Tape`](crate::Tape) through
/// [`Var`](crate::Var)s. Every method here is plain arithmetic.
///
/// ```
/// use autograd::Tensor;
/// let t = Tensor::from_rows(&[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(t.dims(), &[2, 3]);
/// assert_eq!(t[[1, 2]], 6.0);
/// ```
#[derive(Clone, PartialEq)]
pub struct Tensor {
    shape: Shape,
    /// Shared with other tensors holding the same values (a clone, a reshape) until written.
    data: Buffer,
}

impl Tensor {
    /// A tensor from row-major data and a shape.
    ///
    /// # Panics
    /// If the data's length is not the shape's number of elements.
    #[track_caller]
    pub fn from_vec(data: Vec<f64>, shape: impl Into<Shape>) -> Tensor {
        let shape = shape.into();
        assert_eq!(
            data.len(),
            shape.numel(),
            "Tensor::from_vec: {} values cannot fill shape {shape}",
            data.len()
        );
        Tensor {
            shape,
            data: Buffer::new(data),
        }
    }

    /// A rank-0 tensor holding one value.
    pub fn scalar(value: f64) -> Tensor {
        Tensor {
            shape: Shape::scalar(),
            data: Buffer::new(storage::filled(1, value)),
        }
    }

    /// A tensor of the given shape with every element `value`.
    #[track_caller]
    pub fn full(shape: impl Into<Shape>, value: f64) -> Tensor {
        let shape = shape.into();
        Tensor {
            data: Buffer::new(storage::filled(shape.numel(), value)),
            shape,
        }
    }

    /// A tensor of zeros.
    #[track_caller]
    pub fn zeros(shape: impl Into<Shape>) -> Tensor {
        Tensor::full(shape, 0.0)
    }

    /// A tensor of ones.
    #[track_caller]
    pub fn ones(shape: impl Into<Shape>) -> Tensor {
        Tensor::full(shape, 1.0)
    }

    /// A rank-2 tensor from nested rows, e.g. `&[[1.0, 2.0], [3.0, 4.0]]` or `&[vec![1.0], vec![2.0]]`.
    ///
    /// # Panics
    /// If the rows are of different lengths.
    #[track_caller]
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Tensor {
        let cols = rows.first().map_or(0, |row| row.as_ref().len());
        let mut data = Vec::with_capacity(rows.len() * cols);
        for (index, row) in rows.iter().enumerate() {
            let row = row.as_ref();
            assert_eq!(
                row.len(),
                cols,
                "Tensor::from_rows: row {index} has {} values, row 0 has {cols}",
                row.len()
            );
            data.extend_from_slice(row);
        }
        Tensor::from_vec(data, [rows.len(), cols])
    }

    /// A rank-1 tensor of `count` evenly spaced values from `start` to `end` inclusive (numpy's `linspace`).
    pub fn linspace(start: f64, end: f64, count: usize) -> Tensor {
        let step = if count > 1 {
            (end - start) / (count - 1) as f64
        } else {
            0.0
        };
        let data = (0..count).map(|i| start + step * i as f64).collect();
        Tensor::from_vec(data, [count])
    }

    /// The shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The dimensions, outermost first.
    pub fn dims(&self) -> &[usize] {
        self.shape.dims()
    }

    /// The number of dimensions.
    pub fn rank(&self) -> usize {
        self.shape.rank()
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the tensor has no elements (some dimension is 0).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The elements in row-major order.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// The elements in row-major order, mutably.
    pub fn data_mut(&mut self) -> &mut [f64] {
        self.data.make_mut()
    }

    /// The elements, giving up the tensor.
    pub fn into_data(self) -> Vec<f64> {
        self.data.into_vec()
    }

    /// The value of a tensor with exactly one element (any rank).
    ///
    /// # Panics
    /// If the tensor does not hold exactly one element.
    #[track_caller]
    pub fn item(&self) -> f64 {
        assert_eq!(
            self.data.len(),
            1,
            "Tensor::item: a tensor of shape {} holds {} values, not one",
            self.shape,
            self.data.len()
        );
        self.data[0]
    }

    /// The element at a multi-index, or `None` if the index has the wrong rank or is out of range.
    pub fn get(&self, index: &[usize]) -> Option<f64> {
        self.flat_index(index).map(|flat| self.data[flat])
    }

    /// The same data under a new shape with the same number of elements.
    ///
    /// # Panics
    /// If the element counts differ.
    #[track_caller]
    pub fn reshape(self, shape: impl Into<Shape>) -> Tensor {
        let shape = shape.into();
        assert_eq!(
            shape.numel(),
            self.len(),
            "reshape: cannot view {} ({} values) as {shape}",
            self.shape,
            self.len()
        );
        Tensor {
            shape,
            data: self.data,
        }
    }

    /// Row `row` of a rank-2 tensor, as a slice.
    #[track_caller]
    pub fn row(&self, row: usize) -> &[f64] {
        assert_eq!(
            self.rank(),
            2,
            "Tensor::row: shape {} is not rank 2",
            self.shape
        );
        let cols = self.dims()[1];
        &self.data[row * cols..(row + 1) * cols]
    }

    /// Whether every element is finite (neither NaN nor infinite).
    pub fn all_finite(&self) -> bool {
        self.data.iter().all(|x| x.is_finite())
    }

    fn flat_index(&self, index: &[usize]) -> Option<usize> {
        if index.len() != self.rank() {
            return None;
        }
        let strides = self.shape.strides();
        let mut flat = 0;
        for (axis, (&i, &dim)) in index.iter().zip(self.dims()).enumerate() {
            if i >= dim {
                return None;
            }
            flat += i * strides[axis];
        }
        Some(flat)
    }

    #[track_caller]
    fn checked_flat_index(&self, index: &[usize]) -> usize {
        match self.flat_index(index) {
            Some(flat) => flat,
            None => panic!(
                "Tensor index: {index:?} is out of range for shape {}",
                self.shape
            ),
        }
    }
}

impl<const N: usize> Index<[usize; N]> for Tensor {
    type Output = f64;

    #[track_caller]
    fn index(&self, index: [usize; N]) -> &f64 {
        &self.data[self.checked_flat_index(&index)]
    }
}

impl<const N: usize> IndexMut<[usize; N]> for Tensor {
    #[track_caller]
    fn index_mut(&mut self, index: [usize; N]) -> &mut f64 {
        let flat = self.checked_flat_index(&index);
        &mut self.data.make_mut()[flat]
    }
}

impl From<f64> for Tensor {
    fn from(value: f64) -> Tensor {
        Tensor::scalar(value)
    }
}

impl From<Vec<f64>> for Tensor {
    /// A rank-1 tensor of the values, in order (`[n]` for `n` values), without copying them.
    fn from(values: Vec<f64>) -> Tensor {
        let count = values.len();
        Tensor::from_vec(values, [count])
    }
}

impl From<&[f64]> for Tensor {
    /// A rank-1 tensor holding a copy of the values, in order.
    fn from(values: &[f64]) -> Tensor {
        Tensor::from(values.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_give_the_stated_shapes() {
        assert_eq!(Tensor::zeros([2, 3]).data(), &[0.0; 6]);
        assert_eq!(Tensor::ones([4]).dims(), &[4]);
        assert_eq!(Tensor::scalar(2.5).item(), 2.5);
        let t = Tensor::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]]);
        assert_eq!(t.data(), &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(t.row(1), &[3.0, 4.0]);
        assert_eq!(
            Tensor::linspace(-1.0, 1.0, 5).data(),
            &[-1.0, -0.5, 0.0, 0.5, 1.0]
        );
    }

    #[test]
    fn indexing_is_row_major() {
        let mut t = Tensor::from_vec((0..6).map(f64::from).collect(), [2, 3]);
        assert_eq!(t[[1, 0]], 3.0);
        t[[0, 2]] = 9.0;
        assert_eq!(t.get(&[0, 2]), Some(9.0));
        assert_eq!(t.get(&[2, 0]), None);
        assert_eq!(t.get(&[0]), None);
    }

    #[test]
    #[should_panic(expected = "Tensor::from_vec: 5 values cannot fill shape [2, 3]")]
    fn from_vec_rejects_a_wrong_length() {
        let _ = Tensor::from_vec(vec![0.0; 5], [2, 3]);
    }

    #[test]
    #[should_panic(expected = "Tensor::from_rows: row 1 has 1 values, row 0 has 2")]
    fn from_rows_rejects_ragged_rows() {
        let _ = Tensor::from_rows(&[vec![1.0, 2.0], vec![3.0]]);
    }
}
