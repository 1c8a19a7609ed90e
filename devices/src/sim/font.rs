//! Font A of the simulated printer: 12 × 24 dot cells rasterised to 1 bit from DejaVu Sans Mono,
//! the way a thermal head prints them.

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use std::collections::HashMap;
use std::path::Path;

/// Width of a Font A cell in dots.
pub const CELL_W: usize = 12;
/// Height of a Font A cell in dots.
pub const CELL_H: usize = 24;

/// Where Debian's `fonts-dejavu-core` puts the monospaced face.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

/// A bitmap of one cell, row-major, `true` = black.
pub type Cell = [bool; CELL_W * CELL_H];

/// Rasterised glyphs, cached per character. Without a font file every character prints as a
/// box, so the simulator still runs (and its text log is still exact).
pub struct Glyphs {
    font: Option<FontVec>,
    cache: HashMap<char, Cell>,
}

impl std::fmt::Debug for Glyphs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glyphs")
            .field("font", &self.font.is_some())
            .field("cached", &self.cache.len())
            .finish()
    }
}

impl Glyphs {
    /// Loads the font at `path`; logs and falls back to boxes when it cannot be read.
    pub fn load(path: &Path) -> Self {
        let font = std::fs::read(path)
            .ok()
            .and_then(|bytes| FontVec::try_from_vec(bytes).ok());
        if font.is_none() {
            tracing::warn!(
                path = %path.display(),
                "simulator font missing: install fonts-dejavu-core; text prints as boxes"
            );
        }
        Self {
            font,
            cache: HashMap::new(),
        }
    }

    /// The cell for `c`.
    pub fn cell(&mut self, c: char) -> &Cell {
        let font = &self.font;
        self.cache.entry(c).or_insert_with(|| match font {
            Some(f) => rasterise(f, c),
            None => tofu(c),
        })
    }
}

fn tofu(c: char) -> Cell {
    let mut cell = [false; CELL_W * CELL_H];
    if c == ' ' {
        return cell;
    }
    for y in 4..20 {
        for x in 2..10 {
            cell[y * CELL_W + x] = y == 4 || y == 19 || x == 2 || x == 9;
        }
    }
    cell
}

fn rasterise(font: &FontVec, c: char) -> Cell {
    let mut cell = [false; CELL_W * CELL_H];
    let id = font.glyph_id(c);
    let probe = font.as_scaled(PxScale::from(CELL_H as f32));
    let advance = probe.h_advance(font.glyph_id('M')).max(1.0);
    let scale = PxScale::from(CELL_H as f32 * CELL_W as f32 / advance);
    let scaled = font.as_scaled(scale);
    let text_h = scaled.ascent() - scaled.descent();
    let baseline = scaled.ascent() + (CELL_H as f32 - text_h) / 2.0;
    let glyph = id.with_scale_and_position(scale, point(0.0, baseline));
    if let Some(outline) = font.outline_glyph(glyph) {
        let bounds = outline.px_bounds();
        outline.draw(|x, y, coverage| {
            let px = bounds.min.x as i32 + x as i32;
            let py = bounds.min.y as i32 + y as i32;
            if coverage > 0.4
                && (0..CELL_W as i32).contains(&px)
                && (0..CELL_H as i32).contains(&py)
            {
                cell[py as usize * CELL_W + px as usize] = true;
            }
        });
    }
    cell
}
