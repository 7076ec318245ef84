//! The 8×8 handwritten digits built into the binary (`demo/data/digits.csv`) and their fixed split.

use std::path::Path;

use crate::images::{self, ImageSet, ImageShape};

/// The file's text, embedded so that `demo digits` runs from any directory.
const CSV: &str = include_str!("../data/digits.csv");

/// The size of one digit image: one grey channel, 8 × 8 pixels.
pub const SHAPE: ImageShape = ImageShape {
    channels: 1,
    height: 8,
    width: 8,
};

/// The largest pixel value; pixels are divided by it to lie in `[0, 1]`.
pub const MAX_PIXEL: f64 = 16.0;

/// The share of the images held out as the test set (359 of 1,797).
pub const TEST_FRACTION: f64 = 0.2;

/// The seed of the shuffle that picks the test set.
pub const SPLIT_SEED: u64 = 0;

/// All 1,797 digits, pixels scaled into `[0, 1]`, labels 0 to 9.
pub fn load() -> ImageSet {
    match images::parse(Path::new("digits.csv (built in)"), CSV, SHAPE) {
        Ok(set) => set.scaled(1.0 / MAX_PIXEL),
        Err(error) => panic!("digits::load: the embedded data set does not parse: {error}"),
    }
}

/// The fixed split `(train, test)`: a shuffle of all images seeded with [`SPLIT_SEED`], whose last
/// [`TEST_FRACTION`] (359 images) is the test set; the same split as `train --holdout 0.2 --seed 0`.
pub fn split(all: &ImageSet) -> (ImageSet, ImageSet) {
    all.split(TEST_FRACTION, SPLIT_SEED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_set_has_1797_images_of_ten_classes_in_the_unit_range() {
        let all = load();
        assert_eq!(all.features.dims(), &[1797, 64]);
        assert_eq!(all.class_count(), 10);
        let counts: Vec<usize> = (0..10)
            .map(|digit| all.labels.iter().filter(|&&label| label == digit).count())
            .collect();
        assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        assert!(
            all.features
                .data()
                .iter()
                .all(|&v| (0.0..=1.0).contains(&v))
        );
        // The first image of the file is a 0: its top row is 0,0,5,13,9,1,0,0.
        assert_eq!(all.labels[0], 0);
        let top_row: Vec<f64> = all.image(0)[..8].iter().map(|v| v * MAX_PIXEL).collect();
        assert_eq!(top_row, [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn the_split_is_fixed_and_disjoint() {
        let all = load();
        let (train, test) = split(&all);
        assert_eq!((train.len(), test.len()), (1438, 359));
        let (again, _) = split(&all);
        assert_eq!(train.labels, again.labels);
        assert_eq!(train.features.data(), again.features.data());
        let mut rows: Vec<Vec<u64>> = (0..all.len())
            .map(|n| all.image(n).iter().map(|v| v.to_bits()).collect())
            .collect();
        rows.sort();
        let mut parts: Vec<Vec<u64>> = (0..train.len())
            .map(|n| train.image(n).iter().map(|v| v.to_bits()).collect())
            .chain((0..test.len()).map(|n| test.image(n).iter().map(|v| v.to_bits()).collect()))
            .collect();
        parts.sort();
        assert_eq!(
            rows, parts,
            "train and test together are the whole set, once each"
        );
    }
}
