//! The demo's single error type: everything that can go wrong with the user's files, flags and runs.

use std::fmt;
use std::path::PathBuf;

/// A failure caused by input from outside the program; displayed as one line, facts first.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file could not be written (or moved into place).
    Write {
        /// The file that was to be written.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A data file has no header line.
    MissingHeader {
        /// The file.
        path: PathBuf,
    },
    /// A data file's header line looks like numbers, so the file probably lacks a header.
    HeaderLooksNumeric {
        /// The file.
        path: PathBuf,
    },
    /// A data file has fewer columns than the command needs.
    TooFewColumns {
        /// The file.
        path: PathBuf,
        /// Columns in its header.
        found: usize,
        /// Columns needed at least.
        needed: usize,
    },
    /// A data file has a header but no rows.
    EmptyData {
        /// The file.
        path: PathBuf,
    },
    /// A row has a different number of fields from the header.
    FieldCount {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields on this line.
        found: usize,
    },
    /// A field is not a number.
    BadNumber {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The field as written.
        text: String,
    },
    /// A field is NaN or infinite.
    NotFinite {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The field as written.
        text: String,
    },
    /// A class label is negative, fractional or above [`crate::data::MAX_LABEL`].
    BadLabel {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The field as written.
        text: String,
    },
    /// Some classes between 0 and the largest label have no example (and no `--classes` says
    /// that is intended).
    MissingClasses {
        /// The file.
        path: PathBuf,
        /// The classes without an example, ascending.
        missing: Vec<usize>,
        /// The largest label.
        largest: usize,
    },
    /// Every row has the same label, so there is nothing to classify.
    SingleClass {
        /// The file.
        path: PathBuf,
        /// The only label present.
        label: usize,
    },
    /// A checkpoint could not be read, parsed or turned into a model.
    Checkpoint {
        /// The checkpoint file.
        path: PathBuf,
        /// What the nn crate found wrong with it.
        source: nn::CheckpointError,
    },
    /// A plain parameters file (`--init`) cannot be read as a model.
    ParamsFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, naming the parameter.
        problem: String,
    },
    /// A data file's column count fits the model neither with nor without a label column.
    ColumnMismatch {
        /// The checkpoint file.
        model: PathBuf,
        /// Inputs the model expects.
        model_features: usize,
        /// The data file.
        data: PathBuf,
        /// Columns the data has.
        columns: usize,
    },
    /// The training loop refused its configuration.
    Training(nn::TrainError),
    /// A model's gradients disagree with finite differences.
    GradcheckFailed {
        /// Entries that disagreed.
        failures: usize,
        /// Entries checked.
        checked: usize,
    },
    /// A model's input width does not match the data's feature count.
    FeatureMismatch {
        /// The checkpoint file.
        model: PathBuf,
        /// Inputs the model expects.
        model_features: usize,
        /// The data file.
        data: PathBuf,
        /// Feature columns the data has.
        data_features: usize,
    },
    /// The data holds a class label the model has no output for.
    ClassMismatch {
        /// The checkpoint file.
        model: PathBuf,
        /// Outputs (classes) of the model.
        model_classes: usize,
        /// The data file.
        data: PathBuf,
        /// The largest label in the data.
        max_label: usize,
    },
    /// A flag's value is out of range or contradicts another flag.
    InvalidFlag {
        /// The flag, as typed (`--holdout`).
        flag: &'static str,
        /// Why its value cannot be used.
        reason: String,
    },
    /// A figure needs two-feature data.
    NotTwoFeatures {
        /// The flag that asked for the figure.
        flag: &'static str,
        /// Feature columns the data has.
        found: usize,
    },
    /// The loss became NaN or infinite during training.
    Diverged {
        /// The pass at which the loss stopped being finite.
        pass: usize,
        /// The loss value then.
        loss: f64,
        /// The learning rate in use.
        learning_rate: f64,
        /// Where the last finite model was saved (`--save`), if anywhere.
        saved_to: Option<PathBuf>,
    },
    /// Training ended with a finite loss far above the one it started from.
    LossRose {
        /// The loss before the first update.
        start: f64,
        /// The loss after the last pass.
        end: f64,
        /// The last pass.
        pass: usize,
        /// The learning rate in use.
        learning_rate: f64,
        /// The checkpoint that was therefore not written (`--save`), if one was asked for.
        not_saved: Option<PathBuf>,
    },
    /// `demo serve` could not listen on its address.
    Serve {
        /// `host:port` as given.
        address: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A run would need more memory than there is.
    TooLarge {
        /// What would need it (`training`, `the moons data`).
        what: String,
        /// The estimated bytes.
        needed: u128,
        /// The bytes available, when the system says.
        available: Option<u64>,
        /// The flags that set the size.
        flags: &'static str,
    },
    /// Drawing a figure failed.
    Plot {
        /// The figure file.
        path: PathBuf,
        /// What the plotting library said.
        reason: String,
    },
    /// A row of an image CSV does not hold one image of the `--image` size and a label.
    PixelCount {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Fields on this line.
        found: usize,
        /// The image size the row should hold.
        shape: crate::images::ImageShape,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } => {
                write!(f, "cannot read {}: {}", path.display(), source)
            }
            Error::Write { path, source } => {
                write!(f, "cannot write {}: {}", path.display(), source)
            }
            Error::MissingHeader { path } => {
                write!(f, "{}: empty file (expected a header line)", path.display())
            }
            Error::HeaderLooksNumeric { path } => write!(
                f,
                "{}:1: the first line holds numbers, but it must be a header line such as x,y,label",
                path.display()
            ),
            Error::TooFewColumns {
                path,
                found,
                needed,
            } => write!(
                f,
                "{}:1: {} column(s) in the header, need at least {} (features, then the label)",
                path.display(),
                found,
                needed
            ),
            Error::EmptyData { path } => {
                write!(f, "{}: no data rows after the header", path.display())
            }
            Error::FieldCount {
                path,
                line,
                expected,
                found,
            } => write!(
                f,
                "{}:{}: {} field(s), but the header has {}",
                path.display(),
                line,
                found,
                expected
            ),
            Error::BadNumber {
                path,
                line,
                column,
                text,
            } => write!(
                f,
                "{}:{}:{}: {:?} is not a number",
                path.display(),
                line,
                column,
                text
            ),
            Error::NotFinite {
                path,
                line,
                column,
                text,
            } => write!(
                f,
                "{}:{}:{}: {:?} is not a finite number",
                path.display(),
                line,
                column,
                text
            ),
            Error::BadLabel {
                path,
                line,
                column,
                text,
            } => write!(
                f,
                "{}:{}:{}: {:?} is not a class label (an integer from 0 to {})",
                path.display(),
                line,
                column,
                text,
                crate::data::MAX_LABEL
            ),
            Error::MissingClasses {
                path,
                missing,
                largest,
            } => write!(
                f,
                "{}: no example of class(es) {} among labels 0 to {}; number the classes 0, 1, 2, ... without gaps, or give --classes {} if those classes are meant to exist",
                path.display(),
                crate::classes::list(missing),
                largest,
                largest + 1
            ),
            Error::SingleClass { path, label } => write!(
                f,
                "{}: every row has label {}; training needs at least two classes",
                path.display(),
                label
            ),
            Error::Checkpoint { path, source } => match source {
                // The I/O variant names the path itself.
                nn::CheckpointError::Io { .. } => write!(f, "{source}"),
                _ => write!(f, "{}: {}", path.display(), source),
            },
            Error::ParamsFile { path, problem } => write!(f, "{}: {}", path.display(), problem),
            Error::ColumnMismatch {
                model,
                model_features,
                data,
                columns,
            } => write!(
                f,
                "model {} takes {} input feature(s), but {} has {} column(s) (expected {} without labels or {} with)",
                model.display(),
                model_features,
                data.display(),
                columns,
                model_features,
                model_features + 1
            ),
            Error::Training(source) => write!(f, "{source}"),
            Error::GradcheckFailed { failures, checked } => write!(
                f,
                "gradient check failed: {failures} of {checked} entries differ from finite differences"
            ),
            Error::FeatureMismatch {
                model,
                model_features,
                data,
                data_features,
            } => write!(
                f,
                "model {} takes {} input feature(s), but {} has {} feature column(s)",
                model.display(),
                model_features,
                data.display(),
                data_features
            ),
            Error::ClassMismatch {
                model,
                model_classes,
                data,
                max_label,
            } => write!(
                f,
                "model {} has {} output class(es), but {} has label {}",
                model.display(),
                model_classes,
                data.display(),
                max_label
            ),
            Error::InvalidFlag { flag, reason } => write!(f, "{flag}: {reason}"),
            Error::NotTwoFeatures { flag, found } => write!(
                f,
                "{flag} draws a decision boundary in the plane and needs data with 2 features, this has {found}"
            ),
            Error::Diverged {
                pass,
                loss,
                learning_rate,
                saved_to,
            } => {
                write!(
                    f,
                    "training diverged: the loss became {loss} at pass {pass}; try a smaller learning rate than {learning_rate:?} (--lr)"
                )?;
                match saved_to {
                    Some(path) => {
                        write!(f, "; the last finite model was saved to {}", path.display())
                    }
                    None => Ok(()),
                }
            }
            Error::LossRose {
                start,
                end,
                pass,
                learning_rate,
                not_saved,
            } => {
                write!(
                    f,
                    "training diverged: the loss rose from {start:.6} before training to {end:.6} at pass {pass}; try a smaller learning rate than {learning_rate:?} (--lr)"
                )?;
                match not_saved {
                    Some(path) => write!(f, "; the model was not saved to {}", path.display()),
                    None => Ok(()),
                }
            }
            Error::Serve { address, source } => {
                write!(f, "cannot serve on {address}: {source}")
            }
            Error::TooLarge {
                what,
                needed,
                available,
                flags,
            } => {
                write!(
                    f,
                    "{what} would need about {} of memory",
                    crate::budget::human(*needed)
                )?;
                if let Some(available) = available {
                    write!(
                        f,
                        ", but {} is available",
                        crate::budget::human(u128::from(*available))
                    )?;
                }
                write!(f, "; make {flags} smaller")
            }
            Error::Plot { path, reason } => {
                write!(f, "cannot draw {}: {}", path.display(), reason)
            }
            Error::PixelCount {
                path,
                line,
                found,
                shape,
            } => write!(
                f,
                "{}:{}: {} field(s), but --image {} needs {} ({} pixel values, then the label)",
                path.display(),
                line,
                found,
                shape,
                shape.pixels() + 1,
                shape.pixels()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. }
            | Error::Write { source, .. }
            | Error::Serve { source, .. } => Some(source),
            Error::Checkpoint { source, .. } => Some(source),
            Error::Training(source) => Some(source),
            _ => None,
        }
    }
}

/// The demo's result type.
pub type Result<T> = std::result::Result<T, Error>;
