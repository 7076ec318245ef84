//! Metrics for classifiers: accuracy and the confusion matrix.

/// The fraction of `predicted` classes equal to `labels`.
///
/// # Panics
/// If the lengths differ or there are no examples.
#[track_caller]
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    assert!(
        predicted.len() == labels.len() && !labels.is_empty(),
        "accuracy: {} predictions for {} labels (at {})",
        predicted.len(),
        labels.len(),
        std::panic::Location::caller()
    );
    let correct = predicted
        .iter()
        .zip(labels)
        .filter(|(predicted, label)| predicted == label)
        .count();
    correct as f64 / labels.len() as f64
}

/// The confusion matrix over `classes` classes: `matrix[true_class][predicted_class]` counts the
/// examples of `true_class` that were predicted as `predicted_class`.
///
/// # Panics
/// If the lengths differ or a class is not below `classes`.
#[track_caller]
pub fn confusion_matrix(predicted: &[usize], labels: &[usize], classes: usize) -> Vec<Vec<usize>> {
    assert_eq!(
        predicted.len(),
        labels.len(),
        "confusion_matrix: {} predictions for {} labels (at {})",
        predicted.len(),
        labels.len(),
        std::panic::Location::caller()
    );
    let mut matrix = vec![vec![0; classes]; classes];
    for (&predicted, &label) in predicted.iter().zip(labels) {
        assert!(
            predicted < classes && label < classes,
            "confusion_matrix: class {} is not below {classes} (at {})",
            predicted.max(label),
            std::panic::Location::caller()
        );
        matrix[label][predicted] += 1;
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_is_the_fraction_of_matches() {
        assert_eq!(accuracy(&[0, 1, 1, 2], &[0, 1, 2, 2]), 0.75);
        assert_eq!(accuracy(&[1], &[1]), 1.0);
    }

    #[test]
    #[should_panic(expected = "accuracy: 2 predictions for 3 labels")]
    fn accuracy_refuses_mismatched_lengths() {
        accuracy(&[0, 1], &[0, 1, 1]);
    }

    #[test]
    fn the_confusion_matrix_counts_true_against_predicted() {
        let matrix = confusion_matrix(&[0, 1, 1, 2, 0], &[0, 1, 2, 2, 1], 3);
        assert_eq!(matrix, vec![vec![1, 0, 0], vec![1, 1, 0], vec![0, 1, 1]]);
        let total: usize = matrix.iter().flatten().sum();
        assert_eq!(total, 5);
    }

    #[test]
    #[should_panic(expected = "class 3 is not below 3")]
    fn the_confusion_matrix_refuses_an_unknown_class() {
        confusion_matrix(&[3], &[0], 3);
    }
}
