//! The five language models `demo names` compares, behind one forward.

use autograd::{Tensor, Var};
use nn::ParamVars;
use nn::Params;
use nn::seq::{GruCell, RecurrentLm, RnnCell, Transformer, TransformerConfig};
use rand::Rng;

use super::data::{STEPS, VOCAB};

/// Letters of context the MLP sees (the current token and the two before it).
pub const MLP_CONTEXT: usize = 3;

/// One of the compared models.
pub enum Model {
    /// A table of next-character logits per character: `logits = W[id]`.
    Bigram,
    /// Embeddings of the last [`MLP_CONTEXT`] tokens, concatenated, through a tanh layer.
    Mlp,
    /// A tanh recurrent net.
    Rnn(RecurrentLm<RnnCell>),
    /// A gated recurrent unit.
    Gru(RecurrentLm<GruCell>),
    /// A decoder-only transformer.
    Transformer(Transformer),
}

const EMBED: usize = 16;
const HIDDEN: usize = 64;

impl Model {
    /// Every model, in the table's order.
    pub fn all() -> Vec<Model> {
        let recurrent = |hidden| (VOCAB, EMBED, hidden);
        let (vocab, embed, hidden) = recurrent(HIDDEN);
        vec![
            Model::Bigram,
            Model::Mlp,
            Model::Rnn(RecurrentLm {
                vocab,
                embed,
                cell: RnnCell {
                    prefix: "rnn".into(),
                    input: embed,
                    hidden,
                },
            }),
            Model::Gru(RecurrentLm {
                vocab,
                embed,
                cell: GruCell {
                    prefix: "gru".into(),
                    input: embed,
                    hidden,
                },
            }),
            Model::Transformer(Transformer {
                config: TransformerConfig {
                    vocab,
                    context: STEPS,
                    width: 32,
                    heads: 4,
                    layers: 2,
                },
            }),
        ]
    }

    /// The model's name in the table.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Bigram => "bigram",
            Model::Mlp => "mlp",
            Model::Rnn(_) => "rnn",
            Model::Gru(_) => "gru",
            Model::Transformer(_) => "transformer",
        }
    }

    /// What the model is, sizes included: a checkpoint saved under this description loads only
    /// into the same model.
    pub fn description(&self) -> String {
        match self {
            Model::Bigram => format!("bigram: vocab {VOCAB}"),
            Model::Mlp => format!(
                "mlp: vocab {VOCAB}, embedding {EMBED}, context {MLP_CONTEXT}, hidden {}",
                HIDDEN * 2
            ),
            Model::Rnn(lm) => format!(
                "rnn: vocab {}, embedding {}, hidden {}",
                lm.vocab, lm.embed, lm.cell.hidden
            ),
            Model::Gru(lm) => format!(
                "gru: vocab {}, embedding {}, hidden {}",
                lm.vocab, lm.embed, lm.cell.hidden
            ),
            Model::Transformer(t) => {
                let c = &t.config;
                format!(
                    "transformer: vocab {}, context {}, width {}, heads {}, layers {}",
                    c.vocab, c.context, c.width, c.heads, c.layers
                )
            }
        }
    }

    /// The longest input it reads, in tokens (`None`: any length).
    pub fn context(&self) -> usize {
        STEPS
    }

    /// Fresh parameters drawn from `rng`.
    pub fn init(&self, rng: &mut impl Rng) -> Params {
        match self {
            Model::Bigram => {
                let mut params = Params::new();
                params.insert("W", Tensor::zeros([VOCAB, VOCAB]));
                params
            }
            Model::Mlp => {
                let mut params = Params::new();
                let mut draw = |dims: [usize; 2], fan_in: usize| {
                    Tensor::randn(dims, rng).map(|x| x / (fan_in as f64).sqrt())
                };
                let inputs = MLP_CONTEXT * EMBED;
                params.insert("emb", draw([VOCAB, EMBED], 1));
                params.insert("W_1", draw([inputs, HIDDEN * 2], inputs));
                params.insert("b_1", Tensor::zeros([HIDDEN * 2]));
                params.insert("W_2", draw([HIDDEN * 2, VOCAB], HIDDEN * 2));
                params.insert("b_2", Tensor::zeros([VOCAB]));
                params
            }
            Model::Rnn(lm) => lm.init(rng),
            Model::Gru(lm) => lm.init(rng),
            Model::Transformer(t) => t.init(rng),
        }
    }

    /// The logits `[batch·time, VOCAB]` for `ids` (`batch` rows of `time` tokens), and the
    /// transformer's attention weights (empty for the others).
    pub fn forward<'t>(
        &self,
        p: &ParamVars<'t>,
        ids: &[usize],
        batch: usize,
        time: usize,
    ) -> (Var<'t>, Vec<Var<'t>>) {
        match self {
            Model::Bigram => (p.get("W").embedding(ids), Vec::new()),
            Model::Mlp => {
                let table = p.get("emb");
                let window: Vec<Var<'t>> = (0..MLP_CONTEXT)
                    .map(|back| {
                        let shifted: Vec<usize> = (0..ids.len())
                            .map(|i| if i % time >= back { ids[i - back] } else { 0 })
                            .collect();
                        table.embedding(&shifted)
                    })
                    .collect();
                let x = Var::concat(&window, 1);
                let h = x.affine(p.get("W_1"), p.get("b_1")).tanh();
                (h.affine(p.get("W_2"), p.get("b_2")), Vec::new())
            }
            Model::Rnn(lm) => (lm.forward(p, ids, batch, time), Vec::new()),
            Model::Gru(lm) => (lm.forward(p, ids, batch, time), Vec::new()),
            Model::Transformer(t) => t.forward(p, ids, batch, time),
        }
    }
}
