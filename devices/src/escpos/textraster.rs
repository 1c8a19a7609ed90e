//! Text the printer's code page cannot show (Cyrillic, Greek, Turkish ş ğ ı, …) printed as a
//! raster image, rendered from a TrueType font at the height of the printer's own Font A.
//! Right-to-left scripts (Arabic, Hebrew) need shaping and are not drawn: they stay visible `?`.

use crate::ticket::Raster;
use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use std::path::Path;
use thiserror::Error;

/// Debian's `fonts-dejavu-core` proportional face: Latin, Greek, Cyrillic.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
/// Line height in dots (Font A).
pub const LINE_DOTS: u16 = 24;

/// The font for raster text could not be loaded.
#[derive(Debug, Error)]
pub enum RasterFontError {
    /// The file cannot be read.
    #[error("cannot read the ticket font {path}: install fonts-dejavu-core")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is no usable font.
    #[error("{path} is not a TrueType font")]
    Parse {
        /// The file.
        path: String,
    },
}

/// Renders lines of text to 1-bit rasters.
pub struct TextRasterizer {
    font: FontVec,
}

impl std::fmt::Debug for TextRasterizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TextRasterizer")
    }
}

fn right_to_left(c: char) -> bool {
    matches!(u32::from(c), 0x0590..=0x08ff | 0xfb1d..=0xfdff | 0xfe70..=0xfeff)
}

impl TextRasterizer {
    /// Loads the font at `path`.
    pub fn load(path: &Path) -> Result<Self, RasterFontError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| RasterFontError::Read {
            path: name.clone(),
            source,
        })?;
        let font =
            FontVec::try_from_vec(bytes).map_err(|_| RasterFontError::Parse { path: name })?;
        Ok(Self { font })
    }

    fn scale(&self) -> PxScale {
        PxScale::from(f32::from(LINE_DOTS) * 0.9)
    }

    /// Whether every character can be drawn correctly (has a glyph, is not right-to-left).
    pub fn can_draw(&self, text: &str) -> bool {
        text.chars().all(|c| {
            c.is_whitespace()
                || (!right_to_left(c) && !c.is_control() && self.font.glyph_id(c).0 != 0)
        })
    }

    /// Width of `text` in dots.
    pub fn width(&self, text: &str) -> u16 {
        let f = self.font.as_scaled(self.scale());
        let w: f32 = text
            .chars()
            .map(|c| f.h_advance(self.font.glyph_id(c)))
            .sum();
        w.ceil().clamp(0.0, f32::from(u16::MAX)) as u16
    }

    /// Breaks `text` at spaces into lines at most `max_dots` wide.
    pub fn wrap(&self, text: &str, max_dots: u16) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate) <= max_dots || current.is_empty() {
                current = candidate;
            } else {
                lines.push(std::mem::replace(&mut current, word.to_string()));
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// One line as a raster `LINE_DOTS` high, at most `max_dots` wide (cut off beyond).
    pub fn line(&self, text: &str, bold: bool, max_dots: u16) -> Raster {
        let width = self.width(text).saturating_add(2).clamp(8, max_dots.max(8));
        let (w, h) = (usize::from(width), usize::from(LINE_DOTS));
        let mut dots = vec![false; w * h];
        let f = self.font.as_scaled(self.scale());
        let baseline = f.ascent() + (f32::from(LINE_DOTS) - (f.ascent() - f.descent())) / 2.0;
        let mut caret = 0.0f32;
        for c in text.chars() {
            let id = self.font.glyph_id(c);
            let glyph = id.with_scale_and_position(self.scale(), point(caret, baseline));
            caret += f.h_advance(id);
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            outline.draw(|x, y, coverage| {
                let px = b.min.x as i32 + x as i32;
                let py = b.min.y as i32 + y as i32;
                if coverage > 0.5 && (0..w as i32).contains(&px) && (0..h as i32).contains(&py) {
                    dots[py as usize * w + px as usize] = true;
                    if bold && (px as usize + 1) < w {
                        dots[py as usize * w + px as usize + 1] = true;
                    }
                }
            });
        }
        Raster::from_fn(width, LINE_DOTS, |x, y| {
            dots[usize::from(y) * w + usize::from(x)]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> TextRasterizer {
        TextRasterizer::load(Path::new(DEFAULT_FONT)).expect("fonts-dejavu-core installed")
    }

    #[test]
    fn cyrillic_and_turkish_are_drawn_and_arabic_is_refused() {
        let r = font();
        assert!(r.can_draw("Центр надання послуг Київ"));
        assert!(r.can_draw("Kayıt işlemleri, Öğrenci"));
        assert!(
            !r.can_draw("مكتب المواطنين"),
            "unshaped Arabic would be wrong"
        );
        let img = r.line("Київ", false, 576);
        assert_eq!(img.height(), LINE_DOTS);
        let black = (0..img.height())
            .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
            .filter(|&(x, y)| img.is_black(x, y))
            .count();
        assert!(black > 40, "ink on the line: {black} dots");
    }

    #[test]
    fn long_text_wraps_to_the_paper_width() {
        let r = font();
        let lines = r.wrap(
            "Отримання паспорта громадянина України для виїзду за кордон",
            384,
        );
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| r.width(l) <= 384));
    }
}
