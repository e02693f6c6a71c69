//! `gatekeeper disclose [--format md|html|json] [--lang TAG]` (contract §10.2): the
//! lists an app publishes — the personal information it collects (个人信息收集清单), the
//! permissions it asks for, and the third parties it shares with (第三方信息共享清单) —
//! from the manifest alone (`--policy`, else the embedded example). It opens no store.
//!
//! `--json` always prints the JSON document (exactly one JSON document on stdout, whatever
//! `--format` says); `--format json` prints the same without `--json`. The Markdown and
//! HTML name each `data` entry of the recommended vocabulary in the page's language.

use clap::{Args as ClapArgs, ValueEnum};
use gatekeeper::disclosure::{self, Disclosure};
use gatekeeper::manifest::is_language_tag;
use gatekeeper_build_lint::data_vocabulary;

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
            Format::Md => disclosure::to_markdown(&doc, &data_name(&doc)),
            Format::Html => disclosure::to_html(&doc, &data_name(&doc)),
            Format::Json => serde_json::to_string_pretty(&json).unwrap_or_default(),
        };
        Ok(Output::ok(json, text.trim_end().to_owned()))
    }
}

/// The vocabulary's name of a `data` term in the page's language (Chinese for `zh`).
fn data_name(doc: &Disclosure) -> impl Fn(&str) -> Option<String> {
    let chinese = doc.lang.as_deref().and_then(|l| l.split('-').next()).is_some_and(|p| p.eq_ignore_ascii_case("zh"));
    move |d| data_vocabulary::term(d).map(|t| if chinese { t.zh } else { t.en }.to_owned())
}
