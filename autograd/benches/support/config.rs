//! The criterion settings every benchmark here uses: short, so `cargo bench` takes minutes.

use criterion::Criterion;
use std::time::Duration;

/// 20 samples after half a second of warm-up, measured for 2 seconds.
pub fn short() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}
