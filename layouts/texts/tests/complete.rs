//! The one completeness test of every text a visitor reads: each `@tr` text of the screens
//! (`layouts/ui`), and each text of the paper ticket, the phone page and the call display, is
//! translated in every language of the catalogs, with the same placeholders — no English shows
//! through in another language.

use std::path::Path;

const LANGUAGES: [&str; 5] = ["de", "fr", "tr", "ar", "uk"];

fn unquote(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The first string literal at the start of `s` (after `"`), unescaped.
fn literal(s: &str) -> Option<String> {
    let mut end = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                end = Some(i);
                break;
            }
            _ => escaped = false,
        }
    }
    end.map(|e| unquote(&s[..e]))
}

fn messages(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("ui folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            messages(&path, out);
        } else if path.extension().is_some_and(|e| e == "slint") {
            let text = std::fs::read_to_string(&path).expect("slint file");
            for (i, _) in text.match_indices("@tr(") {
                let rest = text[i + 4..].trim_start();
                if let Some(m) = rest.strip_prefix('"').and_then(literal) {
                    out.push(m);
                }
            }
        }
    }
}

#[test]
fn every_text_a_visitor_reads_is_translated_with_its_placeholders() {
    let mut all = vec![];
    messages(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui"),
        &mut all,
    );
    assert!(all.len() > 50, "found only {} screen texts", all.len());
    all.extend(visitor_texts::paper::ALL.iter().map(|s| s.to_string()));
    all.extend(visitor_texts::PHONE.iter().map(|(_, s)| s.to_string()));
    all.extend(visitor_texts::DISPLAY.iter().map(|(_, s)| s.to_string()));
    for lang in LANGUAGES {
        for m in &all {
            assert!(visitor_texts::has(lang, m), "{lang}: {m:?} untranslated");
        }
    }
}

#[test]
fn translations_keep_their_placeholders_and_are_not_empty() {
    let mut all = vec![];
    messages(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui"),
        &mut all,
    );
    for lang in LANGUAGES {
        for m in &all {
            let t = visitor_texts::translate(lang, m);
            assert!(!t.is_empty(), "{lang}: {m:?} empty");
            assert_eq!(
                t.matches("{}").count(),
                m.matches("{}").count(),
                "{lang}: placeholders of {m:?}"
            );
        }
    }
}
