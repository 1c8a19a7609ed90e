//! Localised texts and the checks every piece of visitor- or staff-entered text goes through.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A text in several languages, keyed by language tag (`de`, `en`, `fr`, `tr`, `ar`, `uk`).
/// German is always present and is the fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Texts(pub BTreeMap<String, String>);

impl Texts {
    pub fn de(text: &str) -> Self {
        Self(BTreeMap::from([("de".to_owned(), text.to_owned())]))
    }

    pub fn with(mut self, lang: &str, text: &str) -> Self {
        self.0.insert(lang.to_owned(), text.to_owned());
        self
    }

    /// The text in `lang`, falling back to German.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("de"))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("contains control characters")]
    ControlCharacters,
    #[error("contains characters that are not allowed here")]
    NotAllowed,
}

/// Normalises to NFC, trims, and refuses empty, overlong or control-character text.
pub fn clean(input: &str, max_chars: usize) -> Result<String, TextError> {
    let text: String = input.trim().nfc().collect();
    plain(&text, max_chars)?;
    Ok(text)
}

/// Checks a machine-written text (a version, a device detail) as it is: 1 to `max_chars`
/// characters, no control or invisible characters. Unlike [`clean`] nothing is trimmed or
/// normalised, so the check is exactly what the API document says
/// (`terminal_api::heartbeat::PLAIN_PATTERN`).
pub fn plain(input: &str, max_chars: usize) -> Result<&str, TextError> {
    if input.is_empty() {
        return Err(TextError::Empty);
    }
    if input.chars().count() > max_chars {
        return Err(TextError::TooLong { max: max_chars });
    }
    if input
        .chars()
        .any(|c| c.is_control() || is_invisible_trick(c))
    {
        return Err(TextError::ControlCharacters);
    }
    Ok(input)
}

/// Like [`clean`], for codes: ASCII letters and digits only, upper-cased.
pub fn clean_code(input: &str, max_chars: usize) -> Result<String, TextError> {
    let text = clean(input, max_chars)?;
    if !text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(TextError::NotAllowed);
    }
    Ok(text.to_ascii_uppercase())
}

/// Bidirectional overrides and zero-width characters that can disguise text.
fn is_invisible_trick(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_to_nfc() {
        let decomposed = "Mu\u{0308}ller";
        assert_eq!(clean(decomposed, 50).unwrap(), "Müller");
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        assert_eq!(clean("a\u{0007}b", 50), Err(TextError::ControlCharacters));
        assert_eq!(clean("a\u{202E}b", 50), Err(TextError::ControlCharacters));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(clean("ääää", 4).is_ok());
        assert_eq!(clean("ääääa", 4), Err(TextError::TooLong { max: 4 }));
    }

    #[test]
    fn codes_are_ascii_and_upper_case() {
        assert_eq!(clean_code(" k7m2q ", 8).unwrap(), "K7M2Q");
        assert_eq!(clean_code("K7-M2", 8), Err(TextError::NotAllowed));
    }

    #[test]
    fn texts_fall_back_to_german() {
        let t = Texts::de("Personalausweis").with("en", "ID card");
        assert_eq!(t.get("en"), "ID card");
        assert_eq!(t.get("tr"), "Personalausweis");
    }
}
