#!/usr/bin/env bash
# Runs the three training workloads of issue #6 in numpy, JAX and our Rust engine, side by side,
# and the model workloads of issues #16 (cnn) and #17 (transformer) in JAX (and PyTorch, where it
# is installed) and our engine, and prints one markdown table of median times per pass and ratios
# against ours.
#
# Usage (from anywhere in the repository):
#     bench/compare.sh
# Environment:
#     WORKLOADS="small large deep cnn transformer"  which workloads to run
#     RUNS=5                        rounds: timed training loops per implementation (medians reported)
#     QUICK=1                       a smoke test: a tenth of the passes and 3 rounds
#     PYTHON=python3                the interpreter that creates the virtual environment
#     CARGO_TARGET_DIR              honoured when building the Rust side
#
# What it does:
#  1. Creates bench/.venv (python -m venv) and installs numpy and jax[cpu] from PyPI, once.
#  2. Data: small is the golden moons200 with hidden size 3 (nn/tests/golden when present, else the
#     copies in bench/data); large (100,000 moons, hidden 64) and deep (8192×64 blobs, 10 classes,
#     64-256-256-10) are generated from fixed seeds by bench/make_data.py into target/bench-data.
#  3. Builds autograd/examples/bench_train.rs (release) and checks, on small, that the tape's
#     gradients equal the hand-derived ones and that the loss trajectories of all implementations
#     agree with numpy's to 1e-12 relative over the first 1500 passes (exits 1 otherwise).
#  4. Times, per workload: numpy's hand-written backprop (bench/ref_numpy.py), JAX with the whole
#     loop jitted (bench/ref_jax.py), our engine through the tape (rust-tape) and the hand-derived
#     step on the same kernels (rust-hand); everything in f64, same data, same initial weights.
#     The implementations take turns, one timed training loop each per round (after one untimed
#     loop in the same process, so that no one pays for its start-up), RUNS rounds.
#  5. Model workloads: cnn is one epoch (28 mini-batches of 64, plain gradient descent, lr 0.1) of
#     the digits CNN of `demo digits` on demo/data/digits.csv; transformer is a training step of
#     the small transformer of `demo names` (vocab 27, context 12, width 32, 4 heads, 2 blocks; a
#     batch of 32 sequences of 12 tokens; lr 0.1), timed over 20 steps. Initial weights and the
#     transformer's batch come from bench/make_data.py. Ours is nn/examples/bench_models.rs, JAX's
#     step is bench/ref_jax_models.py (jitted, the steps inside lax.scan), PyTorch's eager step
#     bench/ref_torch_models.py (cnn only; skipped with a note when `import torch` fails: the
#     script does not install it). Before timing, ours and JAX's losses over the first steps must
#     agree to 1e-10 relative (exits 1 otherwise).
#  6. Prints the table (bench/table.py); raw lines are kept in target/bench-results.txt.
# Timings from a busy machine are noisy: compare the ratios measured in one run, not absolute times.
set -euo pipefail
# The rest is one compound command, which bash reads whole before running it: editing this file
# while a comparison runs cannot change what the running one does (bash otherwise reads a script
# as it goes).
{

cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-5}
WORKLOADS=${WORKLOADS:-small large deep cnn transformer}
PYTHON=${PYTHON:-python3}
VENV=bench/.venv
DATA=target/bench-data
RESULTS=target/bench-results.txt

if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import numpy, jax' 2>/dev/null; then
    echo "== creating $VENV (numpy, jax[cpu])" >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet numpy 'jax[cpu]'
fi
PY=$VENV/bin/python

GOLDEN=nn/tests/golden
[[ -f $GOLDEN/moons200.csv && -f $GOLDEN/init_h3.json ]] || GOLDEN=bench/data
if [[ ! -f $DATA/deep.csv || ! -f $DATA/init_deep.json || ! -f $DATA/large.csv || ! -f $DATA/init_large.json ||
    ! -f $DATA/init_cnn.json || ! -f $DATA/transformer.json ]]; then
    echo "== generating $DATA" >&2
    "$PY" bench/make_data.py "$DATA"
fi

echo "== building the Rust side" >&2
cargo build --quiet --release -p autograd --features bench --example bench_train
cargo build --quiet --release -p nn --features bench --example bench_models
RUST=${CARGO_TARGET_DIR:-target}/release/examples/bench_train
RUST_MODELS=${CARGO_TARGET_DIR:-target}/release/examples/bench_models

# workload -> data, init, passes, learning rate
declare -A DATA_FILE=([small]=$GOLDEN/moons200.csv [large]=$DATA/large.csv [deep]=$DATA/deep.csv
    [cnn]=demo/data/digits.csv [transformer]=$DATA/transformer.json)
declare -A INIT_FILE=([small]=$GOLDEN/init_h3.json [large]=$DATA/init_large.json [deep]=$DATA/init_deep.json
    [cnn]=$DATA/init_cnn.json [transformer]=$DATA/transformer.json)
declare -A PASSES=([small]=20000 [large]=100 [deep]=50 [cnn]=28 [transformer]=20)
declare -A RATE=([small]=0.01 [large]=2e-5 [deep]=1e-4 [cnn]=0.1 [transformer]=0.1)
if [[ ${QUICK:-0} == 1 ]]; then
    PASSES=([small]=2000 [large]=10 [deep]=5 [cnn]=28 [transformer]=5)
    RUNS=3
fi
HAVE_TORCH=0
if "$PY" -c 'import torch' 2>/dev/null; then HAVE_TORCH=1; fi

echo "== checking gradients and loss trajectories on small (1500 passes)" >&2
TRACES=target/bench-traces
mkdir -p "$TRACES"
common=(--workload small --data "${DATA_FILE[small]}" --init "${INIT_FILE[small]}" --learning-rate 0.01 --passes 1 --runs 1)
"$PY" bench/ref_numpy.py "${common[@]}" --trace "$TRACES/numpy.csv" >/dev/null
"$PY" bench/ref_jax.py "${common[@]}" --trace "$TRACES/jax.csv" >/dev/null
"$RUST" "${common[@]}" --step tape --check --trace "$TRACES/rust-tape.csv" | grep CHECK >&2
"$RUST" "${common[@]}" --step hand --trace "$TRACES/rust-hand.csv" >/dev/null
"$PY" bench/check_traces.py 1e-12 "$TRACES/numpy.csv" "$TRACES/jax.csv" "$TRACES/rust-tape.csv" "$TRACES/rust-hand.csv" >&2
if [[ -f nn/tests/golden/numpy_losses_h3_lr0.01.csv ]]; then
    "$PY" bench/check_traces.py 1e-12 nn/tests/golden/numpy_losses_h3_lr0.01.csv "$TRACES/rust-tape.csv" >&2
fi

for workload in cnn transformer; do
    [[ " $WORKLOADS " == *" $workload "* ]] || continue
    echo "== checking $workload's loss trajectory: ours against JAX's (${PASSES[$workload]} steps)" >&2
    common=(--workload "$workload" --data "${DATA_FILE[$workload]}" --init "${INIT_FILE[$workload]}"
        --learning-rate "${RATE[$workload]}" --passes 1 --runs 1 --trace-passes "${PASSES[$workload]}")
    "$PY" bench/ref_jax_models.py "${common[@]}" --trace "$TRACES/$workload-jax.csv" >/dev/null
    "$RUST_MODELS" "${common[@]}" --trace "$TRACES/$workload-rust-tape.csv" >/dev/null
    if [[ $workload == cnn && $HAVE_TORCH == 1 ]]; then
        "$PY" bench/ref_torch_models.py "${common[@]}" --trace "$TRACES/$workload-torch.csv" >/dev/null
        "$PY" bench/check_traces.py 1e-10 "$TRACES/$workload-jax.csv" "$TRACES/$workload-torch.csv" >&2
    fi
    "$PY" bench/check_traces.py 1e-10 "$TRACES/$workload-jax.csv" "$TRACES/$workload-rust-tape.csv" >&2
done
if [[ $HAVE_TORCH == 0 && " $WORKLOADS " == *" cnn "* ]]; then
    echo "== PyTorch is not installed in $VENV (import torch fails): no torch column for cnn" >&2
fi

# One timed loop per implementation per round, the implementations taking turns (the order
# rotating by one each round), so that a slow spell of the machine falls on all of them rather
# than on whichever ran during it.
run_impl() { # implementation, round, arguments...
    local impl=$1 round=$2
    shift 2
    case $impl in
        jax-models) "$PY" bench/ref_jax_models.py "$@" ;;
        torch) "$PY" bench/ref_torch_models.py "$@" ;;
        rust-models) "$RUST_MODELS" "$@" ;;
        numpy) "$PY" bench/ref_numpy.py "$@" ;;
        jax) "$PY" bench/ref_jax.py "$@" ;;
        rust-hand) "$RUST" "$@" --step hand ;;
        rust-tape) "$RUST" "$@" --step tape ;;
    esac | sed "s/\$/ round=$round/" | tee -a "$RESULTS" >&2
}
MLP_IMPLS=(numpy jax rust-hand rust-tape)
MODEL_IMPLS=(jax-models rust-models)
: >"$RESULTS"
for workload in $WORKLOADS; do
    case $workload in
        cnn)
            IMPLS=("${MODEL_IMPLS[@]}")
            if [[ $HAVE_TORCH == 1 ]]; then IMPLS+=(torch); fi
            ;;
        transformer) IMPLS=("${MODEL_IMPLS[@]}") ;;
        *) IMPLS=("${MLP_IMPLS[@]}") ;;
    esac
    args=(--workload "$workload" --data "${DATA_FILE[$workload]}" --init "${INIT_FILE[$workload]}"
        --passes "${PASSES[$workload]}" --learning-rate "${RATE[$workload]}" --runs 1 --warm-up 1)
    echo "== $workload" >&2
    for ((round = 1; round <= RUNS; round++)); do
        for ((turn = 0; turn < ${#IMPLS[@]}; turn++)); do
            run_impl "${IMPLS[(round + turn) % ${#IMPLS[@]}]}" "$round" "${args[@]}"
        done
    done
done

echo
echo "Measured $(date -u +%Y-%m-%d) on: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo
"$PY" bench/table.py "$RESULTS"
if [[ $HAVE_TORCH == 0 && " $WORKLOADS " == *" cnn "* ]]; then
    echo
    echo "PyTorch is not installed in $VENV, so cnn has no torch row."
fi
exit
}
