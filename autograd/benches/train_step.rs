//! Criterion benchmarks of one full MLP training step (forward, backward, update) at each
//! workload's size: through the tape, and hand-derived on the same kernels.
//!
//! Run with `cargo bench -p autograd --features bench --bench train_step`. The ratio `tape / hand` of each
//! workload's two figures is the engine's overhead (issue #6 asks for at most 1.3). Before timing,
//! each workload checks that both steps give the same loss and gradients (to 1e-12 relative), so
//! the baseline cannot drift from the maths it stands for.

#[path = "support/mlp.rs"]
mod mlp;

#[path = "support/config.rs"]
mod config;
use autograd::Tape;
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;

fn train_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("train_step");
    for workload in &mlp::WORKLOADS {
        let (batch, init) = workload.synthetic(6);
        let reg = 0.01;
        let mut tape = Tape::new();
        let (tape_loss, tape_grads) = mlp::tape_gradients(&mut tape, &init, &batch, reg);
        let (hand_loss, hand_grads) = mlp::hand_gradients(&init, &batch, reg);
        let worst = mlp::worst_relative_difference(&hand_grads, &tape_grads)
            .max((tape_loss - hand_loss).abs() / hand_loss.abs());
        assert!(
            worst <= 1e-12,
            "{}: tape and hand-derived steps differ by {worst:e}",
            workload.name
        );
        if workload.examples >= 8192 {
            // A step takes a large fraction of a second: ten single-step samples, not a ramp.
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        }
        let mut params = init.clone();
        group.bench_function(BenchmarkId::new("tape", workload.name), |bench| {
            bench.iter(|| {
                let (loss, grads) = mlp::tape_gradients(&mut tape, &params, &batch, reg);
                mlp::descend(&mut params, &grads, workload.learning_rate);
                black_box(loss)
            })
        });
        let mut params = init.clone();
        group.bench_function(BenchmarkId::new("hand", workload.name), |bench| {
            bench.iter(|| {
                let (loss, grads) = mlp::hand_gradients(&params, &batch, reg);
                mlp::descend(&mut params, &grads, workload.learning_rate);
                black_box(loss)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = config::short();
    targets = train_step
}
criterion_main!(benches);
