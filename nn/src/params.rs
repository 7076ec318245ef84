//! The named, ordered parameter store and its placement on a tape.

use autograd::{Gradients, Tape, Tensor, Var};
use indexmap::IndexMap;
use std::sync::Arc;

/// Parameters by name, in a fixed order (`W1`, `b1`, `W2`, `b2`, ...), kept outside any tape so
/// that they persist across training steps.
///
/// Weights are rank-2 `[in_features, out_features]` tensors (a layer is `x·W + b`); biases are
/// rank-1 `[out_features]` tensors, broadcast over the rows of a batch.
///
/// Names are shared, not copied, by the [`ParamVars`] and [`ParamGrads`] made from the store, so
/// that a training step allocates nothing for them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    tensors: IndexMap<Arc<str>, Tensor>,
}

impl Params {
    /// An empty store.
    pub fn new() -> Params {
        Params::default()
    }

    /// Adds `tensor` under `name` at the end of the order, or replaces the tensor already stored
    /// under that name in place (keeping its position); returns the replaced tensor.
    pub fn insert(&mut self, name: impl Into<String>, tensor: Tensor) -> Option<Tensor> {
        self.tensors.insert(Arc::from(name.into()), tensor)
    }

    /// The tensor stored under `name`.
    pub fn get(&self, name: &str) -> Option<&Tensor> {
        self.tensors.get(name)
    }

    /// The tensor stored under `name`, to change it.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Tensor> {
        self.tensors.get_mut(name)
    }

    /// Whether a tensor is stored under `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.tensors.contains_key(name)
    }

    /// Each name with its tensor, in store order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Tensor)> {
        self.tensors.iter().map(|(name, tensor)| (&**name, tensor))
    }

    /// Each name with its tensor, mutably, in store order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Tensor)> {
        self.tensors
            .iter_mut()
            .map(|(name, tensor)| (&**name, tensor))
    }

    /// The names in store order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tensors.keys().map(|name| &**name)
    }

    /// How many parameters are stored.
    pub fn len(&self) -> usize {
        self.tensors.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// The total number of scalar parameters.
    pub fn numel(&self) -> usize {
        self.tensors.values().map(Tensor::len).sum()
    }

    /// Whether every parameter is finite (no NaN, no infinity).
    pub fn all_finite(&self) -> bool {
        self.tensors.values().all(Tensor::all_finite)
    }

    /// Overwrites every parameter with the value of the same name in `other`, reusing the
    /// storage (a snapshot to roll back to, without allocating on each step).
    ///
    /// # Panics
    /// If the two stores do not hold the same names with the same shapes.
    #[track_caller]
    pub fn copy_values_from(&mut self, other: &Params) {
        assert_eq!(
            self.len(),
            other.len(),
            "Params::copy_values_from: stores of different sizes"
        );
        for (name, tensor) in self.tensors.iter_mut() {
            let source = other
                .get(name)
                .unwrap_or_else(|| panic!("Params::copy_values_from: no parameter {name:?}"));
            assert_eq!(
                tensor.shape(),
                source.shape(),
                "Params::copy_values_from: {name:?} has shape {} here and {} there",
                tensor.shape(),
                source.shape()
            );
            tensor.data_mut().copy_from_slice(source.data());
        }
    }

    /// Places a copy of every parameter on `tape` as a variable (a leaf that takes gradient), in
    /// store order.
    #[track_caller]
    pub fn on_tape<'t>(&self, tape: &'t Tape) -> ParamVars<'t> {
        self.place(|tensor| tape.var(tensor))
    }

    /// Places a copy of every parameter on `tape` as a constant (no gradient), for inference.
    #[track_caller]
    pub fn constants_on<'t>(&self, tape: &'t Tape) -> ParamVars<'t> {
        self.place(|tensor| tape.constant(tensor))
    }

    /// Pairs the store's names, in order, with `vars` given by the caller (the inputs of a
    /// gradient check, for instance), one per parameter with the parameter's shape.
    ///
    /// # Panics
    /// If the count or any shape differs from the store's.
    #[track_caller]
    pub fn with_vars<'t>(&self, vars: &[Var<'t>]) -> ParamVars<'t> {
        assert_eq!(
            vars.len(),
            self.len(),
            "Params::with_vars: {} vars given for {} parameters (at {})",
            vars.len(),
            self.len(),
            std::panic::Location::caller()
        );
        for ((name, tensor), var) in self.tensors.iter().zip(vars) {
            assert_eq!(
                var.shape(),
                tensor.shape(),
                "Params::with_vars: var for {name:?} has shape {}, the parameter {} (at {})",
                var.shape(),
                tensor.shape(),
                std::panic::Location::caller()
            );
        }
        ParamVars {
            names: self.tensors.keys().cloned().collect(),
            vars: vars.to_vec(),
        }
    }

    #[track_caller]
    fn place<'t>(&self, mut record: impl FnMut(Tensor) -> Var<'t>) -> ParamVars<'t> {
        let mut names = Vec::with_capacity(self.len());
        let mut vars = Vec::with_capacity(self.len());
        for (name, tensor) in &self.tensors {
            names.push(Arc::clone(name));
            vars.push(record(tensor.clone()));
        }
        ParamVars { names, vars }
    }
}

/// The parameters of a [`Params`] store placed on one tape: a [`Var`] per parameter, by name and
/// in store order.
#[derive(Clone, Debug)]
pub struct ParamVars<'t> {
    names: Vec<Arc<str>>,
    vars: Vec<Var<'t>>,
}

impl<'t> ParamVars<'t> {
    /// The var of the parameter `name`.
    ///
    /// # Panics
    /// If there is no parameter of that name.
    #[track_caller]
    pub fn get(&self, name: &str) -> Var<'t> {
        match self.try_get(name) {
            Some(var) => var,
            None => panic!(
                "ParamVars::get: no parameter {name:?} among {:?} (at {})",
                self.names,
                std::panic::Location::caller()
            ),
        }
    }

    /// The var of the parameter `prefix.name` (a model part's parameter, as
    /// `ParamVars::get(&format!("{prefix}.{name}"))` would find it, without building the name).
    ///
    /// # Panics
    /// If there is no parameter of that name.
    #[track_caller]
    pub fn get_in(&self, prefix: &str, name: &str) -> Var<'t> {
        let scoped = |known: &str| {
            known
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('.'))
                == Some(name)
        };
        match self.names.iter().position(|known| scoped(known)) {
            Some(position) => self.vars[position],
            None => panic!(
                "ParamVars::get_in: no parameter \"{prefix}.{name}\" among {:?} (at {})",
                self.names,
                std::panic::Location::caller()
            ),
        }
    }

    /// The var of the parameter `name`, or `None` when there is none.
    pub fn try_get(&self, name: &str) -> Option<Var<'t>> {
        let position = self.names.iter().position(|known| **known == *name)?;
        Some(self.vars[position])
    }

    /// Each name with its var, in store order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Var<'t>)> + '_ {
        self.names
            .iter()
            .map(|name| &**name)
            .zip(self.vars.iter().copied())
    }

    /// The vars in store order.
    pub fn vars(&self) -> &[Var<'t>] {
        &self.vars
    }

    /// How many parameters there are.
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// Takes each parameter's gradient out of `grads` (from a backward pass of a value computed
    /// from these vars), by name and in store order.
    ///
    /// # Panics
    /// If some parameter has no gradient (it was placed as a constant, or after the output).
    #[track_caller]
    pub fn gradients(&self, grads: &mut Gradients) -> ParamGrads {
        let mut by_name = IndexMap::with_capacity(self.len());
        for (name, &var) in self.names.iter().zip(&self.vars) {
            let Some(grad) = grads.take(var) else {
                panic!(
                    "ParamVars::gradients: no gradient reaches parameter {name:?} (at {})",
                    std::panic::Location::caller()
                )
            };
            by_name.insert(Arc::clone(name), grad);
        }
        ParamGrads { by_name }
    }
}

/// The gradient of a loss with respect to each parameter, by name and in store order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamGrads {
    by_name: IndexMap<Arc<str>, Tensor>,
}

impl ParamGrads {
    /// An empty set of gradients.
    pub fn new() -> ParamGrads {
        ParamGrads::default()
    }

    /// Sets the gradient of the parameter `name`.
    pub fn insert(&mut self, name: impl Into<String>, grad: Tensor) {
        self.by_name.insert(Arc::from(name.into()), grad);
    }

    /// The gradient of the parameter `name`.
    pub fn get(&self, name: &str) -> Option<&Tensor> {
        self.by_name.get(name)
    }

    /// Each name with its gradient, in store order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Tensor)> {
        self.by_name.iter().map(|(name, grad)| (&**name, grad))
    }

    /// How many gradients there are.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The gradient of the parameter `name`, for an optimiser.
    ///
    /// # Panics
    /// If there is none; `optimizer` names the caller in the message.
    #[track_caller]
    pub(crate) fn expect(&self, name: &str, optimizer: &str) -> &Tensor {
        match self.by_name.get(name) {
            Some(grad) => grad,
            None => panic!(
                "{optimizer}: no gradient for parameter {name:?} (gradients given for {:?}) (at {})",
                self.by_name.keys().collect::<Vec<_>>(),
                std::panic::Location::caller()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Params {
        let mut params = Params::new();
        params.insert("W1", Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]));
        params.insert("b1", Tensor::from_vec(vec![0.5, -0.5], [2]));
        params
    }

    #[test]
    fn the_store_keeps_insertion_order_and_replaces_in_place() {
        let mut params = store();
        params.insert("W2", Tensor::zeros([2, 1]));
        let old = params.insert("b1", Tensor::zeros([2]));
        assert_eq!(old.unwrap().data(), &[0.5, -0.5]);
        assert_eq!(params.names().collect::<Vec<_>>(), ["W1", "b1", "W2"]);
        assert_eq!(params.get("b1").unwrap().data(), &[0.0, 0.0]);
        assert_eq!(params.numel(), 8);
    }

    #[test]
    fn a_scoped_lookup_finds_the_parameter_its_joined_name_finds() {
        let mut params = Params::new();
        for name in ["a.W", "ab.W", "a.Wx", "a", "a.b.W"] {
            params.insert(name, Tensor::zeros([1]));
        }
        let tape = Tape::new();
        let vars = params.on_tape(&tape);
        for (prefix, name) in [
            ("a", "W"),
            ("ab", "W"),
            ("a", "Wx"),
            ("a.b", "W"),
            ("a", "b.W"),
        ] {
            assert_eq!(
                vars.get_in(prefix, name).id(),
                vars.get(&format!("{prefix}.{name}")).id(),
                "{prefix} {name}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "no parameter \"a.V\"")]
    fn a_scoped_lookup_of_a_missing_parameter_names_it() {
        let mut params = Params::new();
        params.insert("a.W", Tensor::zeros([1]));
        params.insert("aV", Tensor::zeros([1]));
        let tape = Tape::new();
        params.on_tape(&tape).get_in("a", "V");
    }

    #[test]
    fn placing_on_a_tape_gives_a_var_per_parameter_with_its_gradient() {
        let params = store();
        let tape = Tape::new();
        let vars = params.on_tape(&tape);
        assert_eq!(vars.len(), 2);
        let loss = (vars.get("W1").sum() * 2.0 + vars.get("b1").square().sum()).sum();
        let mut grads = loss.backward();
        let by_name = vars.gradients(&mut grads);
        assert_eq!(by_name.get("W1").unwrap().data(), &[2.0, 2.0, 2.0, 2.0]);
        // d/db Σ b² = 2b
        assert_eq!(by_name.get("b1").unwrap().data(), &[1.0, -1.0]);
    }

    #[test]
    fn constants_take_no_gradient() {
        let params = store();
        let tape = Tape::new();
        let vars = params.constants_on(&tape);
        assert!(!vars.get("W1").requires_grad());
        assert!(vars.try_get("W9").is_none());
    }

    #[test]
    #[should_panic(expected = "no parameter \"W9\"")]
    fn asking_for_an_unknown_parameter_panics_with_its_name() {
        let params = store();
        let tape = Tape::new();
        params.on_tape(&tape).get("W9");
    }
}
