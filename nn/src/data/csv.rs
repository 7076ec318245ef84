//! CSV text with a header line into numeric features and integer class labels.
//!
//! The format: a header line naming the columns, then one row per example with as many
//! comma-separated fields as the header. Blank lines are skipped and a trailing `\r` is ignored.
//! For labelled data every column but the last is a feature and the last is the class label.
//!
//! ```
//! use nn::data::csv::CsvTable;
//! let table = CsvTable::parse("x,y,label\n0.5,-1,0\n2,0.3,1\n").unwrap();
//! let data = table.labeled().unwrap();
//! assert_eq!(data.feature_names, ["x", "y"]);
//! assert_eq!(data.features.data(), &[0.5, -1.0, 2.0, 0.3]);
//! assert_eq!(data.labels, [0, 1]);
//! ```

use crate::Dataset;
use autograd::Tensor;
use std::fmt;
use std::io::Read;

/// The largest class label accepted: a model gets one output per class up to the largest label,
/// so a stray huge label would otherwise build an enormous output layer.
pub const MAX_LABEL: usize = 9999;

/// A CSV text as parsed: its header and each data row's fields, with line numbers kept for errors.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvTable {
    /// Column names from the header line.
    pub header: Vec<String>,
    rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq)]
struct Row {
    line: usize,
    fields: Vec<String>,
}

/// Examples with a class label each, and the names of their feature columns.
#[derive(Clone, Debug, PartialEq)]
pub struct LabeledColumns {
    /// Names of the feature columns, in order.
    pub feature_names: Vec<String>,
    /// The examples, one row each: `[N, F]`.
    pub features: Tensor,
    /// One class label per row.
    pub labels: Vec<usize>,
}

impl LabeledColumns {
    /// The examples as a training set.
    pub fn to_dataset(&self) -> Dataset {
        Dataset::new(self.features.clone(), self.labels.clone())
    }
}

/// What is wrong with a CSV text, and where (1-based line and column numbers).
#[derive(Debug)]
pub enum CsvError {
    /// The reader failed or the bytes are not UTF-8.
    Read(std::io::Error),
    /// There is no header line (the text is empty or blank).
    MissingHeader,
    /// The header line looks like numbers, so the text probably lacks a header.
    HeaderLooksNumeric,
    /// There is a header but no rows.
    EmptyData,
    /// A row has a different number of fields from the header.
    FieldCount {
        /// The row's line.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields on this line.
        found: usize,
    },
    /// There are fewer columns than features plus a label need.
    TooFewColumns {
        /// Columns in the header.
        found: usize,
        /// Columns needed at least.
        needed: usize,
    },
    /// A field is not a number.
    BadNumber {
        /// The field's line.
        line: usize,
        /// The field's column.
        column: usize,
        /// The field as written.
        text: String,
    },
    /// A field is NaN or infinite.
    NotFinite {
        /// The field's line.
        line: usize,
        /// The field's column.
        column: usize,
        /// The field as written.
        text: String,
    },
    /// A class label is negative, fractional or above [`MAX_LABEL`].
    BadLabel {
        /// The field's line.
        line: usize,
        /// The field's column.
        column: usize,
        /// The field as written.
        text: String,
    },
}

impl fmt::Display for CsvError {
    /// The facts without the file's name, which the caller adds before them (`data.csv:3:2: ...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Read(error) => write!(f, "cannot read the text: {error}"),
            CsvError::MissingHeader => f.write_str("empty text (expected a header line)"),
            CsvError::HeaderLooksNumeric => f.write_str(
                "1: the first line holds numbers, but it must be a header line such as x,y,label",
            ),
            CsvError::EmptyData => f.write_str("no data rows after the header"),
            CsvError::FieldCount {
                line,
                expected,
                found,
            } => write!(f, "{line}: {found} field(s), but the header has {expected}"),
            CsvError::TooFewColumns { found, needed } => write!(
                f,
                "1: {found} column(s) in the header, need at least {needed} (features, then the label)"
            ),
            CsvError::BadNumber { line, column, text } => {
                write!(f, "{line}:{column}: {text:?} is not a number")
            }
            CsvError::NotFinite { line, column, text } => {
                write!(f, "{line}:{column}: {text:?} is not a finite number")
            }
            CsvError::BadLabel { line, column, text } => write!(
                f,
                "{line}:{column}: {text:?} is not a class label (an integer from 0 to {MAX_LABEL})"
            ),
        }
    }
}

impl std::error::Error for CsvError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CsvError::Read(error) => Some(error),
            _ => None,
        }
    }
}

impl CsvTable {
    /// Parses CSV text: a header line, then rows with as many fields as the header.
    ///
    /// Never panics: any text gives a table or a [`CsvError`] saying what is wrong and where.
    pub fn parse(text: &str) -> Result<CsvTable, CsvError> {
        let mut lines = numbered_lines(text);
        let Some((_, header_line)) = lines.next() else {
            return Err(CsvError::MissingHeader);
        };
        let header = split_fields(header_line);
        if header.iter().all(|name| name.parse::<f64>().is_ok()) {
            return Err(CsvError::HeaderLooksNumeric);
        }
        CsvTable::with_rows(header, lines)
    }

    /// Parses CSV text without a header line, every non-blank line a row, under the column
    /// names of `header` (itself a CSV line); errors name the lines of `text`.
    pub fn parse_with_header(header: &str, text: &str) -> Result<CsvTable, CsvError> {
        CsvTable::with_rows(split_fields(header), numbered_lines(text))
    }

    /// The table of `header` and the rows `lines` (1-based line numbers with their text), each
    /// with as many fields as the header.
    fn with_rows<'a>(
        header: Vec<String>,
        lines: impl Iterator<Item = (usize, &'a str)>,
    ) -> Result<CsvTable, CsvError> {
        let mut rows = Vec::new();
        for (line, text) in lines {
            let fields = split_fields(text);
            if fields.len() != header.len() {
                return Err(CsvError::FieldCount {
                    line,
                    expected: header.len(),
                    found: fields.len(),
                });
            }
            rows.push(Row { line, fields });
        }
        if rows.is_empty() {
            return Err(CsvError::EmptyData);
        }
        Ok(CsvTable { header, rows })
    }

    /// Reads all of `reader` as UTF-8 text and parses it as [`CsvTable::parse`] does.
    pub fn from_reader(mut reader: impl Read) -> Result<CsvTable, CsvError> {
        let mut text = String::new();
        reader.read_to_string(&mut text).map_err(CsvError::Read)?;
        CsvTable::parse(&text)
    }

    /// The number of columns.
    pub fn column_count(&self) -> usize {
        self.header.len()
    }

    /// The number of data rows.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Every column but the last as a feature, the last as the class label (a whole number from
    /// 0 to [`MAX_LABEL`]; integral floats such as `1.0` are accepted).
    pub fn labeled(&self) -> Result<LabeledColumns, CsvError> {
        let columns = self.column_count();
        if columns < 2 {
            return Err(CsvError::TooFewColumns {
                found: columns,
                needed: 2,
            });
        }
        let features = self.features(columns - 1)?;
        let labels = self
            .rows
            .iter()
            .map(|row| label(row, columns - 1))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LabeledColumns {
            feature_names: self.header[..columns - 1].to_vec(),
            features,
            labels,
        })
    }

    /// Every column as a feature (a file without labels): `[N, columns]`.
    pub fn unlabeled(&self) -> Result<Tensor, CsvError> {
        self.features(self.column_count())
    }

    fn features(&self, count: usize) -> Result<Tensor, CsvError> {
        let mut values = Vec::with_capacity(self.rows.len() * count);
        for row in &self.rows {
            for (index, text) in row.fields[..count].iter().enumerate() {
                values.push(number(row.line, index + 1, text)?);
            }
        }
        Ok(Tensor::from_vec(values, [self.rows.len(), count]))
    }
}

fn number(line: usize, column: usize, text: &str) -> Result<f64, CsvError> {
    let value: f64 = text.parse().map_err(|_| CsvError::BadNumber {
        line,
        column,
        text: text.to_string(),
    })?;
    if !value.is_finite() {
        return Err(CsvError::NotFinite {
            line,
            column,
            text: text.to_string(),
        });
    }
    Ok(value)
}

fn label(row: &Row, index: usize) -> Result<usize, CsvError> {
    let text = &row.fields[index];
    let bad_label = || CsvError::BadLabel {
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
    let value = number(row.line, index + 1, text)?;
    if value >= 0.0 && value.fract() == 0.0 && value <= MAX_LABEL as f64 {
        Ok(value as usize)
    } else {
        Err(bad_label())
    }
}

/// The non-blank lines of `text` with their 1-based line numbers, a trailing `\r` removed.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty())
}

fn split_fields(line: &str) -> Vec<String> {
    line.split(',')
        .map(|field| field.trim().to_string())
        .collect()
}
