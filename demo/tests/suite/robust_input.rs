//! The CSV reader on hostile input: arbitrary bytes and damaged files give an error, never a panic.

use std::path::Path;

use autograd::Tensor;
use demo::data::{self, LabeledData, MAX_LABEL, Table};
use demo::error::{Error, Result};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// `default_cases` cases, unless `PROPTEST_CASES` is set (proptest then reads it itself).
fn config(default_cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}

/// Pieces that matter to the CSV format and to number parsing, so that inputs reach past the
/// header and field-count checks.
const CSV_PIECES: &[&str] = &[
    "0",
    "1",
    "7",
    "9",
    ".",
    "-",
    "+",
    "e",
    "E",
    ",",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "x",
    "label",
    "NaN",
    "inf",
    "-0",
    "1e309",
    "1e-400",
    "9999",
    "10000",
    "18446744073709551616",
    "1.0",
    "0x1",
    "\u{feff}",
    "\u{fffd}",
    "é",
];

/// One edit of a text: delete, insert or replace at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, piece: usize },
    Replace { at: f64, piece: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = 0..CSV_PIECES.len();
    prop_oneof![
        (0.0..1.0, 1usize..8).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0.0..1.0, piece.clone()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (0.0..1.0, piece).prop_map(|(at, piece)| Edit::Replace { at, piece }),
    ]
}

/// `text` with `edits` applied in turn, on bytes (so an edit may split a character).
fn damage(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        let position = |at: f64| ((at * bytes.len() as f64) as usize).min(bytes.len());
        match *edit {
            Edit::Delete { at, len } => {
                let start = position(at);
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert { at, piece } => {
                let start = position(at);
                bytes.splice(start..start, CSV_PIECES[piece].bytes());
            }
            Edit::Replace { at, piece } => {
                let start = position(at);
                let end = (start + 1).min(bytes.len());
                bytes.splice(start..end, CSV_PIECES[piece].bytes());
            }
        }
    }
    bytes
}

/// Labeled data as a user might have it: 1 to 4 named feature columns, 1 to 12 rows, any finite
/// numbers, and labels up to the largest accepted.
fn labeled_data() -> impl Strategy<Value = LabeledData> {
    (1usize..5, 1usize..13).prop_flat_map(|(columns, rows)| {
        let finite = prop_oneof![
            prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
            -10.0..10.0,
        ];
        (
            proptest::collection::vec("[a-z][a-z0-9_]{0,6}", columns),
            proptest::collection::vec(finite, columns * rows),
            proptest::collection::vec(prop_oneof![0usize..3, 0..=MAX_LABEL], rows),
        )
            .prop_map(move |(feature_names, values, labels)| LabeledData {
                feature_names,
                features: Tensor::from_vec(values, [rows, columns]),
                labels,
            })
    })
}

/// The CSV text of `data`, as `demo moons` writes it.
fn csv_text(data: &LabeledData) -> String {
    let mut text = format!("{},label\n", data.feature_names.join(","));
    for (row, label) in data.labels.iter().enumerate() {
        let fields: Vec<String> = data
            .features
            .row(row)
            .iter()
            .map(|&v| data::exact(v))
            .collect();
        text += &format!("{},{label}\n", fields.join(","));
    }
    text
}

/// Runs every interpretation the subcommands make of a parsed table, checking what they accept.
fn interpret(table: Result<Table>) {
    let Ok(table) = table else { return };
    assert!(table.column_count() >= 1);
    if let Ok(data) = table.labeled() {
        assert_eq!(data.features.dims()[0], data.labels.len());
        assert_eq!(data.feature_count() + 1, table.column_count());
        assert!(data.features.all_finite());
        assert!(data.labels.iter().all(|&label| label <= MAX_LABEL));
    }
    if let Ok(features) = table.unlabeled() {
        assert_eq!(features.dims()[1], table.column_count());
        assert!(features.all_finite());
    }
    if let Ok(data) = table.training_data() {
        assert!(data.class_count() >= 2);
    }
}

fn parse_bytes(bytes: &[u8]) {
    interpret(Table::parse(
        Path::new("data.csv"),
        &String::from_utf8_lossy(bytes),
    ));
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes_give_a_table_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        parse_bytes(&bytes);
    }

    #[test]
    fn arbitrary_strings_give_a_table_or_an_error(text in any::<String>()) {
        interpret(Table::parse(Path::new("data.csv"), &text));
    }

    #[test]
    fn strings_of_csv_pieces_give_a_table_or_an_error(
        pieces in proptest::collection::vec(0..CSV_PIECES.len(), 0..64),
    ) {
        let text: String = pieces.iter().map(|&piece| CSV_PIECES[piece]).collect();
        interpret(Table::parse(Path::new("data.csv"), &text));
    }

    #[test]
    fn damaged_csv_files_give_a_table_or_an_error(
        data in labeled_data(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        parse_bytes(&damage(&csv_text(&data), &edits));
    }

    #[test]
    fn valid_csv_text_round_trips_exactly(data in labeled_data()) {
        let back = Table::parse(Path::new("data.csv"), &csv_text(&data)).unwrap().labeled().unwrap();
        prop_assert_eq!(&back.feature_names, &data.feature_names);
        prop_assert_eq!(back.features.data(), data.features.data());
        prop_assert_eq!(&back.labels, &data.labels);
    }

    #[test]
    fn files_written_by_the_demo_read_back_exactly(data in labeled_data()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        data::write_labeled(&path, &data).unwrap();
        let back = Table::read(&path).unwrap().labeled().unwrap();
        prop_assert_eq!(back.features.data(), data.features.data());
        prop_assert_eq!(&back.labels, &data.labels);
    }

    #[test]
    fn files_of_arbitrary_bytes_give_a_table_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        std::fs::write(&path, &bytes).unwrap();
        let result = Table::read(&path);
        if std::str::from_utf8(&bytes).is_err() {
            prop_assert!(matches!(result, Err(Error::Read { .. })), "{:?}", result);
        } else {
            interpret(result);
        }
    }
}

#[test]
fn a_label_too_large_for_usize_is_a_bad_label() {
    let table = Table::parse(Path::new("data.csv"), "x,label\n1,18446744073709551616\n").unwrap();
    assert!(matches!(
        table.labeled().unwrap_err(),
        Error::BadLabel {
            line: 2,
            column: 2,
            ..
        }
    ));
}

#[test]
fn a_number_overflowing_to_infinity_is_not_finite() {
    let table = Table::parse(Path::new("data.csv"), "x,label\n1e309,1\n").unwrap();
    assert!(matches!(
        table.labeled().unwrap_err(),
        Error::NotFinite {
            line: 2,
            column: 1,
            ..
        }
    ));
}
