//! Random expression graphs over every op, with shared sub-expressions, reduced to a scalar.
//!
//! The elementwise ops (unary and binary) come from autograd's case table ([`table_ops`]), each
//! with the value domain its cases declare, so that a newly registered op appears in random
//! graphs with no edit here; the ops that change shapes or combine values across places are
//! listed in [`NodeOp`].
//!
//! A [`Graph`] works on matrices of one shape `[rows, columns]`. Its inputs are three such
//! matrices `x0, x1, x2`, a square matrix `w` (`[columns, columns]`) and a row `b` (`[columns]`).
//! Each node applies one op to one or two earlier values, chosen anywhere before it, so a value
//! often feeds several later nodes (fan-out) and the depth reaches 6. Ops that change the shape
//! are combined with their inverse or with a broadcast so that every node is `[rows, columns]`
//! again, and operands of ops with a restricted domain are brought into it (see
//! [`into_domain`]: `log(a² + 0.5)`, `a / (b + 0.5·b/|b|)`).
//! The output is the weighted sum of every node that no later node uses.

use crate::custom::Softplus;
use crate::probe::weighted_sum;
use crate::values::moderate;
use autograd::cases::{self, Domain, Family, OpCase};
use autograd::{Tape, Tensor, Var};
use proptest::collection::vec;
use proptest::prelude::*;
use std::fmt;
use std::sync::LazyLock;

/// The most nodes a random graph has.
pub const MAX_NODES: usize = 10;

/// The greatest depth of a node (an input has depth 0).
pub const MAX_DEPTH: usize = 6;

/// How many inputs have the working shape `[rows, columns]`.
const MATRIX_INPUTS: usize = 3;

/// Every unary and binary elementwise op of autograd's case table ([`cases::all`] of
/// [`Family::Unary`] and [`Family::Binary`]), once per distinct function: an op whose cases
/// apply it with several parameters (`powf`) appears once per parameter. A newly registered
/// elementwise op appears here, and so in random graphs, with no edit to this crate.
pub fn table_ops() -> &'static [OpCase] {
    static TABLE: LazyLock<Vec<OpCase>> = LazyLock::new(|| {
        let mut ops: Vec<OpCase> = Vec::new();
        for case in cases::all() {
            let listed = ops
                .iter()
                .any(|op| op.op == case.op && std::ptr::fn_addr_eq(op.apply, case.apply));
            if case.family != Family::Other && !listed {
                ops.push(case);
            }
        }
        ops
    });
    &TABLE
}

/// An op of [`table_ops`], by position; its `Debug` form is the op's name and that position.
#[derive(Clone, Copy, PartialEq)]
pub struct TableOp(pub usize);

impl TableOp {
    /// The case the op was taken from.
    pub fn case(self) -> &'static OpCase {
        &table_ops()[self.0]
    }

    /// The first op of the table named `name`.
    ///
    /// # Panics
    /// If the case table has no elementwise op of that name.
    pub fn named(name: &str) -> TableOp {
        let position = table_ops().iter().position(|op| op.op == name);
        TableOp(position.unwrap_or_else(|| panic!("no elementwise op {name} in the case table")))
    }
}

impl fmt::Debug for TableOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.case().op, self.0)
    }
}

/// One node's op; `a` is its first operand and `b` its second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NodeOp {
    /// An elementwise op of the case table on `a` (unary) or `a` and `b` (binary), each
    /// operand first brought into the domain its cases declare (see [`into_domain`]).
    Table(TableOp),
    /// `a + c`
    AddScalar(f64),
    /// `c − a`
    ScalarMinus(f64),
    /// `c · a`
    MulScalar(f64),
    /// `a / c`
    DivScalar(f64),
    /// `(a² + 0.5)^p`
    Powf(f64),
    /// `softplus(a)`, a custom op
    Softplus,
    /// `softmax(a)` along an axis
    Softmax(usize),
    /// `log_softmax(a)` along an axis
    LogSoftmax(usize),
    /// `reshape(a, [columns, rows])ᵀ`
    ReshapeTranspose,
    /// `a · w`
    MatMulWeights,
    /// `a + b_input`, the row input broadcast over the rows
    AddBias,
    /// `a · bᵀ · a / (rows · columns)`
    Gram,
    /// `a ⊙ sum_axis(b, 1, keepdim)`
    MulRowSums,
    /// `a ⊙ mean_axis(b, 0)`, broadcast over the rows
    MulColumnMeans,
    /// `a − max_axis(b, axis, keepdim)`
    SubMax(usize),
    /// `a − logsumexp(b, axis, keepdim)`
    SubLogSumExp(usize),
    /// `a ⊙ mean(b)`, a scalar broadcast
    MulMean,
    /// `a + broadcast_to(sum_to(b, [columns]), [rows, columns])`
    AddSumTo,
    /// `slice(concat([a, b], 1), 1, start, columns)`
    ConcatSlice(usize),
    /// `sum_axis(stack([a, b], 0), 0)`
    StackSum,
    /// `a + scatter(pick(b, indices), indices, columns)`
    AddPickScatter,
    /// `a ⊙ reshape(pick(b, indices), [rows, 1])`
    MulPicked,
}

/// How many kinds of [`NodeOp`] other than [`NodeOp::Table`] there are.
const OWN_KINDS: usize = 22;

/// How many kinds of [`NodeOp`] there are: this crate's own and one per op of [`table_ops`].
fn kinds() -> usize {
    OWN_KINDS + table_ops().len()
}

/// The positions in [`table_ops`] of the table ops that random graphs draw: every kind of
/// [`NodeOp`] decoded once, in order, keeping those that are table ops.
pub fn drawable_table_ops() -> Vec<usize> {
    (0..kinds())
        .filter_map(|kind| match NodeOp::decode(kind, 0.5, 0, 3) {
            NodeOp::Table(TableOp(position)) => Some(position),
            _ => None,
        })
        .collect()
}

impl NodeOp {
    /// The op of kind `kind` (mod [`kinds`]), its constant taken from `number` in `[-1, 1)` and
    /// its axis or offset from `choice`.
    fn decode(kind: usize, number: f64, choice: usize, columns: usize) -> NodeOp {
        let axis = choice % 2;
        let away_from_zero = number.signum() * (0.5 + 1.5 * number.abs());
        match kind % kinds() {
            0 => NodeOp::AddScalar(number),
            1 => NodeOp::ScalarMinus(number),
            2 => NodeOp::MulScalar(1.5 * number),
            3 => NodeOp::DivScalar(away_from_zero),
            4 => NodeOp::Powf(1.5 * number),
            5 => NodeOp::Softplus,
            6 => NodeOp::Softmax(axis),
            7 => NodeOp::LogSoftmax(axis),
            8 => NodeOp::ReshapeTranspose,
            9 => NodeOp::MatMulWeights,
            10 => NodeOp::AddBias,
            11 => NodeOp::Gram,
            12 => NodeOp::MulRowSums,
            13 => NodeOp::MulColumnMeans,
            14 => NodeOp::SubMax(axis),
            15 => NodeOp::SubLogSumExp(axis),
            16 => NodeOp::MulMean,
            17 => NodeOp::AddSumTo,
            18 => NodeOp::ConcatSlice(choice % (columns + 1)),
            19 => NodeOp::StackSum,
            20 => NodeOp::AddPickScatter,
            21 => NodeOp::MulPicked,
            table => NodeOp::Table(TableOp(table - OWN_KINDS)),
        }
    }

    /// Whether the op takes a second operand.
    fn is_binary(self) -> bool {
        match self {
            NodeOp::Table(op) => op.case().family == Family::Binary,
            _ => matches!(
                self,
                NodeOp::Gram
                    | NodeOp::MulRowSums
                    | NodeOp::MulColumnMeans
                    | NodeOp::SubMax(_)
                    | NodeOp::SubLogSumExp(_)
                    | NodeOp::MulMean
                    | NodeOp::AddSumTo
                    | NodeOp::ConcatSlice(_)
                    | NodeOp::StackSum
                    | NodeOp::AddPickScatter
                    | NodeOp::MulPicked
            ),
        }
    }
}

/// `x` brought into `domain` where it may not lie: for positive values `x² + 0.5`; for values
/// away from zero `x + 0.5·x/|x|` (at least half a unit from zero, of the sign of `x`; smooth
/// except at 0, so `x` is recorded as a kink); otherwise `x` itself.
pub fn into_domain<'t>(x: Var<'t>, domain: Domain, health: &mut Health) -> Var<'t> {
    match domain {
        Domain::Normal | Domain::Distinct => x,
        Domain::Positive => x.square() + 0.5,
        Domain::AwayFromZero => {
            health.kink(x);
            x + x / x.abs() * 0.5
        }
    }
}

/// One node: an op and the positions of its operands among the graph's values (the three matrix
/// inputs first, then the nodes in order); a unary op ignores its second operand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node {
    /// The op.
    pub op: NodeOp,
    /// The operands' positions, each before this node's own.
    pub operands: [usize; 2],
}

/// A random expression graph; see the [module docs](self).
#[derive(Clone, PartialEq)]
pub struct Graph {
    /// The rows of the working shape.
    pub rows: usize,
    /// The columns of the working shape.
    pub columns: usize,
    /// One column index per row, for `pick` and `scatter`.
    pub indices: Vec<usize>,
    /// The nodes in evaluation order.
    pub nodes: Vec<Node>,
    /// The seed of the output's weights.
    pub seed: u64,
}

/// What one evaluation saw: how close values came to a kink or a tie, and how large they grew.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Health {
    /// The smallest `|a|` of an operand that must keep away from zero (fed to `abs`, `relu`,
    /// a divisor; see [`into_domain`]), and the smallest gap between the largest two entries of
    /// a lane fed to `max_axis`.
    pub kink_margin: f64,
    /// The largest magnitude of any node's value.
    pub largest_value: f64,
}

impl Health {
    /// Whether finite differences with gradcheck's step (1e-6) are meaningful here: no value
    /// within 1e-3 of a kink or tie, and every value finite and below 1e3 in magnitude.
    pub fn is_safe(&self) -> bool {
        self.kink_margin > 1e-3 && self.largest_value < 1e3
    }

    fn kink(&mut self, x: Var<'_>) {
        let nearest = x
            .value()
            .data()
            .iter()
            .fold(f64::INFINITY, |m, v| m.min(v.abs()));
        self.kink_margin = self.kink_margin.min(nearest);
    }

    fn ties(&mut self, x: Var<'_>, axis: usize) {
        let value = x.value();
        let (rows, columns) = (value.dims()[0], value.dims()[1]);
        let lanes: Vec<Vec<f64>> = if axis == 1 {
            (0..rows).map(|r| value.row(r).to_vec()).collect()
        } else {
            (0..columns)
                .map(|c| (0..rows).map(|r| value[[r, c]]).collect())
                .collect()
        };
        for mut lane in lanes {
            lane.sort_by(|p, q| q.total_cmp(p));
            if lane.len() > 1 {
                self.kink_margin = self.kink_margin.min(lane[0] - lane[1]);
            }
        }
    }

    fn observe(&mut self, x: Var<'_>) {
        let largest = x.value().data().iter().fold(0.0f64, |m, v| {
            if v.is_finite() {
                m.max(v.abs())
            } else {
                f64::INFINITY
            }
        });
        self.largest_value = self.largest_value.max(largest);
    }
}

impl Default for Health {
    fn default() -> Health {
        Health {
            kink_margin: f64::INFINITY,
            largest_value: 0.0,
        }
    }
}

impl Graph {
    /// The inputs' dimensions: `x0, x1, x2` (`[rows, columns]`), `w` (`[columns, columns]`) and
    /// `b` (`[columns]`).
    pub fn input_shapes(&self) -> Vec<Vec<usize>> {
        let matrix = vec![self.rows, self.columns];
        vec![
            matrix.clone(),
            matrix.clone(),
            matrix,
            vec![self.columns, self.columns],
            vec![self.columns],
        ]
    }

    /// The graph's scalar output for the given inputs (one var per [`input_shapes`](Self::input_shapes)).
    pub fn output<'t>(&self, inputs: &[Var<'t>]) -> Var<'t> {
        self.evaluate(inputs, &mut Health::default())
    }

    /// The last node's value, of the working shape `[rows, columns]` (for properties that need an
    /// output that is not a scalar).
    pub fn last_value<'t>(&self, inputs: &[Var<'t>]) -> Var<'t> {
        let mut values: Vec<Var<'t>> = inputs[..MATRIX_INPUTS].to_vec();
        let mut health = Health::default();
        for node in &self.nodes {
            let value = self.apply(
                node.op,
                values[node.operands[0]],
                values[node.operands[1]],
                inputs,
                &mut health,
            );
            values.push(value);
        }
        *values.last().expect("a graph has at least one input")
    }

    /// What evaluating the graph at `inputs` sees (see [`Health`]).
    pub fn health(&self, inputs: &[Tensor]) -> Health {
        let tape = Tape::new();
        let vars: Vec<Var<'_>> = inputs.iter().map(|x| tape.var(x.clone())).collect();
        let mut health = Health::default();
        self.evaluate(&vars, &mut health);
        health
    }

    fn evaluate<'t>(&self, inputs: &[Var<'t>], health: &mut Health) -> Var<'t> {
        let mut values: Vec<Var<'t>> = inputs[..MATRIX_INPUTS].to_vec();
        let mut used = vec![false; MATRIX_INPUTS + self.nodes.len()];
        for node in &self.nodes {
            let a = values[node.operands[0]];
            let b = values[node.operands[1]];
            used[node.operands[0]] = true;
            if node.op.is_binary() {
                used[node.operands[1]] = true;
            }
            let value = self.apply(node.op, a, b, inputs, health);
            health.observe(value);
            values.push(value);
        }
        (MATRIX_INPUTS..values.len())
            .filter(|&position| !used[position])
            .map(|position| weighted_sum(values[position], self.seed.wrapping_add(position as u64)))
            .reduce(|total, term| total + term)
            .expect("the last node is never used, so there is a term")
    }

    fn apply<'t>(
        &self,
        op: NodeOp,
        a: Var<'t>,
        b: Var<'t>,
        inputs: &[Var<'t>],
        health: &mut Health,
    ) -> Var<'t> {
        let (rows, columns) = (self.rows, self.columns);
        match op {
            NodeOp::Table(op) => {
                let case = op.case();
                let operands: Vec<Var<'t>> = [a, b]
                    .into_iter()
                    .zip(&case.inputs)
                    .map(|(x, input)| into_domain(x, input.domain, health))
                    .collect();
                (case.apply)(&operands)
            }
            NodeOp::AddScalar(c) => a + c,
            NodeOp::ScalarMinus(c) => c - a,
            NodeOp::MulScalar(c) => c * a,
            NodeOp::DivScalar(c) => a / c,
            NodeOp::Powf(p) => (a.square() + 0.5).powf(p),
            NodeOp::Softplus => Softplus::exact().apply(a),
            NodeOp::Softmax(axis) => a.softmax(axis),
            NodeOp::LogSoftmax(axis) => a.log_softmax(axis),
            NodeOp::ReshapeTranspose => a.reshape([columns, rows]).transpose(),
            NodeOp::MatMulWeights => a.matmul(inputs[MATRIX_INPUTS]),
            NodeOp::AddBias => a + inputs[MATRIX_INPUTS + 1],
            NodeOp::Gram => a.matmul(b.transpose()).matmul(a) * (1.0 / (rows * columns) as f64),
            NodeOp::MulRowSums => a * b.sum_axis(1, true),
            NodeOp::MulColumnMeans => a * b.mean_axis(0, false),
            NodeOp::SubMax(axis) => {
                health.ties(b, axis);
                a - b.max_axis(axis, true)
            }
            NodeOp::SubLogSumExp(axis) => a - b.logsumexp(axis, true),
            NodeOp::MulMean => a * b.mean(),
            NodeOp::AddSumTo => a + b.sum_to([columns]).broadcast_to([rows, columns]),
            NodeOp::ConcatSlice(start) => Var::concat(&[a, b], 1).slice(1, start, columns),
            NodeOp::StackSum => Var::stack(&[a, b], 0).sum_axis(0, false),
            NodeOp::AddPickScatter => a + b.pick(&self.indices).scatter(&self.indices, columns),
            NodeOp::MulPicked => a * b.pick(&self.indices).reshape([rows, 1]),
        }
    }
}

impl fmt::Debug for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |position: usize| {
            if position < MATRIX_INPUTS {
                format!("x{position}")
            } else {
                format!("n{}", position - MATRIX_INPUTS)
            }
        };
        writeln!(
            f,
            "Graph on [{}, {}] (x0..x2 [{0}, {1}], w [{1}, {1}], b [{1}]), indices {:?}, seed {}:",
            self.rows, self.columns, self.indices, self.seed
        )?;
        for (i, node) in self.nodes.iter().enumerate() {
            let [a, b] = node.operands;
            if node.op.is_binary() {
                writeln!(f, "  n{i} = {:?}({}, {})", node.op, name(a), name(b))?;
            } else {
                writeln!(f, "  n{i} = {:?}({})", node.op, name(a))?;
            }
        }
        Ok(())
    }
}

/// The random choices behind one node: its kind, a constant in `[-1, 1)`, an axis or offset, and
/// the selectors of its two operands.
type RawNode = (usize, f64, usize, u32, u32);

fn raw_node() -> impl Strategy<Value = RawNode> {
    (
        0..kinds(),
        -1.0..1.0f64,
        0..8usize,
        any::<u32>(),
        any::<u32>(),
    )
}

/// Picks an operand among the values at depth below [`MAX_DEPTH`]: half the time one of the
/// last three (so that chains grow deep), otherwise any (so that early values fan out).
fn pick_operand(depths: &[usize], selector: u32) -> usize {
    let candidates: Vec<usize> = (0..depths.len())
        .filter(|&position| depths[position] < MAX_DEPTH)
        .collect();
    let selector = selector as usize;
    let recent = candidates.len().min(3);
    if selector.is_multiple_of(2) {
        candidates[candidates.len() - 1 - (selector / 2) % recent]
    } else {
        candidates[(selector / 2) % candidates.len()]
    }
}

fn decode(rows: usize, columns: usize, indices: Vec<usize>, raw: Vec<RawNode>, seed: u64) -> Graph {
    let mut depths = vec![0; MATRIX_INPUTS];
    let mut nodes = Vec::with_capacity(raw.len());
    for (kind, number, choice, first, second) in raw {
        let op = NodeOp::decode(kind, number, choice, columns);
        let operands = [pick_operand(&depths, first), pick_operand(&depths, second)];
        let depth = if op.is_binary() {
            depths[operands[0]].max(depths[operands[1]])
        } else {
            depths[operands[0]]
        };
        depths.push(depth + 1);
        nodes.push(Node { op, operands });
    }
    Graph {
        rows,
        columns,
        indices,
        nodes,
        seed,
    }
}

/// A random graph on a working shape of 1 to 4 rows and columns, with 1 to [`MAX_NODES`] nodes.
pub fn graph() -> impl Strategy<Value = Graph> {
    (1..=4usize, 1..=4usize, 1..=MAX_NODES)
        .prop_flat_map(|(rows, columns, count)| {
            (
                Just(rows),
                Just(columns),
                vec(0..columns, rows),
                vec(raw_node(), count),
                any::<u64>(),
            )
        })
        .prop_map(|(rows, columns, indices, raw, seed)| decode(rows, columns, indices, raw, seed))
}

/// A random graph with inputs in `[-2, 2)` at which it is [safe](Health::is_safe) to take finite
/// differences.
pub fn graph_with_inputs() -> impl Strategy<Value = (Graph, Vec<Tensor>)> {
    graph()
        .prop_flat_map(|graph| {
            let inputs: Vec<_> = graph.input_shapes().into_iter().map(moderate).collect();
            (Just(graph), inputs)
        })
        .prop_filter(
            "values near a kink, a tie, or too large",
            |(graph, inputs)| graph.health(inputs).is_safe(),
        )
}
