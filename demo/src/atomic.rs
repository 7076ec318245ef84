//! Writing files whole or not at all: write a temporary file beside the target, then rename it over.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// Writes `bytes` to `path`, replacing any existing file only once the new content is complete.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |writer| writer.write_all(bytes))
}

/// Calls `fill` with a buffered writer to a temporary file beside `path`, then renames it to `path`.
///
/// If `fill` or any write fails, the temporary file is removed and `path` is left as it was.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let temporary = temporary_path(path);
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(write_error)?;
    let result = (|| {
        let mut writer = BufWriter::new(file);
        fill(&mut writer)?;
        let file = writer.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)
    })();
    if let Err(source) = result {
        // Best effort: the temporary file is ours and must not linger, but its removal failing
        // does not change what the user needs to hear.
        let _ = fs::remove_file(&temporary);
        return Err(write_error(source));
    }
    Ok(())
}

/// Checks, before a long computation, that a file can be created beside `path` (so it can be written).
///
/// Creates and removes a temporary file; the target itself is not touched.
pub fn check_writable(path: &Path) -> Result<()> {
    let temporary = temporary_path(path);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
    // Best effort, as in `write_with`: the probe is ours and empty.
    let _ = fs::remove_file(&temporary);
    if path.is_dir() {
        return Err(Error::Write {
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"),
        });
    }
    Ok(())
}

/// A fresh name in the same directory as `path` (so the rename stays on one file system).
fn temporary_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}-{unique}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.txt");
        fs::write(&path, "old").unwrap();
        let result = write_with(&path, |writer| {
            writer.write_all(b"half")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn successful_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.txt");
        fs::write(&path, "old").unwrap();
        write_bytes(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn write_into_a_missing_directory_names_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.txt");
        let message = write_bytes(&path, b"x").unwrap_err().to_string();
        assert!(message.starts_with("cannot write "), "{message}");
        assert!(message.contains("out.txt"), "{message}");
    }
}
