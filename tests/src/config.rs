//! The proptest configuration every property uses: its case count and its regression file.

use proptest::test_runner::{Config, FileFailurePersistence};

/// The configuration for the properties in `tests/tests/suite/<file_stem>.rs`.
///
/// The case count is `PROPTEST_CASES` when that variable is set (proptest reads it), and
/// `default_cases` otherwise, chosen per property so that the whole suite stays fast. Shrunk
/// failures are written to `tests/proptest-regressions/<file_stem>.txt` and replayed first on
/// every later run, so a failure once found is never lost.
pub fn config(file_stem: &str, default_cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    let path = format!(
        "{}/proptest-regressions/{file_stem}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    // Proptest takes a `&'static str`; one short string per test function is leaked.
    config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(Box::leak(
        path.into_boxed_str(),
    ))));
    config
}
