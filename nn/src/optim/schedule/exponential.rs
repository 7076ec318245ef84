//! The exponential schedule: the rate is multiplied by a constant factor every pass.

/// `base · decay^completed`.
pub(super) fn rate(base: f64, completed: usize, decay: f64) -> f64 {
    base * decay.powf(completed as f64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rate_is_the_base_times_the_decay_to_the_pass() {
        assert_eq!(super::rate(2.0, 3, 0.5), 0.25);
        let far = super::rate(0.01, 1000, 0.999);
        assert!((far - 0.01 * 0.999f64.powi(1000)).abs() < 1e-15, "{far}");
    }
}
