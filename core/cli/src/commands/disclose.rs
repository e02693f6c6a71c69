//! `gatekeeper disclose [--format md|html|json] [--lang TAG]` (contract §10.2): the
//! lists an app publishes — the personal information it collects (个人信息收集清单), the
//! permissions it asks for, and the third parties it shares with (第三方信息共享清单) —
//! from the manifest alone (`--policy`, else the embedded example). It opens no store.
//!
//! `--json` always prints the JSON document (exactly one JSON document on stdout, whatever
//! `--format` says); `--format json` prints the same without `--json`. The Markdown and
//! HTML name each `data` entry of the recommended vocabulary in the page's language
//! (`data_names`).

use clap::{Args as ClapArgs, ValueEnum};
use gatekeeper::disclosure;
use gatekeeper::manifest::is_language_tag;

use crate::failure::{Failure, Refused};
use crate::options::{Global, Session};
use crate::Output;

/// The arguments of `disclose`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper disclose [--format md|html|json] [--lang TAG]")]
pub struct Args {
    /// The output: Markdown, one self-contained HTML page, or the JSON document
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// The language of the manifest's texts and of the page (a BCP 47 tag such as zh-CN);
    /// a text without it falls back to en, then to any language it has [default: en]
    #[arg(long, value_name = "TAG", value_parser = language_tag)]
    pub lang: Option<String>,
}

/// What `disclose` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown
    Md,
    /// One self-contained HTML page
    Html,
    /// The JSON document
    Json,
}

/// `--lang`: a BCP 47 tag.
fn language_tag(s: &str) -> Result<String, Refused> {
    if is_language_tag(s) {
        Ok(s.to_owned())
    } else {
        Err(Refused::new("--lang must be a BCP 47 language tag such as en or zh-CN"))
    }
}

impl Args {
    /// Builds the lists and renders them.
    ///
    /// # Errors
    /// The policy file cannot be read or is not a valid manifest.
    pub(crate) fn run(self, global: &Global) -> Result<Output, Failure> {
        let session = Session::new(global)?;
        let doc = disclosure::disclose(&session.manifest, self.lang.as_deref());
        let json = serde_json::to_value(&doc).map_err(|e| Failure::io(format!("cannot write the disclosure: {e}")))?;
        let text = match self.format {
            Format::Md => disclosure::to_markdown(&doc),
            Format::Html => disclosure::to_html(&doc),
            Format::Json => serde_json::to_string_pretty(&json).unwrap_or_default(),
        };
        Ok(Output::ok(json, text.trim_end().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use gatekeeper::disclosure::{data_name, DATA_NAMES};
    use gatekeeper_build_lint::data_vocabulary::DATA_VOCABULARY;

    /// The library's names of the `data` terms are build lint's vocabulary, term for term.
    #[test]
    fn the_data_names_are_the_vocabularys() {
        let names: Vec<(&str, &str, &str)> = DATA_VOCABULARY.iter().map(|t| (t.id, t.en, t.zh)).collect();
        assert_eq!(DATA_NAMES, names.as_slice());
        assert_eq!(data_name("device_id", true), Some("设备标识符"));
        assert_eq!(data_name("device_id", false), Some("Device identifiers"));
        assert_eq!(data_name("Device Name", false), None);
    }
}
