//! Every text a visitor reads comes from one set of gettext catalogs
//! (`layouts/translations/<lang>/LC_MESSAGES/layouts.po`, English as the source): the
//! screens through Slint's bundled translations, and from this crate the texts printed on the
//! paper ticket, shown on the phone page and on the call display. `tests/complete.rs` checks
//! that every one of them is translated in every language.

include!(concat!(env!("OUT_DIR"), "/catalogs.rs"));

/// The visitor's languages, each named in itself on the screens; English is the source.
pub const LANGUAGES: [&str; 6] = ["de", "en", "fr", "tr", "ar", "uk"];

/// The catalog's text for `english` in `lang`, if it has one.
fn lookup(lang: &str, english: &str) -> Option<&'static str> {
    let (_, entries) = CATALOGS.iter().find(|(code, _)| *code == lang)?;
    let i = entries
        .binary_search_by(|(id, _)| (*id).cmp(english))
        .ok()?;
    Some(entries[i].1)
}

/// `english` in `lang` (a language code); English itself, or for a language or text the
/// catalogs lack.
pub fn translate<'a>(lang: &str, english: &'a str) -> &'a str {
    lookup(lang, english).unwrap_or(english)
}

/// Whether the catalog of `lang` has `english` (English has every text).
pub fn has(lang: &str, english: &str) -> bool {
    lang == "en" || lookup(lang, english).is_some()
}

/// The paper ticket's texts (the screens use the same ones).
pub mod paper {
    pub const YOUR_NUMBER: &str = "Your number";
    pub const WAIT_IN: &str = "Please wait in";
    pub const PEOPLE_AHEAD: &str = "People ahead of you";
    pub const ESTIMATED_WAIT: &str = "Estimated wait";
    pub const QR_HINT: &str = "Scan the QR code: your position live";
    pub const MINUTES: &str = "min";
    pub const APPOINTMENT: &str = "Appointment";
    pub const CONFIRMED_AT_COUNTER: &str = "Your appointment will be confirmed at the counter.";
    /// Every text of the paper ticket.
    pub const ALL: &[&str] = &[
        YOUR_NUMBER,
        WAIT_IN,
        PEOPLE_AHEAD,
        ESTIMATED_WAIT,
        QR_HINT,
        MINUTES,
        APPOINTMENT,
        CONFIRMED_AT_COUNTER,
    ];
}

/// The phone page's texts by the key its script uses.
pub const PHONE: &[(&str, &str)] = &[
    ("number", paper::YOUR_NUMBER),
    ("ahead", paper::PEOPLE_AHEAD),
    ("wait", paper::ESTIMATED_WAIT),
    ("area", paper::WAIT_IN),
    ("min", paper::MINUTES),
    ("appointment", paper::APPOINTMENT),
    ("called", "Please go now to"),
    ("serving", "You are being served at"),
    ("status", "As of"),
    (
        "gone",
        "This number is no longer valid (it is valid on the day it was issued only).",
    ),
    ("done", "Your visit is complete. Thank you!"),
    ("parked", "Please wait – you will be called again."),
    (
        "missed",
        "You were called but were not there. Please go to the information desk.",
    ),
    ("cancelled", "This number was cancelled."),
    ("lost", "Connection lost – reconnecting …"),
    ("live", "Updates live"),
];

/// The call display's texts by key; the display shows German and English side by side.
pub const DISPLAY: &[(&str, &str)] = &[
    ("now", "Now calling"),
    ("previous", "Previous calls"),
    ("lost", "Connection lost – reconnecting …"),
    ("sound", "Enable sound"),
];

/// The texts of `keys` in every language, as a JSON object `{lang: {key: text}}`.
pub fn json(keys: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, lang) in LANGUAGES.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("{lang:?}:{{"));
        for (j, (key, english)) in keys.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{}:{}",
                quote(key),
                quote(translate(lang, english))
            ));
        }
        out.push('}');
    }
    out.push('}');
    out
}

/// A JSON string literal.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_and_falls_back_to_english() {
        assert_eq!(translate("de", paper::YOUR_NUMBER), "Ihre Nummer");
        assert_eq!(translate("en", paper::YOUR_NUMBER), "Your number");
        assert_eq!(translate("xx", paper::YOUR_NUMBER), "Your number");
    }

    #[test]
    fn json_escapes() {
        assert_eq!(quote("a\"b<c"), "\"a\\\"b\\u003cc\"");
        assert!(json(PHONE).contains("\"de\":{\"number\":\"Ihre Nummer\""));
    }
}
