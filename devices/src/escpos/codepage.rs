//! Code page PC858 (Latin-1 with €), selected with `ESC t 19`: transcoding text for the printer
//! and decoding it back in the simulator.

/// The `ESC t` number of PC858 on Epson TM printers.
pub const PC858_TABLE: u8 = 19;

/// Characters 0x80–0xFF of PC858 (from the code page definition; 0xD5 is €).
const HIGH: [char; 128] = [
    '\u{00c7}', '\u{00fc}', '\u{00e9}', '\u{00e2}', '\u{00e4}', '\u{00e0}', '\u{00e5}', '\u{00e7}',
    '\u{00ea}', '\u{00eb}', '\u{00e8}', '\u{00ef}', '\u{00ee}', '\u{00ec}', '\u{00c4}', '\u{00c5}',
    '\u{00c9}', '\u{00e6}', '\u{00c6}', '\u{00f4}', '\u{00f6}', '\u{00f2}', '\u{00fb}', '\u{00f9}',
    '\u{00ff}', '\u{00d6}', '\u{00dc}', '\u{00f8}', '\u{00a3}', '\u{00d8}', '\u{00d7}', '\u{0192}',
    '\u{00e1}', '\u{00ed}', '\u{00f3}', '\u{00fa}', '\u{00f1}', '\u{00d1}', '\u{00aa}', '\u{00ba}',
    '\u{00bf}', '\u{00ae}', '\u{00ac}', '\u{00bd}', '\u{00bc}', '\u{00a1}', '\u{00ab}', '\u{00bb}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00c1}', '\u{00c2}', '\u{00c0}',
    '\u{00a9}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255d}', '\u{00a2}', '\u{00a5}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252c}', '\u{251c}', '\u{2500}', '\u{253c}', '\u{00e3}', '\u{00c3}',
    '\u{255a}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256c}', '\u{00a4}',
    '\u{00f0}', '\u{00d0}', '\u{00ca}', '\u{00cb}', '\u{00c8}', '\u{20ac}', '\u{00cd}', '\u{00ce}',
    '\u{00cf}', '\u{2518}', '\u{250c}', '\u{2588}', '\u{2584}', '\u{00a6}', '\u{00cc}', '\u{2580}',
    '\u{00d3}', '\u{00df}', '\u{00d4}', '\u{00d2}', '\u{00f5}', '\u{00d5}', '\u{00b5}', '\u{00fe}',
    '\u{00de}', '\u{00da}', '\u{00db}', '\u{00d9}', '\u{00fd}', '\u{00dd}', '\u{00af}', '\u{00b4}',
    '\u{00ad}', '\u{00b1}', '\u{2017}', '\u{00be}', '\u{00b6}', '\u{00a7}', '\u{00f7}', '\u{00b8}',
    '\u{00b0}', '\u{00a8}', '\u{00b7}', '\u{00b9}', '\u{00b3}', '\u{00b2}', '\u{25a0}', '\u{00a0}',
];

/// The byte for `c` in PC858, if the code page has it. Control characters are never mapped.
pub fn encode_char(c: char) -> Option<u8> {
    if (' '..='~').contains(&c) {
        return u8::try_from(u32::from(c)).ok();
    }
    HIGH.iter()
        .position(|&h| h == c)
        .and_then(|i| u8::try_from(i + 0x80).ok())
}

/// The character that byte `b` prints in PC858; `None` for control bytes and DEL.
pub fn decode_byte(b: u8) -> Option<char> {
    match b {
        0x20..=0x7e => Some(char::from(b)),
        0x80..=0xff => Some(HIGH[usize::from(b - 0x80)]),
        _ => None,
    }
}

/// Typographic characters the code page lacks but whose meaning survives a plain stand-in.
fn stand_in(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => Some('\''),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => Some('"'),
        '\u{2009}' | '\u{202f}' | '\u{2007}' => Some(' '),
        _ => None,
    }
}

/// The byte printed instead of a character the code page cannot show, so the gap stays visible.
pub const REPLACEMENT: u8 = b'?';

/// Text transcoded to PC858.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoded {
    /// The bytes to send.
    pub bytes: Vec<u8>,
    /// Characters that could not be printed and became `?`, in order of appearance.
    pub replaced: Vec<char>,
}

/// Transcodes `text` to PC858: exact where the code page has the character, a plain stand-in
/// for dashes, quotes and thin spaces, and a visible `?` (recorded in `replaced`) otherwise.
/// Control characters are replaced too, so text can never smuggle in a printer command.
pub fn encode(text: &str) -> Encoded {
    let mut out = Encoded::default();
    for c in text.chars() {
        match encode_char(c).or_else(|| stand_in(c).and_then(encode_char)) {
            Some(b) => out.bytes.push(b),
            None => {
                out.bytes.push(REPLACEMENT);
                out.replaced.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_letters_and_euro_have_their_pc858_bytes() {
        let e = encode("äöüÄÖÜß€");
        assert_eq!(e.bytes, [0x84, 0x94, 0x81, 0x8e, 0x99, 0x9a, 0xe1, 0xd5]);
        assert!(e.replaced.is_empty());
    }

    #[test]
    fn unmappable_characters_become_visible_question_marks() {
        let e = encode("Straße – Київ\u{1b}@");
        assert_eq!(e.bytes, b"Stra\xe1e - ?????@");
        assert_eq!(e.replaced, vec!['К', 'и', 'ї', 'в', '\u{1b}']);
    }

    #[test]
    fn every_high_byte_round_trips() {
        for b in 0x80..=0xffu8 {
            let c = decode_byte(b).expect("high bytes print");
            assert_eq!(encode_char(c), Some(b), "byte {b:#x}");
        }
    }
}
