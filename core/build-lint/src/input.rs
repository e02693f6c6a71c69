//! The build files given to lint: which kind each is, its path as the caller wrote it, and
//! its bytes; and [`read_build_file`], which reads a path with the checks every build file
//! gets (exists, is a file, at most [`MAX_FILE_BYTES`], read through a bounded reader), so
//! that the CLI turns a missing or hostile path into a finding with one call.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use crate::error::FileError;
use crate::finding::Finding;

/// The largest build file read: 16 MiB. A merged AndroidManifest.xml of a large app is
/// under 1 MiB and an Info.plist or privacy manifest a few KiB, so anything bigger is a
/// mistake or an attack; it is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Which check a file gets (the CLI's `--android`, `--ios`, `--privacy-manifest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// An AndroidManifest.xml, merged (from the build) or source.
    AndroidManifest,
    /// An app's Info.plist, XML or binary.
    InfoPlist,
    /// A PrivacyInfo.xcprivacy, the app's or an SDK's (decided by its path).
    PrivacyManifest,
}

impl FileKind {
    /// The name used in messages.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::AndroidManifest => "AndroidManifest.xml",
            FileKind::InfoPlist => "Info.plist",
            FileKind::PrivacyManifest => "privacy manifest",
        }
    }
}

/// One build file: its kind, its path exactly as given (it is quoted in every finding) and
/// its contents.
#[derive(Debug, Clone, Copy)]
pub struct BuildFile<'a> {
    pub kind: FileKind,
    pub path: &'a str,
    pub bytes: &'a [u8],
}

impl<'a> BuildFile<'a> {
    pub fn new(kind: FileKind, path: &'a str, bytes: &'a [u8]) -> Self {
        BuildFile { kind, path, bytes }
    }
}

/// Reads the build file at `path`, refusing a missing path, a directory and anything over
/// [`MAX_FILE_BYTES`] (checked on the metadata first, then enforced while reading, so a
/// FIFO or a file growing under us cannot make it read more). The error is a finding
/// (`file_not_found`, `not_a_file`, `file_too_large`, `unreadable_file`) whose path is the
/// given path with line 0.
pub fn read_build_file(path: &Path, kind: FileKind) -> Result<Vec<u8>, Finding> {
    read_bounded(path, MAX_FILE_BYTES).map_err(|e| e.into_finding(&path.display().to_string(), kind.describe()))
}

fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.is_dir() {
        return Err(FileError::Directory);
    }
    if metadata.len() > limit {
        return Err(FileError::TooLarge { size: metadata.len(), limit });
    }
    let file = File::open(path).map_err(io_error)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

fn io_error(e: std::io::Error) -> FileError {
    match e.kind() {
        ErrorKind::NotFound => FileError::NotFound,
        ErrorKind::IsADirectory => FileError::Directory,
        _ => FileError::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Code;

    #[test]
    fn reads_a_file_and_refuses_what_is_not_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("AndroidManifest.xml");
        std::fs::write(&file, b"<manifest/>").unwrap();
        assert_eq!(read_build_file(&file, FileKind::AndroidManifest).unwrap(), b"<manifest/>");

        let err = read_build_file(dir.path(), FileKind::AndroidManifest).unwrap_err();
        assert_eq!(err.code, Code::NotAFile);
        assert_eq!(err.path, format!("{}:0", dir.path().display()));

        let missing = dir.path().join("nope.plist");
        assert_eq!(read_build_file(&missing, FileKind::InfoPlist).unwrap_err().code, Code::FileNotFound);
    }

    #[test]
    fn the_limit_is_checked_before_and_while_reading() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.xml");
        std::fs::write(&file, vec![b'x'; 101]).unwrap();
        assert_eq!(read_bounded(&file, 100), Err(FileError::TooLarge { size: 101, limit: 100 }));
        assert!(read_bounded(&file, 101).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_cut_off_at_the_limit() {
        // /dev/zero has length 0 in its metadata and never ends: only the bounded read stops it.
        let err = read_bounded(Path::new("/dev/zero"), 1024).unwrap_err();
        assert_eq!(err, FileError::TooLarge { size: 1025, limit: 1024 });
    }
}
