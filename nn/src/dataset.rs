//! `Dataset`: labelled examples for a classifier, and seeded ways to split and shuffle them.

use autograd::Tensor;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Examples as rows of `features` `[N, F]`, each with a class label.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// One example per row.
    pub features: Tensor,
    /// The class of each row, counting from 0.
    pub labels: Vec<usize>,
}

impl Dataset {
    /// A data set from features `[N, F]` and `N` labels.
    ///
    /// # Panics
    /// If `features` is not rank 2 or the counts differ.
    #[track_caller]
    pub fn new(features: Tensor, labels: Vec<usize>) -> Dataset {
        assert!(
            features.rank() == 2 && features.dims()[0] == labels.len(),
            "Dataset::new: features {} do not hold one row for each of {} labels (at {})",
            features.shape(),
            labels.len(),
            std::panic::Location::caller()
        );
        Dataset { features, labels }
    }

    /// The number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The number of features per example.
    pub fn feature_count(&self) -> usize {
        self.features.dims().get(1).copied().unwrap_or(0)
    }

    /// The number of classes: one more than the largest label (0 when empty).
    pub fn classes(&self) -> usize {
        self.labels.iter().max().map_or(0, |&label| label + 1)
    }

    /// The examples at `indices`, in that order.
    ///
    /// # Panics
    /// If an index is out of range.
    #[track_caller]
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let columns = self.feature_count();
        let mut data = Vec::with_capacity(indices.len() * columns);
        let mut labels = Vec::with_capacity(indices.len());
        for &index in indices {
            assert!(
                index < self.len(),
                "Dataset::subset: index {index} is out of range for {} examples (at {})",
                self.len(),
                std::panic::Location::caller()
            );
            data.extend_from_slice(self.features.row(index));
            labels.push(self.labels[index]);
        }
        Dataset {
            features: Tensor::from_vec(data, [indices.len(), columns]),
            labels,
        }
    }

    /// The indices `0..N` in an order shuffled by a generator seeded with `seed`.
    pub fn shuffled_indices(&self, seed: u64) -> Vec<usize> {
        let mut indices: Vec<usize> = (0..self.len()).collect();
        indices.shuffle(&mut StdRng::seed_from_u64(seed));
        indices
    }

    /// Splits off a held-out part of about `fraction` of the examples (rounded, at least one),
    /// chosen by a shuffle seeded with `seed`; returns `(train, holdout)`, each keeping the
    /// shuffled order.
    ///
    /// # Panics
    /// If `fraction` is not strictly between 0 and 1, or either part would be empty.
    #[track_caller]
    pub fn split_holdout(&self, fraction: f64, seed: u64) -> (Dataset, Dataset) {
        let Some(holdout) = holdout_count(self.len(), fraction) else {
            panic!(
                "Dataset::split_holdout: cannot hold out a fraction {fraction} of {} examples and keep both parts non-empty (at {})",
                self.len(),
                std::panic::Location::caller()
            )
        };
        let indices = self.shuffled_indices(seed);
        let (train, held) = indices.split_at(self.len() - holdout);
        (self.subset(train), self.subset(held))
    }

    /// The rows that [`split_holdout`](Dataset::split_holdout) with the same `fraction` and
    /// `seed` holds out, in its order (to mark them in a figure, say); `None` where it would
    /// panic.
    pub fn holdout_rows(&self, fraction: f64, seed: u64) -> Option<Vec<usize>> {
        let holdout = holdout_count(self.len(), fraction)?;
        let indices = self.shuffled_indices(seed);
        Some(indices[self.len() - holdout..].to_vec())
    }
}

/// How many of `examples` a held-out `fraction` takes, or `None` when the fraction is not
/// strictly between 0 and 1 or either part would be empty.
pub fn holdout_count(examples: usize, fraction: f64) -> Option<usize> {
    if !(fraction > 0.0 && fraction < 1.0) {
        return None;
    }
    let count = ((examples as f64) * fraction).round().max(1.0) as usize;
    (count < examples).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(count: usize) -> Dataset {
        let data = (0..count).flat_map(|i| [i as f64, -(i as f64)]).collect();
        Dataset::new(
            Tensor::from_vec(data, [count, 2]),
            (0..count).map(|i| i % 3).collect(),
        )
    }

    #[test]
    fn classes_counts_up_to_the_largest_label() {
        assert_eq!(numbered(10).classes(), 3);
        assert_eq!(numbered(10).feature_count(), 2);
    }

    #[test]
    fn a_holdout_split_is_seeded_and_keeps_every_example_once() {
        let data = numbered(20);
        let (train, holdout) = data.split_holdout(0.25, 9);
        assert_eq!((train.len(), holdout.len()), (15, 5));
        let mut seen: Vec<usize> = train
            .features
            .data()
            .chunks(2)
            .chain(holdout.features.data().chunks(2))
            .map(|row| {
                assert_eq!(row[1], -row[0]);
                row[0] as usize
            })
            .collect();
        let order = seen.clone();
        seen.sort();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        assert_ne!(order, seen, "the split should shuffle");
        for (row, label) in train.labels.iter().enumerate() {
            assert_eq!(*label, train.features[[row, 0]] as usize % 3);
        }
        assert_eq!(data.split_holdout(0.25, 9), (train, holdout));
        assert_ne!(
            data.split_holdout(0.25, 10).1,
            data.split_holdout(0.25, 9).1
        );
    }

    #[test]
    fn holdout_fractions_outside_the_open_interval_are_refused() {
        assert_eq!(holdout_count(10, 0.0), None);
        assert_eq!(holdout_count(10, 1.0), None);
        assert_eq!(holdout_count(10, f64::NAN), None);
        assert_eq!(holdout_count(1, 0.5), None);
        assert_eq!(holdout_count(10, 0.01), Some(1));
        assert_eq!(holdout_count(10, 0.3), Some(3));
    }
}
