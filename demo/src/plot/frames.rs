//! Which training passes an animation shows: spaced evenly in the logarithm of the pass number.

/// The passes after which an animation of a `passes`-pass run draws its frames (besides the
/// starting model at pass 0): `frames` of them, or one per pass when there are fewer passes.
///
/// The boundary moves most in the first passes and hardly at all later, so the frames are spaced
/// evenly in `ln(1 + pass)` rather than in the pass number: with 20000 passes and 40 frames, half
/// of them come before pass 150. The passes strictly increase and the last is `passes`.
pub fn frame_passes(passes: usize, frames: usize) -> Vec<usize> {
    let count = frames.min(passes);
    let span = (passes as f64).ln_1p();
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    for frame in 1..=count {
        let ideal = (span * frame as f64 / count as f64).exp_m1().round() as usize;
        let earliest = chosen.last().map_or(1, |&previous| previous + 1);
        // Leave one pass for each frame still to come.
        let latest = passes - (count - frame);
        chosen.push(ideal.clamp(earliest, latest));
    }
    chosen
}
