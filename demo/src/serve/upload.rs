//! An uploaded CSV text as training points: `demo train --data`'s rules, the header optional.

use std::path::Path;

use crate::data::{LabeledData, Table};
use crate::error::Error;

/// The name errors give the uploaded text.
const UPLOAD_NAME: &str = "upload.csv";

/// The header given to a text whose first line is already a row of numbers.
const HEADER: &str = "x,y,label";

/// Reads `text` as `demo train --data` reads a file (two feature columns, then an integer label
/// from 0, at least two classes), except that the header line may be left out; errors name the
/// line of the text as uploaded (`upload.csv:3:2: "abc" is not a number`).
pub fn parse(text: &str) -> Result<LabeledData, String> {
    // The CSV reader refuses a first line of numbers as a header: the text has none.
    let path = Path::new(UPLOAD_NAME);
    let table = match Table::parse(path, text) {
        Err(Error::HeaderLooksNumeric { .. }) => Table::parse_with_header(path, HEADER, text),
        table => table,
    };
    let result = table.and_then(|table| table.training_data());
    let data = result.map_err(|error| error.to_string())?;
    if data.feature_count() != 2 {
        return Err(format!(
            "{UPLOAD_NAME}: {} feature columns, but the playground draws points of two (x,y,label)",
            data.feature_count()
        ));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_optional() {
        let with = parse("x,y,label\n0,1,0\n1,0,1\n").unwrap();
        let without = parse("0,1,0\n1,0,1\n").unwrap();
        assert_eq!(with.features, without.features);
        assert_eq!(with.labels, vec![0, 1]);
    }

    #[test]
    fn a_bad_row_is_named_by_its_line_as_uploaded() {
        let with_header = parse("x,y,label\n0,1,0\n1,abc,1\n").unwrap_err();
        assert_eq!(with_header, "upload.csv:3:2: \"abc\" is not a number");
        let without = parse("0,1,0\n1,abc,1\n").unwrap_err();
        assert_eq!(without, "upload.csv:2:2: \"abc\" is not a number");
        let short = parse("0,1,0\n1,1\n").unwrap_err();
        assert_eq!(short, "upload.csv:2: 2 field(s), but the header has 3");
    }

    #[test]
    fn other_shapes_and_single_classes_are_refused() {
        assert!(
            parse("a,b,c,label\n1,2,3,0\n1,2,3,1\n")
                .unwrap_err()
                .contains("3 feature")
        );
        assert!(parse("0,1,0\n1,0,0\n").unwrap_err().contains("two classes"));
        assert!(parse("").unwrap_err().contains("empty"));
    }
}
