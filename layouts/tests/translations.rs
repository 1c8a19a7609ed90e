//! Every `@tr` text of the screens is translated in every bundled language, with the same
//! placeholders — no English shows through in another language.

use std::collections::BTreeMap;
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

fn po(lang: &str) -> BTreeMap<String, String> {
    let path = format!(
        "{}/translations/{lang}/LC_MESSAGES/layouts.po",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("po file");
    let mut map = BTreeMap::new();
    let mut id = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = literal(rest);
        } else if let Some(rest) = line.strip_prefix("msgstr \"")
            && let (Some(id), Some(s)) = (id.take(), literal(rest))
        {
            map.insert(id, s);
        }
    }
    map
}

#[test]
fn every_text_is_translated_with_its_placeholders() {
    let mut all = vec![];
    messages(&Path::new(env!("CARGO_MANIFEST_DIR")).join("ui"), &mut all);
    assert!(all.len() > 50, "found only {} texts", all.len());
    for lang in LANGUAGES {
        let map = po(lang);
        for m in &all {
            let t = map
                .get(m)
                .unwrap_or_else(|| panic!("{lang}: {m:?} untranslated"));
            assert!(!t.is_empty(), "{lang}: {m:?} empty");
            assert_eq!(
                t.matches("{}").count(),
                m.matches("{}").count(),
                "{lang}: placeholders of {m:?}"
            );
        }
    }
}
