//! Dispatching row kernels by row width, so that rows as narrow as the tutorial's (two classes,
//! two features, three hidden units) run loops unrolled for their exact width.

/// The `WIDTH` argument of a row kernel that stands for a width known only at run time; any
/// other value is the width itself, a constant the compiler unrolls loops over.
pub(crate) const RUNTIME_WIDTH: usize = 0;

/// The row width a kernel instantiated for `WIDTH` works with, given the run-time `width`.
#[inline(always)]
pub(crate) const fn lane_width<const WIDTH: usize>(width: usize) -> usize {
    if WIDTH == RUNTIME_WIDTH { width } else { WIDTH }
}

/// Calls `kernel::<W>(args)` with `W` the row width `width` when it is 1 to 4, and
/// [`RUNTIME_WIDTH`] otherwise.
macro_rules! by_lane_width {
    ($width:expr, $kernel:ident($($arg:expr),* $(,)?)) => {
        match $width {
            1 => $kernel::<1>($($arg),*),
            2 => $kernel::<2>($($arg),*),
            3 => $kernel::<3>($($arg),*),
            4 => $kernel::<4>($($arg),*),
            _ => $kernel::<{ $crate::kernels::lanes::RUNTIME_WIDTH }>($($arg),*),
        }
    };
}
pub(crate) use by_lane_width;

#[cfg(test)]
mod tests {
    use super::*;

    /// The width a kernel instantiated for `WIDTH` sees, and the `WIDTH` it was instantiated for.
    fn widths<const WIDTH: usize>(width: usize) -> (usize, usize) {
        (lane_width::<WIDTH>(width), WIDTH)
    }

    #[test]
    fn narrow_widths_get_their_own_copy_and_others_the_run_time_one() {
        for width in 0..=9 {
            let (seen, instantiated) = by_lane_width!(width, widths(width));
            assert_eq!(seen, width, "a kernel for {width} values sees {seen}");
            let expected = if (1..=4).contains(&width) {
                width
            } else {
                RUNTIME_WIDTH
            };
            assert_eq!(instantiated, expected, "width {width}");
        }
    }
}
