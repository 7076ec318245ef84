//! The cosine schedule: the rate follows half a cosine from the base down to a floor.

use std::f64::consts::PI;

/// `floor + (base − floor)·(1 + cos(π·completed/total))/2`; `base` at the start, `floor` after
/// `total` passes (and from then on).
pub(super) fn rate(base: f64, completed: usize, total: usize, floor: f64) -> f64 {
    let progress = completed.min(total) as f64 / total.max(1) as f64;
    floor + (base - floor) * (1.0 + (PI * progress).cos()) / 2.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rate_goes_from_the_base_through_the_midpoint_to_the_floor() {
        assert_eq!(super::rate(1.0, 0, 100, 0.0), 1.0);
        assert!((super::rate(1.0, 50, 100, 0.0) - 0.5).abs() < 1e-15);
        assert!(
            (super::rate(1.0, 25, 100, 0.2) - (0.2 + 0.8 * (1.0 + 0.5f64.sqrt()) / 2.0)).abs()
                < 1e-15
        );
        assert_eq!(super::rate(1.0, 100, 100, 0.2), 0.2);
        assert_eq!(super::rate(1.0, 150, 100, 0.2), 0.2);
    }
}
