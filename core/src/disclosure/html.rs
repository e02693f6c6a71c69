//! The disclosure lists as one self-contained HTML page (`gatekeeper disclose --format
//! html`), for the app's settings screen (a WebView) and its website: no script, no
//! stylesheet, font or image from elsewhere (a Content-Security-Policy says so to the
//! browser too), every text escaped, `lang` set, and laid out for a phone (one column of
//! cards, no tables, long names wrapped).

use std::fmt::Write as _;

use super::page::{Page, Separators, Value};
use super::Disclosure;

/// The page's style: system fonts (with the CJK fonts phones have), one column.
const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--card:#f5f5f7;--line:#d2d2d7;--accent:#0a66c2}\
@media (prefers-color-scheme:dark){:root{--fg:#f5f5f7;--muted:#a1a1a6;--bg:#000;--card:#1c1c1e;--line:#3a3a3c;--accent:#4da3ff}}\
*{box-sizing:border-box}\
body{margin:0;padding:16px;background:var(--bg);color:var(--fg);font:16px/1.55 -apple-system,system-ui,\"PingFang SC\",\"Hiragino Sans GB\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;-webkit-text-size-adjust:100%;overflow-wrap:anywhere}\
main{max-width:720px;margin:0 auto}\
h1{font-size:1.45em;line-height:1.3;margin:.2em 0 .6em}\
h2{font-size:1.2em;margin:1.6em 0 .6em;padding-bottom:.3em;border-bottom:2px solid var(--line)}\
h3{font-size:1.05em;margin:0 0 .5em}\
section.item{background:var(--card);border-radius:12px;padding:12px 14px;margin:0 0 12px}\
dl{margin:0}dt{color:var(--muted);font-size:.85em;margin-top:.45em}dd{margin:0}\
.about dt{display:inline}.about dd{display:inline;margin-left:.3em}.about div{margin:.15em 0}\
.badge{display:inline-block;font-size:.75em;font-weight:600;color:#fff;background:#c5221f;border-radius:6px;padding:.05em .45em;margin-left:.4em;vertical-align:.1em}\
code{font:.85em/1.4 ui-monospace,Menlo,monospace;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:0 .25em;display:inline-block;margin:1px 0}\
a{color:var(--accent)}";

/// The lists as one HTML page.
pub fn to_html(doc: &Disclosure) -> String {
    let page = Page::new(doc);
    let sep = page.separator();
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n<dl class=\"about\">\n",
        escape(&page.lang),
        escape(&page.heading),
        escape(&page.heading),
    );
    for f in &page.about {
        let _ = writeln!(out, "<div><dt>{}</dt><dd>{}</dd></div>", escape(f.label), value(&f.value, sep));
    }
    out.push_str("</dl>\n");
    for section in &page.sections {
        let _ = writeln!(out, "<h2 id=\"{}\">{}</h2>", section.id, escape(section.heading));
        for item in &section.items {
            let badge = item.badge.map(|b| format!("<span class=\"badge\">{}</span>", escape(b))).unwrap_or_default();
            let _ = writeln!(out, "<section class=\"item\">\n<h3>{}{badge}</h3>\n<dl>", escape(&item.title));
            for f in &item.fields {
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(f.label), value(&f.value, sep));
            }
            out.push_str("</dl>\n</section>\n");
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn value(v: &Value, sep: Separators) -> String {
    match v {
        Value::Text(t) => escape(t),
        Value::List(items) => items.iter().map(|i| escape(i)).collect::<Vec<_>>().join(sep.items),
        Value::Titles(items) => items.iter().map(|i| escape(i)).collect::<Vec<_>>().join(sep.titles),
        Value::Codes(items) => {
            items.iter().map(|i| format!("<code>{}</code>", escape(i))).collect::<Vec<_>>().join(" ")
        }
        // An http(s) URL (the manifest checks the scheme), so never `javascript:`.
        Value::Link(url) => {
            let url = escape(url);
            format!("<a href=\"{url}\" rel=\"noreferrer noopener\">{url}</a>")
        }
    }
}

/// Text for an element or a quoted attribute: `& < > " '` as character references.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
