//! Memory estimates made before allocating, so that a size that cannot fit is refused in one line.
//!
//! An allocation that fails aborts the process (no error, no unwinding), so `--hidden
//! 1000000000000` must be caught by arithmetic first. The estimates count the `f64`s a run
//! holds at once and compare them with the memory the system says is available.

use crate::error::{Error, Result};

/// Bytes per number.
const F64: u128 = 8;
/// Copies of the parameters training keeps: the parameters, their gradients, the last finite
/// parameters (for a rollback), and up to two moment estimates (Adam).
const PARAMETER_COPIES: u128 = 5;
/// Numbers a recorded step holds per row and unit: the affine output, the activation, and the
/// gradient of each.
const VALUES_PER_UNIT: u128 = 4;

/// The numbers of a fully connected network of layer sizes `sizes`: `Σ (in + 1)·out`
/// (saturating: a count beyond `u128` is beyond any memory anyway).
pub fn parameter_count(sizes: &[usize]) -> u128 {
    sizes
        .windows(2)
        .map(|pair| (pair[0] as u128 + 1).saturating_mul(pair[1] as u128))
        .fold(0, u128::saturating_add)
}

/// Bytes to train a network of layer sizes `sizes` on `rows` rows, `batch_rows` per step
/// (saturating).
pub fn training_bytes(sizes: &[usize], rows: usize, batch_rows: usize) -> u128 {
    let units: u128 = sizes.iter().map(|&size| size as u128).sum();
    let parameters = PARAMETER_COPIES.saturating_mul(parameter_count(sizes));
    // A step records the batch; a report evaluates every row (without gradients).
    let step = (VALUES_PER_UNIT * batch_rows as u128).saturating_mul(units);
    let report = (2 * rows as u128).saturating_mul(units);
    F64.saturating_mul(parameters.saturating_add(step).saturating_add(report))
}

/// Refuses `needed` bytes for `what` when they exceed the memory available (or any address
/// space), naming the flags that set the size.
pub fn check(what: &str, needed: u128, flags: &'static str) -> Result<()> {
    let available = available_bytes().unwrap_or(u64::MAX);
    let limit = u128::from(available).min(isize::MAX as u128);
    if needed > limit {
        return Err(Error::TooLarge {
            what: what.to_string(),
            needed,
            available: available_bytes(),
            flags,
        });
    }
    Ok(())
}

/// The memory the system says can be used now (`MemAvailable` in `/proc/meminfo` on Linux), or
/// `None` when it does not say.
pub fn available_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text
        .lines()
        .find(|line| line.starts_with("MemAvailable:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kilobytes.checked_mul(1024)
}

/// `16.0 TB`, `512.0 MB`: bytes in decimal units, for messages.
pub fn human(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorials_network_has_17_parameters() {
        // W1 2×3 + b1 3 + W2 3×2 + b2 2
        assert_eq!(parameter_count(&[2, 3, 2]), 17);
    }

    #[test]
    fn a_trillion_hidden_units_are_refused_without_overflow() {
        let sizes = [2, 1_000_000_000_000, 2];
        let needed = training_bytes(&sizes, 200, 200);
        let message = check("training", needed, "--hidden")
            .unwrap_err()
            .to_string();
        assert!(message.contains("--hidden"), "{message}");
        assert!(message.contains("PB of memory"), "{message}");
        // The largest sizes a usize can name do not overflow the arithmetic either.
        assert!(training_bytes(&[usize::MAX, usize::MAX], usize::MAX, usize::MAX) > 0);
    }

    #[test]
    fn the_tutorial_fits() {
        check("training", training_bytes(&[2, 3, 2], 200, 200), "--hidden").unwrap();
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(human(999), "999 B");
        assert_eq!(human(16_000_000_000_000), "16.0 TB");
    }
}
