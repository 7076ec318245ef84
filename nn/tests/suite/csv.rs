//! CSV text to features and labels, in the library: parsed from a string or any reader, with
//! every error naming its line and column.

use nn::data::csv::{CsvError, CsvTable, MAX_LABEL};

#[test]
fn labelled_text_gives_features_labels_and_column_names() {
    let table = CsvTable::parse("x, y ,label\n0.5,-1,0\n\n2,3e-1,1.0\r\n").unwrap();
    assert_eq!((table.column_count(), table.row_count()), (3, 2));
    let data = table.labeled().unwrap();
    assert_eq!(data.feature_names, ["x", "y"]);
    assert_eq!(data.features.dims(), &[2, 2]);
    assert_eq!(data.features.data(), &[0.5, -1.0, 2.0, 0.3]);
    assert_eq!(data.labels, [0, 1]);
    let dataset = data.to_dataset();
    assert_eq!(dataset.labels, [0, 1]);
    assert_eq!(table.unlabeled().unwrap().dims(), &[2, 3]);
}

#[test]
fn a_reader_gives_the_same_table_as_its_text() {
    let text = "a,b,label\n1,2,0\n3,4,1\n";
    let from_reader = CsvTable::from_reader(text.as_bytes()).unwrap();
    assert_eq!(from_reader, CsvTable::parse(text).unwrap());
    let not_utf8: &[u8] = &[b'a', b',', 0xff, b'\n'];
    assert!(matches!(
        CsvTable::from_reader(not_utf8),
        Err(CsvError::Read(_))
    ));
}

/// A text without a header line, given one separately, is the same table as the text with
/// that header in front, and its errors name the lines of the text as given.
#[test]
fn a_header_given_apart_names_the_columns_and_keeps_the_lines() {
    let rows = "0.5,-1,0\n\n2,3e-1,1\n";
    let apart = CsvTable::parse_with_header("x,y,label", rows).unwrap();
    let joined = CsvTable::parse(&format!("x,y,label\n{rows}")).unwrap();
    assert_eq!(apart.labeled().unwrap(), joined.labeled().unwrap());
    let error = CsvTable::parse_with_header("x,y,label", "1,2,0\n1,abc,1\n")
        .and_then(|table| table.labeled())
        .unwrap_err();
    assert_eq!(error.to_string(), "2:2: \"abc\" is not a number");
    let short = CsvTable::parse_with_header("x,y,label", "1,2,0\n1,2\n").unwrap_err();
    assert_eq!(short.to_string(), "2: 2 field(s), but the header has 3");
    assert!(matches!(
        CsvTable::parse_with_header("x,y,label", "\n"),
        Err(CsvError::EmptyData)
    ));
}

#[test]
fn each_error_names_its_line_and_column() {
    let cases = [
        ("", "empty text (expected a header line)"),
        ("1,2,0\n3,4,1\n", "1: the first line holds numbers"),
        ("x,label\n", "no data rows after the header"),
        (
            "x,y,label\n1,2,0\n1,2\n",
            "3: 2 field(s), but the header has 3",
        ),
        (
            "x,y,label\n0.5,1,0\n0.5,abc,1\n",
            "3:2: \"abc\" is not a number",
        ),
        (
            "x,y,label\nNaN,1,0\n",
            "2:1: \"NaN\" is not a finite number",
        ),
        ("x,label\n1,0.5\n", "2:2: \"0.5\" is not a class label"),
        ("x,label\n1,-1\n", "2:2: \"-1\" is not a class label"),
        ("x,label\n1,10000\n", "2:2: \"10000\" is not a class label"),
        (
            "label\n1\n",
            "1: 1 column(s) in the header, need at least 2",
        ),
    ];
    for (text, expected) in cases {
        let error = CsvTable::parse(text)
            .and_then(|table| table.labeled())
            .unwrap_err();
        assert!(error.to_string().starts_with(expected), "{text:?}: {error}");
    }
    let top = format!("x,label\n1,{MAX_LABEL}\n");
    assert_eq!(
        CsvTable::parse(&top).unwrap().labeled().unwrap().labels,
        [MAX_LABEL]
    );
}
