//! Learning-rate schedules: the step size as a function of the pass, one small formula each.
//!
//! Every schedule starts at the base rate (the `--lr`) in pass 1 and is evaluated at `t`, the
//! passes completed before the current one (0 for the first); the training loop sets the
//! optimiser's rate from it before each pass.

mod cosine;
mod exponential;
mod inverse_time;
mod step;

use std::fmt;

/// How the learning rate changes over training.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Schedule {
    /// The base rate throughout (the tutorial's).
    #[default]
    Constant,
    /// `base · factor^⌊t / every⌋`: multiplied by `factor` every `every` passes.
    Step {
        /// Passes between drops (at least 1).
        every: usize,
        /// What each drop multiplies the rate by.
        factor: f64,
    },
    /// `base · decay^t`: multiplied by `decay` every pass.
    Exponential {
        /// The factor per pass (below 1 to decay).
        decay: f64,
    },
    /// `base / (1 + decay·t)`: the annealing the tutorial suggests as an exercise.
    InverseTime {
        /// How fast the rate falls (0 keeps it constant).
        decay: f64,
    },
    /// `floor + (base − floor)·(1 + cos(π·t/T))/2` with `T` the total passes: from `base` down
    /// to `floor` along half a cosine.
    Cosine {
        /// The rate the curve ends at.
        floor: f64,
    },
}

impl Schedule {
    /// The rate for the pass after `completed` passes, of `total`, starting from `base`.
    pub fn rate(&self, base: f64, completed: usize, total: usize) -> f64 {
        match *self {
            Schedule::Constant => base,
            Schedule::Step { every, factor } => step::rate(base, completed, every, factor),
            Schedule::Exponential { decay } => exponential::rate(base, completed, decay),
            Schedule::InverseTime { decay } => inverse_time::rate(base, completed, decay),
            Schedule::Cosine { floor } => cosine::rate(base, completed, total, floor),
        }
    }

    /// Why this schedule cannot be used (a parameter out of its range), if it cannot.
    pub fn invalid(&self) -> Option<String> {
        let bad = |name: &str, value: f64, range: &str| {
            Some(format!("{} {name} {value} is not {range}", self.name()))
        };
        match *self {
            Schedule::Constant => None,
            Schedule::Step { every: 0, .. } => {
                Some("step every 0 passes: it must be at least 1".to_string())
            }
            Schedule::Step { factor, .. } if !(factor.is_finite() && factor > 0.0) => {
                bad("factor", factor, "a positive number")
            }
            Schedule::Step { .. } => None,
            Schedule::Exponential { decay } if !(decay.is_finite() && decay > 0.0) => {
                bad("decay", decay, "a positive number")
            }
            Schedule::InverseTime { decay } if !(decay.is_finite() && decay >= 0.0) => {
                bad("decay", decay, "a non-negative number")
            }
            Schedule::Cosine { floor } if !(floor.is_finite() && floor >= 0.0) => {
                bad("floor", floor, "a non-negative number")
            }
            Schedule::Exponential { .. }
            | Schedule::InverseTime { .. }
            | Schedule::Cosine { .. } => None,
        }
    }

    /// The name as written in flags (`constant`, `step`, `exponential`, `inverse-time`, `cosine`).
    pub fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::InverseTime { .. } => "inverse-time",
            Schedule::Cosine { .. } => "cosine",
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Schedule::Constant => write!(f, "constant"),
            Schedule::Step { every, factor } => write!(f, "step (×{factor} every {every} passes)"),
            Schedule::Exponential { decay } => write!(f, "exponential (×{decay} per pass)"),
            Schedule::InverseTime { decay } => write!(f, "inverse-time (decay {decay})"),
            Schedule::Cosine { floor } => write!(f, "cosine (down to {floor})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schedule_starts_at_the_base_rate() {
        let schedules = [
            Schedule::Constant,
            Schedule::Step {
                every: 3,
                factor: 0.5,
            },
            Schedule::Exponential { decay: 0.9 },
            Schedule::InverseTime { decay: 0.1 },
            Schedule::Cosine { floor: 0.001 },
        ];
        for schedule in schedules {
            assert_eq!(schedule.rate(0.25, 0, 100), 0.25, "{schedule}");
            assert_eq!(schedule.invalid(), None, "{schedule}");
        }
        assert_eq!(Schedule::Constant.rate(0.25, 99, 100), 0.25);
    }

    #[test]
    fn parameters_out_of_range_are_named() {
        let invalid = |schedule: Schedule| schedule.invalid().unwrap();
        assert!(
            invalid(Schedule::Step {
                every: 0,
                factor: 0.5
            })
            .contains("every 0")
        );
        assert!(
            invalid(Schedule::Step {
                every: 2,
                factor: -1.0
            })
            .contains("factor -1")
        );
        assert!(invalid(Schedule::Exponential { decay: 0.0 }).contains("decay 0"));
        assert!(invalid(Schedule::InverseTime { decay: f64::NAN }).contains("decay NaN"));
        assert!(invalid(Schedule::Cosine { floor: -0.1 }).contains("floor -0.1"));
    }
}
