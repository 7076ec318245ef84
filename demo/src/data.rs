//! Data files: CSV with a header, feature columns first and the integer class label last.

use std::fs;
use std::path::{Path, PathBuf};

use autograd::Tensor;

use crate::atomic;
use crate::error::{Error, Result};

/// The largest class label accepted: the model gets one output per class up to the largest label,
/// so a stray huge label would otherwise build an enormous output layer.
pub const MAX_LABEL: usize = 9999;

/// A CSV file as read: its header and each data row's fields, with line numbers kept for errors.
#[derive(Debug)]
pub struct Table {
    /// The file it came from.
    pub path: PathBuf,
    /// Column names from the header line.
    pub header: Vec<String>,
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    line: usize,
    fields: Vec<String>,
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
    /// Reads `path`: a header line, then rows with as many comma-separated fields as the header.
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
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
            .filter(|(_, line)| !line.trim().is_empty());
        let Some((_, header_line)) = lines.next() else {
            return Err(Error::MissingHeader {
                path: path.to_path_buf(),
            });
        };
        let header: Vec<String> = split_fields(header_line);
        if header.iter().all(|name| name.parse::<f64>().is_ok()) {
            return Err(Error::HeaderLooksNumeric {
                path: path.to_path_buf(),
            });
        }
        let mut rows = Vec::new();
        for (line, text) in lines {
            let fields = split_fields(text);
            if fields.len() != header.len() {
                return Err(Error::FieldCount {
                    path: path.to_path_buf(),
                    line,
                    expected: header.len(),
                    found: fields.len(),
                });
            }
            rows.push(Row { line, fields });
        }
        if rows.is_empty() {
            return Err(Error::EmptyData {
                path: path.to_path_buf(),
            });
        }
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    /// The number of columns.
    pub fn column_count(&self) -> usize {
        self.header.len()
    }

    /// Interprets every column but the last as a feature and the last as the class label.
    pub fn labeled(&self) -> Result<LabeledData> {
        let columns = self.column_count();
        if columns < 2 {
            return Err(Error::TooFewColumns {
                path: self.path.clone(),
                found: columns,
                needed: 2,
            });
        }
        let features = self.features(columns - 1)?;
        let labels = self
            .rows
            .iter()
            .map(|row| self.label(row, columns - 1))
            .collect::<Result<Vec<_>>>()?;
        Ok(LabeledData {
            feature_names: self.header[..columns - 1].to_vec(),
            features,
            labels,
        })
    }

    /// Interprets every column as a feature (a file without labels): `[N, columns]`.
    pub fn unlabeled(&self) -> Result<Tensor> {
        self.features(self.column_count())
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

    fn features(&self, count: usize) -> Result<Tensor> {
        let mut values = Vec::with_capacity(self.rows.len() * count);
        for row in &self.rows {
            for (index, text) in row.fields[..count].iter().enumerate() {
                values.push(self.number(row.line, index + 1, text)?);
            }
        }
        Ok(Tensor::from_vec(values, [self.rows.len(), count]))
    }

    fn number(&self, line: usize, column: usize, text: &str) -> Result<f64> {
        let value: f64 = text.parse().map_err(|_| Error::BadNumber {
            path: self.path.clone(),
            line,
            column,
            text: text.to_string(),
        })?;
        if !value.is_finite() {
            return Err(Error::NotFinite {
                path: self.path.clone(),
                line,
                column,
                text: text.to_string(),
            });
        }
        Ok(value)
    }

    fn label(&self, row: &Row, index: usize) -> Result<usize> {
        let text = &row.fields[index];
        let bad_label = || Error::BadLabel {
            path: self.path.clone(),
            line: row.line,
            column: index + 1,
            text: text.clone(),
        };
        if let Ok(label) = text.parse::<usize>() {
            return if label <= MAX_LABEL {
                Ok(label)
            } else {
                Err(bad_label())
            };
        }
        // Accept integral floats such as "1.0", which some tools write for integer columns.
        let value = self.number(row.line, index + 1, text)?;
        if value >= 0.0 && value.fract() == 0.0 && value <= MAX_LABEL as f64 {
            Ok(value as usize)
        } else {
            Err(bad_label())
        }
    }
}

fn split_fields(line: &str) -> Vec<String> {
    line.split(',')
        .map(|field| field.trim().to_string())
        .collect()
}

/// Formats a number so that it parses back to exactly the same f64 (Rust's shortest round-trip form).
pub fn exact(value: f64) -> String {
    format!("{value:?}")
}

/// Writes `data` as CSV (feature columns, then `label`), atomically.
pub fn write_labeled(path: &Path, data: &LabeledData) -> Result<()> {
    atomic::write_with(path, |writer| {
        writeln!(writer, "{},label", data.feature_names.join(","))?;
        for (row, label) in data.labels.iter().enumerate() {
            let fields: Vec<String> = data.features.row(row).iter().map(|&v| exact(v)).collect();
            writeln!(writer, "{},{}", fields.join(","), label)?;
        }
        Ok(())
    })
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
