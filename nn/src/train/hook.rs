//! `PassHook`: caller code that the training loop runs around every pass.

use crate::mlp::Mlp;

/// What the training loop calls around each pass (1 to `passes`); both methods do nothing by
/// default, so an implementation writes only the one it needs.
pub trait PassHook<M: ?Sized = Mlp> {
    /// Before pass `pass`: `learning_rate` holds the rate the configuration's schedule chose for
    /// it; the hook may change it (an annealing of its own, a warm-up), and the pass uses the
    /// value it leaves.
    fn before_pass(&mut self, pass: usize, learning_rate: &mut f64) {
        let _ = (pass, learning_rate);
    }

    /// After pass `pass`, with the updated model (to draw it as it learns, say).
    fn after_pass(&mut self, pass: usize, model: &M) {
        let _ = (pass, model);
    }
}

/// A hook that only looks at the model after each pass: `AfterPass(|pass, model| ...)`.
pub struct AfterPass<F>(pub F);

impl<M: ?Sized, F: FnMut(usize, &M)> PassHook<M> for AfterPass<F> {
    fn after_pass(&mut self, pass: usize, model: &M) {
        (self.0)(pass, model);
    }
}
