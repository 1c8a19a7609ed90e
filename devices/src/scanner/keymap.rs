//! Keyboard layouts for scanners in keyboard mode. A scanner "types" a code as key presses for
//! the layout it is set to; decoding those key codes with another layout is the classic trap
//! (a US-layout scanner on a German system swaps y and z and turns `://` into `Ö--`). We read
//! raw key codes, so the layout is our choice, not the desktop's.

/// Linux input key codes used by scanners.
pub mod key {
    /// Left shift.
    pub const LEFTSHIFT: u16 = 42;
    /// Right shift.
    pub const RIGHTSHIFT: u16 = 54;
    /// Right Alt (AltGr on German keyboards).
    pub const RIGHTALT: u16 = 100;
    /// Enter.
    pub const ENTER: u16 = 28;
    /// Keypad Enter.
    pub const KPENTER: u16 = 96;
    /// Tab.
    pub const TAB: u16 = 15;
}

/// A key press with the modifiers held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyStroke {
    /// Linux key code.
    pub code: u16,
    /// Shift held.
    pub shift: bool,
    /// AltGr held.
    pub altgr: bool,
}

impl KeyStroke {
    /// Whether this key ends a scan (Enter, keypad Enter, Tab).
    pub fn is_terminator(&self) -> bool {
        matches!(self.code, key::ENTER | key::KPENTER | key::TAB)
    }
}

/// A keyboard layout a scanner can be set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// US English.
    Us,
    /// German (QWERTZ).
    De,
}

/// (key code, unshifted, shifted) rows shared by both layouts.
const COMMON: &[(u16, char, char)] = &[
    (16, 'q', 'Q'),
    (17, 'w', 'W'),
    (18, 'e', 'E'),
    (19, 'r', 'R'),
    (20, 't', 'T'),
    (22, 'u', 'U'),
    (23, 'i', 'I'),
    (24, 'o', 'O'),
    (25, 'p', 'P'),
    (30, 'a', 'A'),
    (31, 's', 'S'),
    (32, 'd', 'D'),
    (33, 'f', 'F'),
    (34, 'g', 'G'),
    (35, 'h', 'H'),
    (36, 'j', 'J'),
    (37, 'k', 'K'),
    (38, 'l', 'L'),
    (45, 'x', 'X'),
    (46, 'c', 'C'),
    (47, 'v', 'V'),
    (48, 'b', 'B'),
    (49, 'n', 'N'),
    (50, 'm', 'M'),
    (57, ' ', ' '),
];

const US: &[(u16, char, char)] = &[
    (2, '1', '!'),
    (3, '2', '@'),
    (4, '3', '#'),
    (5, '4', '$'),
    (6, '5', '%'),
    (7, '6', '^'),
    (8, '7', '&'),
    (9, '8', '*'),
    (10, '9', '('),
    (11, '0', ')'),
    (12, '-', '_'),
    (13, '=', '+'),
    (21, 'y', 'Y'),
    (26, '[', '{'),
    (27, ']', '}'),
    (39, ';', ':'),
    (40, '\'', '"'),
    (41, '`', '~'),
    (43, '\\', '|'),
    (44, 'z', 'Z'),
    (51, ',', '<'),
    (52, '.', '>'),
    (53, '/', '?'),
];

const DE: &[(u16, char, char)] = &[
    (2, '1', '!'),
    (3, '2', '"'),
    (4, '3', '§'),
    (5, '4', '$'),
    (6, '5', '%'),
    (7, '6', '&'),
    (8, '7', '/'),
    (9, '8', '('),
    (10, '9', ')'),
    (11, '0', '='),
    (12, 'ß', '?'),
    (21, 'z', 'Z'),
    (26, 'ü', 'Ü'),
    (27, '+', '*'),
    (39, 'ö', 'Ö'),
    (40, 'ä', 'Ä'),
    (43, '#', '\''),
    (44, 'y', 'Y'),
    (51, ',', ';'),
    (52, '.', ':'),
    (53, '-', '_'),
    (86, '<', '>'),
];

const DE_ALTGR: &[(u16, char)] = &[
    (3, '²'),
    (4, '³'),
    (8, '{'),
    (9, '['),
    (10, ']'),
    (11, '}'),
    (12, '\\'),
    (16, '@'),
    (18, '€'),
    (27, '~'),
    (50, 'µ'),
    (86, '|'),
];

impl Layout {
    fn table(self) -> &'static [(u16, char, char)] {
        match self {
            Self::Us => US,
            Self::De => DE,
        }
    }

    /// The character a key stroke types, or `None` (unknown key, dead key, control).
    pub fn decode(self, k: KeyStroke) -> Option<char> {
        if k.altgr {
            return match self {
                Self::De => DE_ALTGR
                    .iter()
                    .find(|(c, _)| *c == k.code)
                    .map(|(_, ch)| *ch),
                Self::Us => None,
            };
        }
        COMMON
            .iter()
            .chain(self.table())
            .find(|(c, _, _)| *c == k.code)
            .map(|(_, lower, upper)| if k.shift { *upper } else { *lower })
    }

    /// The key stroke that types `ch`, as a scanner set to this layout sends it.
    pub fn encode(self, ch: char) -> Option<KeyStroke> {
        let plain = COMMON
            .iter()
            .chain(self.table())
            .find_map(|(code, lower, upper)| {
                if *lower == ch {
                    Some(KeyStroke {
                        code: *code,
                        shift: false,
                        altgr: false,
                    })
                } else if *upper == ch {
                    Some(KeyStroke {
                        code: *code,
                        shift: true,
                        altgr: false,
                    })
                } else {
                    None
                }
            });
        plain.or_else(|| match self {
            Self::De => DE_ALTGR
                .iter()
                .find(|(_, c)| *c == ch)
                .map(|(code, _)| KeyStroke {
                    code: *code,
                    shift: false,
                    altgr: true,
                }),
            Self::Us => None,
        })
    }

    /// Decodes a whole scan; `Err(n)` counts the strokes that type nothing.
    pub fn decode_all(self, strokes: &[KeyStroke]) -> Result<String, usize> {
        let mut out = String::with_capacity(strokes.len());
        let mut bad = 0;
        for k in strokes {
            match self.decode(*k) {
                Some(c) => out.push(c),
                None => bad += 1,
            }
        }
        if bad == 0 { Ok(out) } else { Err(bad) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(layout: Layout, text: &str) -> Vec<KeyStroke> {
        text.chars()
            .map(|c| layout.encode(c).expect("typeable"))
            .collect()
    }

    #[test]
    fn us_scanner_read_as_german_shows_the_layout_trap() {
        let keys = typed(Layout::Us, "https://xyz.example/q/Zy7");
        assert_eq!(
            Layout::Us.decode_all(&keys),
            Ok("https://xyz.example/q/Zy7".into())
        );
        assert_eq!(
            Layout::De.decode_all(&keys),
            Ok("httpsÖ--xzy.example-q-Yz7".into())
        );
    }

    #[test]
    fn every_character_round_trips_in_its_own_layout() {
        for layout in [Layout::Us, Layout::De] {
            for &(code, lower, upper) in COMMON.iter().chain(layout.table()) {
                for (ch, shift) in [(lower, false), (upper, true)] {
                    let k = layout.encode(ch).expect("encodable");
                    assert_eq!(
                        layout.decode(k),
                        Some(ch),
                        "{layout:?} {code} shift={shift}"
                    );
                }
            }
        }
        assert_eq!(
            Layout::De.decode(Layout::De.encode('€').expect("AltGr+E")),
            Some('€')
        );
    }
}
