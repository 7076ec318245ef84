//! Weight initialisation schemes, drawn from a generator seeded by the caller's number.

use autograd::Tensor;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::fmt;
use std::str::FromStr;

/// How a layer's weights are drawn; biases always start at zero.
///
/// Every scheme draws `[in_features, out_features]` standard normal numbers, row by row, and
/// scales them; a seeded generator therefore gives the same model on every machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Init {
    /// The tutorial's `randn(in, out) / sqrt(in)`.
    #[default]
    Tutorial,
    /// Xavier/Glorot normal: `randn · sqrt(2 / (in + out))`, for tanh and sigmoid layers.
    Xavier,
    /// He (Kaiming) normal: `randn · sqrt(2 / in)`, for relu layers.
    He,
}

impl Init {
    /// Every scheme, in a fixed order.
    pub const ALL: [Init; 3] = [Init::Tutorial, Init::Xavier, Init::He];

    /// A weight matrix `[in_features, out_features]` drawn by this scheme from a generator
    /// seeded with `seed` (rand's `StdRng`): the same matrix for the same seed on every machine.
    pub fn weights(self, in_features: usize, out_features: usize, seed: u64) -> Tensor {
        self.draw(in_features, out_features, &mut StdRng::seed_from_u64(seed))
    }

    /// A weight matrix `[in_features, out_features]` drawn from `rng` by this scheme (the
    /// generator stays inside nn, so that no rand version is part of its public API).
    pub(crate) fn draw(
        self,
        in_features: usize,
        out_features: usize,
        rng: &mut impl Rng,
    ) -> Tensor {
        let mut weights = Tensor::randn([in_features, out_features], rng);
        let fan_in = in_features as f64;
        let fan_out = out_features as f64;
        match self {
            // Divide rather than multiply by the reciprocal, as the tutorial's numpy does.
            Init::Tutorial => weights.map_in_place(|x| x / fan_in.sqrt()),
            Init::Xavier => {
                let scale = (2.0 / (fan_in + fan_out)).sqrt();
                weights.map_in_place(|x| x * scale);
            }
            Init::He => {
                let scale = (2.0 / fan_in).sqrt();
                weights.map_in_place(|x| x * scale);
            }
        }
        weights
    }

    /// The name as written in flags (`tutorial`, `xavier`, `he`).
    pub fn name(self) -> &'static str {
        match self {
            Init::Tutorial => "tutorial",
            Init::Xavier => "xavier",
            Init::He => "he",
        }
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an initialisation name that is not one of `tutorial`, `xavier`, `he`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownInit {
    /// The text that was given.
    pub name: String,
}

impl fmt::Display for UnknownInit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown initialisation {:?} (expected tutorial, xavier or he)",
            self.name
        )
    }
}

impl std::error::Error for UnknownInit {}

impl FromStr for Init {
    type Err = UnknownInit;

    /// Parses `tutorial`, `xavier` (or `glorot`) or `he`.
    fn from_str(name: &str) -> Result<Init, UnknownInit> {
        if name == "glorot" {
            return Ok(Init::Xavier);
        }
        Init::ALL
            .into_iter()
            .find(|init| init.name() == name)
            .ok_or_else(|| UnknownInit {
                name: name.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scheme_scales_the_same_normal_draws() {
        let draws = Tensor::randn([4, 3], &mut StdRng::seed_from_u64(5));
        let cases = [
            (Init::Tutorial, 1.0 / 2.0),
            (Init::Xavier, (2.0f64 / 7.0).sqrt()),
            (Init::He, (2.0f64 / 4.0).sqrt()),
        ];
        for (init, scale) in cases {
            let weights = init.weights(4, 3, 5);
            assert_eq!(weights.dims(), &[4, 3]);
            for (w, x) in weights.data().iter().zip(draws.data()) {
                assert!(
                    (w - x * scale).abs() <= 1e-15 * x.abs(),
                    "{init}: {w} vs {x}"
                );
            }
        }
    }

    #[test]
    fn names_parse_back_to_the_same_scheme() {
        for init in Init::ALL {
            assert_eq!(init.to_string().parse(), Ok(init));
        }
        assert_eq!("glorot".parse(), Ok(Init::Xavier));
        assert!("uniform".parse::<Init>().is_err());
    }
}
