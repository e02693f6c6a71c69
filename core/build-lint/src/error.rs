//! Why a build file could not be read or parsed. Internal and typed; each variant knows its
//! [`Code`] and line, and becomes one [`Finding`] naming the file (as the caller gave it).
//! A file that fails here is skipped, and its platform is not judged for the
//! declared-but-absent warnings (nothing can be said to be absent from an unread file).

use crate::finding::{Code, Finding};

/// A build file that cannot be linted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum FileError {
    #[error("no such file")]
    NotFound,

    #[error("is a directory, not a file")]
    Directory,

    #[error("is {size} bytes, more than the {limit}-byte limit for a build file")]
    TooLarge { size: u64, limit: u64 },

    #[error("cannot be read: {0}")]
    Unreadable(String),

    #[error("is not UTF-8 text (first invalid byte on this line); save it as UTF-8")]
    NotUtf8 { line: u32 },

    #[error("is UTF-16 text; convert it to UTF-8 (for a plist: `plutil -convert xml1`)")]
    Utf16,

    #[error(
        "is binary Android XML, as packed in an APK; pass the merged manifest from the build \
         (app/build/intermediates/merged_manifest*/…/AndroidManifest.xml), or decode this one \
         with `apktool d` or `aapt2 dump xmltree`"
    )]
    BinaryAndroidXml,

    #[error(
        "declares XML entities (<!ENTITY); build files never need them, and they can expand a \
         small file into gigabytes, so they are refused"
    )]
    EntityDeclaration { line: u32 },

    #[error("nests elements more than {limit} levels deep")]
    TooDeep { line: u32, limit: usize },

    #[error("is not well-formed XML: {message}")]
    Xml { line: u32, message: String },

    #[error("is not a valid property list: {message}")]
    Plist { line: u32, message: String },

    #[error("{message}")]
    WrongShape { line: u32, message: String },
}

impl FileError {
    fn code(&self) -> Code {
        match self {
            FileError::NotFound => Code::FileNotFound,
            FileError::Directory => Code::NotAFile,
            FileError::TooLarge { .. } => Code::FileTooLarge,
            FileError::Unreadable(_) => Code::UnreadableFile,
            FileError::NotUtf8 { .. }
            | FileError::Utf16
            | FileError::BinaryAndroidXml
            | FileError::EntityDeclaration { .. }
            | FileError::TooDeep { .. }
            | FileError::Xml { .. }
            | FileError::Plist { .. }
            | FileError::WrongShape { .. } => Code::MalformedFile,
        }
    }

    /// The 1-based line the problem is on, 0 when it is about the file as a whole.
    fn line(&self) -> u32 {
        match self {
            FileError::NotUtf8 { line }
            | FileError::EntityDeclaration { line }
            | FileError::TooDeep { line, .. }
            | FileError::Xml { line, .. }
            | FileError::Plist { line, .. }
            | FileError::WrongShape { line, .. } => *line,
            FileError::NotFound
            | FileError::Directory
            | FileError::TooLarge { .. }
            | FileError::Unreadable(_)
            | FileError::Utf16
            | FileError::BinaryAndroidXml => 0,
        }
    }

    /// The finding for `file` (the path as given), whose kind is `what` ("AndroidManifest.xml").
    pub(crate) fn into_finding(self, file: &str, what: &str) -> Finding {
        let message = format!("{what} {file} {self}");
        Finding::at(self.code(), file, self.line(), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_names_the_file_and_line() {
        let f =
            FileError::Xml { line: 12, message: "unexpected end".into() }.into_finding("app/Info.plist", "Info.plist");
        assert_eq!(f.path, "app/Info.plist:12");
        assert_eq!(f.code, Code::MalformedFile);
        assert!(f.message.contains("app/Info.plist") && f.message.contains("unexpected end"), "{}", f.message);
    }

    #[test]
    fn whole_file_problems_are_line_zero() {
        let f = FileError::Directory.into_finding("build", "AndroidManifest.xml");
        assert_eq!((f.path.as_str(), f.code), ("build:0", Code::NotAFile));
    }
}
