//! Data files: CSV with a header, feature columns first and the integer class label last,
//! read from disk here and parsed by [`nn::data::csv`].

use std::fs;
use std::path::{Path, PathBuf};

use autograd::Tensor;
use nn::data::csv::{CsvError, CsvTable};

use crate::atomic;
use crate::error::{Error, Result};

pub use nn::data::csv::MAX_LABEL;

/// A CSV file as read: its name (for errors) and the table nn parsed from its text.
#[derive(Debug)]
pub struct Table {
    /// The file it came from.
    pub path: PathBuf,
    table: CsvTable,
}

/// Points with a class label each.
#[derive(Debug, Clone)]
pub struct LabeledData {
    /// Names of the feature columns (for axis labels).
    pub feature_names: Vec<String>,
    /// The points, one row each: `[N, F]`.
    pub features: Tensor,
    /// One class label per row.
    pub labels: Vec<usize>,
}

impl LabeledData {
    /// The number of feature columns.
    pub fn feature_count(&self) -> usize {
        self.features.dims()[1]
    }

    /// The number of classes the labels imply: the largest label plus one.
    pub fn class_count(&self) -> usize {
        self.labels.iter().max().map_or(0, |max| max + 1)
    }

    /// The data as the nn crate's training set.
    pub fn to_dataset(&self) -> nn::Dataset {
        nn::Dataset::new(self.features.clone(), self.labels.clone())
    }
}

impl Table {
    /// Reads `path`: a header line, then rows with as many comma-separated fields as the header
    /// (parsed by [`nn::data::csv`]).
    ///
    /// Blank lines are skipped; every other line must have the header's field count.
    pub fn read(path: &Path) -> Result<Table> {
        let text = fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Table::parse(path, &text)
    }

    /// Parses the text of a CSV file as [`Table::read`] does; `path` only names the file in errors.
    ///
    /// Never panics: any text gives a table or an [`Error`] saying what is wrong and where.
    pub fn parse(path: &Path, text: &str) -> Result<Table> {
        let table = CsvTable::parse(text).map_err(|error| csv_error(path, error))?;
        Ok(Table {
            path: path.to_path_buf(),
            table,
        })
    }

    /// Parses the text of a CSV file that has no header line, its rows named by the columns of
    /// `header` (a CSV line); errors name the lines of `text`.
    pub fn parse_with_header(path: &Path, header: &str, text: &str) -> Result<Table> {
        let table =
            CsvTable::parse_with_header(header, text).map_err(|error| csv_error(path, error))?;
        Ok(Table {
            path: path.to_path_buf(),
            table,
        })
    }

    /// Column names from the header line.
    pub fn header(&self) -> &[String] {
        &self.table.header
    }

    /// The number of columns.
    pub fn column_count(&self) -> usize {
        self.table.column_count()
    }

    /// Interprets every column but the last as a feature and the last as the class label.
    pub fn labeled(&self) -> Result<LabeledData> {
        let columns = self
            .table
            .labeled()
            .map_err(|error| csv_error(&self.path, error))?;
        Ok(LabeledData {
            feature_names: columns.feature_names,
            features: columns.features,
            labels: columns.labels,
        })
    }

    /// Interprets every column as a feature (a file without labels): `[N, columns]`.
    pub fn unlabeled(&self) -> Result<Tensor> {
        self.table
            .unlabeled()
            .map_err(|error| csv_error(&self.path, error))
    }

    /// Like [`Table::labeled`], but also requires at least two distinct classes.
    pub fn training_data(&self) -> Result<LabeledData> {
        let data = self.labeled()?;
        let first = data.labels[0];
        if data.labels.iter().all(|&label| label == first) {
            return Err(Error::SingleClass {
                path: self.path.clone(),
                label: first,
            });
        }
        Ok(data)
    }
}

/// nn's account of what is wrong with the text of `path`, as the demo's error naming the file.
fn csv_error(path: &Path, error: CsvError) -> Error {
    let path = path.to_path_buf();
    match error {
        CsvError::Read(source) => Error::Read { path, source },
        CsvError::MissingHeader => Error::MissingHeader { path },
        CsvError::HeaderLooksNumeric => Error::HeaderLooksNumeric { path },
        CsvError::EmptyData => Error::EmptyData { path },
        CsvError::FieldCount {
            line,
            expected,
            found,
        } => Error::FieldCount {
            path,
            line,
            expected,
            found,
        },
        CsvError::TooFewColumns { found, needed } => Error::TooFewColumns {
            path,
            found,
            needed,
        },
        CsvError::BadNumber { line, column, text } => Error::BadNumber {
            path,
            line,
            column,
            text,
        },
        CsvError::NotFinite { line, column, text } => Error::NotFinite {
            path,
            line,
            column,
            text,
        },
        CsvError::BadLabel { line, column, text } => Error::BadLabel {
            path,
            line,
            column,
            text,
        },
    }
}

/// Formats a number so that it parses back to exactly the same f64 (Rust's shortest round-trip form).
pub fn exact(value: f64) -> String {
    format!("{value:?}")
}

/// Writes `data` as CSV (feature columns, then `label`), atomically.
pub fn write_labeled(path: &Path, data: &LabeledData) -> Result<()> {
    atomic::write_bytes(path, to_csv(data).as_bytes())
}

/// `data` as CSV text: a header of the feature names and `label`, then one row per point, the
/// numbers exact.
pub fn to_csv(data: &LabeledData) -> String {
    let mut text = format!("{},label\n", data.feature_names.join(","));
    for (row, label) in data.labels.iter().enumerate() {
        let fields: Vec<String> = data.features.row(row).iter().map(|&v| exact(v)).collect();
        text.push_str(&format!("{},{}\n", fields.join(","), label));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_from(text: &str) -> (tempfile::TempDir, Result<Table>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        fs::write(&path, text).unwrap();
        let table = Table::read(&path);
        (dir, table)
    }

    #[test]
    fn labeled_data_reads_features_and_labels() {
        let (_dir, table) = table_from("x,y,label\n0.5,-1,0\n\n2,3e-1,1.0\r\n");
        let data = table.unwrap().labeled().unwrap();
        assert_eq!(data.features.dims(), &[2, 2]);
        assert_eq!(data.features.data(), &[0.5, -1.0, 2.0, 0.3]);
        assert_eq!(data.labels, vec![0, 1]);
        assert_eq!(data.feature_names, vec!["x", "y"]);
        assert_eq!(data.class_count(), 2);
    }

    #[test]
    fn a_non_numeric_field_names_line_and_column() {
        let (_dir, table) = table_from("x,y,label\n0.5,1,0\n0.5,abc,1\n");
        let message = table.unwrap().labeled().unwrap_err().to_string();
        assert!(
            message.ends_with("data.csv:3:2: \"abc\" is not a number"),
            "{message}"
        );
    }

    #[test]
    fn nan_is_rejected_as_not_finite() {
        let (_dir, table) = table_from("x,y,label\nNaN,1,0\n");
        let message = table.unwrap().labeled().unwrap_err().to_string();
        assert!(
            message.ends_with("data.csv:2:1: \"NaN\" is not a finite number"),
            "{message}"
        );
    }

    #[test]
    fn negative_and_fractional_labels_are_rejected() {
        for label in ["-1", "0.5", "two", "10000", "1e9"] {
            let (_dir, table) = table_from(&format!("x,label\n1,{label}\n"));
            let error = table.unwrap().labeled().unwrap_err();
            assert!(
                matches!(
                    error,
                    Error::BadLabel {
                        line: 2,
                        column: 2,
                        ..
                    }
                ) || matches!(
                    error,
                    Error::BadNumber {
                        line: 2,
                        column: 2,
                        ..
                    }
                ),
                "{label}: {error}"
            );
        }
    }

    #[test]
    fn a_short_row_is_reported_with_its_field_count() {
        let (_dir, table) = table_from("x,y,label\n1,2,0\n1,2\n");
        let message = table.unwrap_err().to_string();
        assert!(
            message.ends_with("data.csv:3: 2 field(s), but the header has 3"),
            "{message}"
        );
    }

    #[test]
    fn a_header_only_file_is_empty_data() {
        let (_dir, table) = table_from("x,y,label\n");
        assert!(matches!(table.unwrap_err(), Error::EmptyData { .. }));
    }

    #[test]
    fn a_file_without_header_is_rejected() {
        let (_dir, table) = table_from("1,2,0\n3,4,1\n");
        assert!(matches!(
            table.unwrap_err(),
            Error::HeaderLooksNumeric { .. }
        ));
    }

    #[test]
    fn written_data_reads_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("round.csv");
        let data = LabeledData {
            feature_names: vec!["x".into(), "y".into()],
            features: Tensor::from_vec(vec![0.1 + 0.2, -1e-300, 1.0 / 3.0, 12345.678], [2, 2]),
            labels: vec![1, 0],
        };
        write_labeled(&path, &data).unwrap();
        let back = Table::read(&path).unwrap().labeled().unwrap();
        assert_eq!(back.features.data(), data.features.data());
        assert_eq!(back.labels, data.labels);
    }
}
