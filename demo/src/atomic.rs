//! Writing outputs whole or not at all: regular files by a temporary file renamed over the target.
//!
//! What a path names decides how it is written:
//! - `-`: standard output, streamed (see [`crate::output`]);
//! - a symbolic link: whatever it points to, followed to the end (a link is never replaced);
//! - a regular file, or nothing yet: a temporary file in the same directory as the file, flushed
//!   to disk and renamed over it, so the old content stays until the new one is complete;
//! - anything else that exists (`/dev/null`, a terminal, a named pipe): streamed in place, since
//!   it cannot be replaced by renaming.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};
use crate::output;

/// Symbolic links followed before giving up on a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// Where the bytes for a path go.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// The path `-`.
    Stdout,
    /// A regular file, existing or not, reached through any links: replaced by rename.
    File(PathBuf),
    /// An existing device, pipe or socket: written in place.
    Stream(PathBuf),
}

/// Whether `path` is `-`, which every output flag reads as standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses `-` for an output that cannot share standard output with the status lines (a binary
/// figure, a checkpoint), naming the flag.
pub fn refuse_stdout(flag: &'static str, path: &Path) -> Result<()> {
    if is_stdout(path) {
        return Err(Error::InvalidFlag {
            flag,
            reason: "cannot be written to standard output (-); give a file name".to_string(),
        });
    }
    Ok(())
}

/// Writes `bytes` to `path`, replacing any existing file only once the new content is complete.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |writer| writer.write_all(bytes))
}

/// Calls `fill` with a buffered writer to what `path` names (see the module docs).
///
/// For a regular file, if `fill` or any write fails, the temporary file is removed and the file is
/// left as it was.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    match resolve(path).map_err(write_error)? {
        Target::Stdout => {
            let stdout = io::stdout().lock();
            let mut writer = BufWriter::new(stdout);
            if let Err(error) = fill(&mut writer).and_then(|()| writer.flush()) {
                output::stdout_failed(&error);
            }
            Ok(())
        }
        Target::Stream(target) => {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(write_error)?;
            let mut writer = BufWriter::new(file);
            fill(&mut writer)
                .and_then(|()| writer.flush())
                .map_err(write_error)
        }
        Target::File(target) => replace_file(&target, fill).map_err(write_error),
    }
}

/// Writes a temporary file beside `target`, then renames it over `target`, keeping the
/// permissions of the file it replaces.
fn replace_file(
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let temporary = temporary_path(target);
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)?;
    let result = (|| {
        if let Ok(existing) = fs::metadata(target) {
            file.set_permissions(existing.permissions())?;
        }
        let mut writer = BufWriter::new(file);
        fill(&mut writer)?;
        let file = writer.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, target)
    })();
    if result.is_err() {
        // Best effort: the temporary file is ours and must not linger, but its removal failing
        // does not change what the user needs to hear.
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Checks, before a long computation, that `path` can be written: for a regular file, that a file
/// can be created beside it (created and removed again; the target itself is not touched).
pub fn check_writable(path: &Path) -> Result<()> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = match resolve(path).map_err(write_error)? {
        Target::Stdout | Target::Stream(_) => return Ok(()),
        Target::File(target) => target,
    };
    let temporary = temporary_path(&target);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(write_error)?;
    // Best effort, as in `replace_file`: the probe is ours and empty.
    let _ = fs::remove_file(&temporary);
    Ok(())
}

/// What `path` names, following symbolic links (relative ones from their own directory) to a
/// regular file, a missing file, or something else that exists; a directory is an error.
fn resolve(path: &Path) -> io::Result<Target> {
    if is_stdout(path) {
        return Ok(Target::Stdout);
    }
    if names_a_descriptor(path) && fs::metadata(path).is_ok() {
        // `/dev/stdout` and the like lead through the kernel's links to an open file (a pipe's
        // "pipe:[1234]" is no path at all): write into it, as the shell set it up.
        return Ok(Target::Stream(path.to_path_buf()));
    }
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let metadata = match fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(Target::File(current));
            }
            Err(error) => return Err(error),
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&current)?;
            current = match current.parent() {
                Some(directory) => directory.join(link),
                None => link,
            };
        } else if kind.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a directory",
            ));
        } else if kind.is_file() {
            return Ok(Target::File(current));
        } else {
            return Ok(Target::Stream(current));
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row (a loop?)"
    )))
}

/// Whether `path` names an open file descriptor (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`).
fn names_a_descriptor(path: &Path) -> bool {
    ["/dev/stdin", "/dev/stdout", "/dev/stderr"]
        .iter()
        .any(|name| path == Path::new(name))
        || path.starts_with("/dev/fd")
        || path.starts_with("/proc")
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

    #[test]
    fn a_symlink_is_written_through_to_its_target_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("data").join("real.csv");
        fs::create_dir(target.parent().unwrap()).unwrap();
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("data/real.csv", &link).unwrap();
        write_bytes(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn a_dangling_symlink_creates_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("made.csv", &link).unwrap();
        check_writable(&link).unwrap();
        write_bytes(&link, b"made").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("made.csv")).unwrap(),
            "made"
        );
    }

    #[test]
    fn a_device_is_streamed_to_and_not_replaced() {
        // /dev/null is a character device: a rename over it would need root and destroy it.
        let null = Path::new("/dev/null");
        assert_eq!(resolve(null).unwrap(), Target::Stream(null.to_path_buf()));
        check_writable(null).unwrap();
        write_bytes(null, b"gone").unwrap();
        assert!(!fs::metadata(null).unwrap().is_file());
    }

    #[test]
    fn a_dash_means_standard_output_and_a_directory_is_refused() {
        assert_eq!(resolve(Path::new("-")).unwrap(), Target::Stdout);
        let dir = tempfile::tempdir().unwrap();
        let message = check_writable(dir.path()).unwrap_err().to_string();
        assert!(message.contains("directory"), "{message}");
        assert!(refuse_stdout("--plot", Path::new("-")).is_err());
        assert!(refuse_stdout("--plot", Path::new("a.png")).is_ok());
    }

    #[test]
    fn a_symlink_loop_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("loop");
        std::os::unix::fs::symlink("loop", &link).unwrap();
        assert!(write_bytes(&link, b"x").is_err());
    }
}
