//! The disclosure lists as Markdown (`gatekeeper disclose --format md`): the same content
//! as the HTML page, for a repository, a web page generator or a store listing. Every text
//! from the manifest is escaped, so a title cannot turn into a link, a heading or HTML.

use std::fmt::Write as _;

use super::page::{Page, Separators, Value};
use super::Disclosure;

/// The lists as Markdown.
pub fn to_markdown(doc: &Disclosure) -> String {
    let page = Page::new(doc);
    let sep = page.separator();
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&page.heading));
    for f in &page.about {
        let _ = writeln!(out, "- **{}**: {}", escape(f.label), value(&f.value, sep));
    }
    for section in &page.sections {
        let _ = writeln!(out, "\n## {}", escape(section.heading));
        for (n, item) in section.items.iter().enumerate() {
            let badge = item.badge.map(|b| format!(" ({})", escape(b))).unwrap_or_default();
            let _ = writeln!(out, "\n### {}. {}{badge}\n", n + 1, escape(&item.title));
            for f in &item.fields {
                let _ = writeln!(out, "- **{}**: {}", escape(f.label), value(&f.value, sep));
            }
        }
    }
    out
}

fn value(v: &Value, sep: Separators) -> String {
    match v {
        Value::Text(t) => escape(t),
        Value::List(items) => items.iter().map(|i| escape(i)).collect::<Vec<_>>().join(sep.items),
        Value::Titles(items) => items.iter().map(|i| escape(i)).collect::<Vec<_>>().join(sep.titles),
        Value::Codes(items) => items.iter().map(|i| code(i)).collect::<Vec<_>>().join(sep.items),
        // The manifest checked it is http(s) without spaces; `<`/`>` would end the autolink.
        Value::Link(url) => format!("<{}>", url.replace('<', "%3C").replace('>', "%3E")),
    }
}

/// Text with every character that Markdown (CommonMark, GFM) gives a meaning inside a
/// line backslash-escaped, and line breaks turned into spaces (so no text starts a line).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // Every text follows a label or a number on its line, so the characters that
            // matter only at a line's start (`#`, `-`, `+`, `1.`) need nothing.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '<' | '>' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span that holds `text` whatever backticks it contains.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", text.replace(['\n', '\r'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_texts_is_escaped() {
        assert_eq!(
            escape("[x](http://e.vil) *b* <i> a_b &amp; ~~s~~"),
            r"\[x\](http://e.vil) \*b\* \<i\> a\_b \&amp; \~\~s\~\~"
        );
        assert_eq!(escape("a\n# b"), "a # b");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
