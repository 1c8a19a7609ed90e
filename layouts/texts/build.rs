//! Reads the kiosk's gettext catalogs (`../translations/<lang>/LC_MESSAGES/layouts.po`, the
//! ones the screens are built with) into a lookup table for the texts printed on paper and
//! shown on the phone page and the call display.

use std::fmt::Write as _;

const LANGUAGES: [&str; 5] = ["de", "fr", "tr", "ar", "uk"];

/// The string of a `"…"` literal (after its opening quote), unescaped.
fn literal(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => return None,
            },
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

fn catalog(lang: &str) -> Vec<(String, String)> {
    let path = format!("../translations/{lang}/LC_MESSAGES/layouts.po");
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut entries = Vec::new();
    let mut id = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = literal(rest);
        } else if let Some(rest) = line.strip_prefix("msgstr \"")
            && let (Some(id), Some(s)) = (id.take(), literal(rest))
            && !id.is_empty()
        {
            entries.push((id, s));
        }
    }
    entries.sort();
    entries
}

fn main() {
    let mut out = String::from("/// Catalogs by language: (English, translation), sorted.\n");
    out.push_str("static CATALOGS: &[(&str, &[(&str, &str)])] = &[\n");
    for lang in LANGUAGES {
        let _ = writeln!(out, "    ({lang:?}, &[");
        for (id, text) in catalog(lang) {
            let _ = writeln!(out, "        ({id:?}, {text:?}),");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogs.rs");
    std::fs::write(dest, out).expect("write the catalogs");
}
