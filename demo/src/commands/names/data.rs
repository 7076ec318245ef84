//! The names: the embedded census lists (or a user's file), the character vocabulary, the
//! seeded train/validation split and padded batches.

use std::path::Path;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::error::{Error, Result};

/// The census lists shipped in `demo/data/names/` (see its README for origin and licence).
const MALE: &str = include_str!("../../../data/names/dist.male.first");
const FEMALE: &str = include_str!("../../../data/names/dist.female.first");

/// Token 0 marks both the start and the end of a name; tokens 1–26 are `a`–`z`.
pub const VOCAB: usize = 27;
/// The longest name the models read, and so the number of steps of every sequence
/// (`.` followed by up to `MAX_LETTERS` letters).
pub const MAX_LETTERS: usize = 11;
/// Steps per sequence: the start token and the letters.
pub const STEPS: usize = MAX_LETTERS + 1;

/// The token of a lowercase letter, or `None` outside `a`–`z`.
pub fn token(letter: char) -> Option<usize> {
    letter
        .is_ascii_lowercase()
        .then(|| letter as usize - 'a' as usize + 1)
}

/// The letter of a token (`.` for 0).
pub fn letter(token: usize) -> char {
    if token == 0 {
        '.'
    } else {
        (b'a' + token as u8 - 1) as char
    }
}

/// The names of the embedded lists, lowercased, without duplicates, in their order.
pub fn census_names() -> Vec<String> {
    parse_names(&format!("{MALE}{FEMALE}"))
}

/// The names of a user's file: the first field of each line, lowercased, duplicates dropped.
///
/// Fails with one line when the file cannot be read, holds no names, or a name has a character
/// outside `a`–`z` or more than [`MAX_LETTERS`] letters.
pub fn names_from_file(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let names = parse_names(&text);
    let bad = |reason: String| Error::InvalidFlag {
        flag: "--names",
        reason: format!("{}: {reason}", path.display()),
    };
    if names.is_empty() {
        return Err(bad("holds no names".into()));
    }
    if let Some(name) = names.iter().find(|n| n.chars().any(|c| token(c).is_none())) {
        return Err(bad(format!("{name:?} has a character outside a-z")));
    }
    if let Some(name) = names.iter().find(|n| n.len() > MAX_LETTERS) {
        return Err(bad(format!(
            "{name:?} is longer than {MAX_LETTERS} letters"
        )));
    }
    Ok(names)
}

fn parse_names(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_lowercase)
        .filter(|name| seen.insert(name.clone()))
        .collect()
}

/// The names shuffled by `seed` and cut into training (90%) and validation names.
pub fn split(mut names: Vec<String>, seed: u64) -> (Vec<String>, Vec<String>) {
    names.shuffle(&mut StdRng::seed_from_u64(seed));
    let validation = (names.len() / 10).max(1).min(names.len() - 1);
    let train = names.split_off(validation);
    (train, names)
}

/// A batch of names as model input: `ids` (`batch × STEPS`, row-major: `.` then the letters,
/// padded with 0), and the rows of the model's `[batch·STEPS, VOCAB]` logits that predict a
/// real character with that character (`name[t]`, then `.` after the last letter).
pub struct Batch {
    /// The input tokens.
    pub ids: Vec<usize>,
    /// How many names.
    pub size: usize,
    /// The logit rows that count, in order.
    pub rows: Vec<usize>,
    /// The character each of those rows should predict.
    pub targets: Vec<usize>,
}

impl Batch {
    /// The batch of `names`, each at most [`MAX_LETTERS`] letters of `a`–`z`.
    pub fn new(names: &[&str]) -> Batch {
        let mut batch = Batch {
            ids: vec![0; names.len() * STEPS],
            size: names.len(),
            rows: Vec::new(),
            targets: Vec::new(),
        };
        for (b, name) in names.iter().enumerate() {
            let tokens: Vec<usize> = name.chars().filter_map(token).collect();
            for (t, &tok) in tokens.iter().enumerate() {
                batch.ids[b * STEPS + t + 1] = tok;
            }
            for t in 0..=tokens.len() {
                batch.rows.push(b * STEPS + t);
                batch.targets.push(tokens.get(t).copied().unwrap_or(0));
            }
        }
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_census_lists_give_five_thousand_distinct_lowercase_names() {
        let names = census_names();
        assert_eq!(names.len(), 5163);
        assert!(names.iter().all(|n| n.chars().all(|c| token(c).is_some())));
        assert!(names.iter().all(|n| (2..=MAX_LETTERS).contains(&n.len())));
    }

    #[test]
    fn a_batch_predicts_each_letter_then_the_end() {
        let batch = Batch::new(&["ab", "c"]);
        assert_eq!(&batch.ids[..4], &[0, 1, 2, 0]);
        assert_eq!(&batch.ids[STEPS..STEPS + 2], &[0, 3]);
        assert_eq!(batch.rows, [0, 1, 2, STEPS, STEPS + 1]);
        assert_eq!(batch.targets, [1, 2, 0, 3, 0]);
    }
}
