//! The inverse-time schedule: the rate falls as one over the passes, the tutorial's annealing.

/// `base / (1 + decay·completed)`: after `1/decay` passes the rate is half the base.
pub(super) fn rate(base: f64, completed: usize, decay: f64) -> f64 {
    base / (1.0 + decay * completed as f64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rate_halves_after_one_over_decay_passes() {
        assert_eq!(super::rate(0.01, 1000, 0.001), 0.005);
        assert_eq!(super::rate(0.01, 3000, 0.001), 0.0025);
        assert_eq!(super::rate(0.01, 3000, 0.0), 0.01);
    }
}
