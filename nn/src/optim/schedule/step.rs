//! The step schedule: the rate drops by a factor every fixed number of passes.

/// `base · factor^⌊completed / every⌋`.
pub(super) fn rate(base: f64, completed: usize, every: usize, factor: f64) -> f64 {
    let drops = (completed / every.max(1)) as i32;
    base * factor.powi(drops)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rate_halves_every_ten_passes() {
        let rates: Vec<f64> = [0, 9, 10, 19, 20, 35]
            .iter()
            .map(|&t| super::rate(0.8, t, 10, 0.5))
            .collect();
        assert_eq!(rates, [0.8, 0.8, 0.4, 0.4, 0.2, 0.1]);
    }
}
