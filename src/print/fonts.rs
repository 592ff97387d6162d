//! The fonts every document is set in, embedded in the program so every office PC prints the
//! same: Liberation Sans 2.1.5, regular and bold (SIL Open Font License 1.1, its text in
//! `assets/fonts/LICENSE`). Metrics come from the font files; nothing here writes a PDF.

use ttf_parser::Face;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// A face of the document font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontId {
    Regular,
    Bold,
}

impl FontId {
    pub const ALL: [FontId; 2] = [FontId::Regular, FontId::Bold];

    pub fn data(self) -> &'static [u8] {
        match self {
            FontId::Regular => REGULAR,
            FontId::Bold => BOLD,
        }
    }

    /// The PostScript name (a subset tag is put before it in the PDF).
    pub fn postscript_name(self) -> &'static str {
        match self {
            FontId::Regular => "LiberationSans",
            FontId::Bold => "LiberationSans-Bold",
        }
    }

    pub fn index(self) -> usize {
        match self {
            FontId::Regular => 0,
            FontId::Bold => 1,
        }
    }
}

/// Both faces, parsed once per document.
pub struct Fonts {
    faces: [Face<'static>; 2],
}

impl Fonts {
    /// Parses the embedded fonts; they ship with the program, so this fails only on a broken
    /// build.
    pub fn load() -> Result<Fonts, String> {
        let parse = |id: FontId| {
            Face::parse(id.data(), 0).map_err(|e| format!("font {}: {e}", id.postscript_name()))
        };
        Ok(Fonts {
            faces: [parse(FontId::Regular)?, parse(FontId::Bold)?],
        })
    }

    pub fn face(&self, font: FontId) -> &Face<'static> {
        &self.faces[font.index()]
    }

    /// The glyph of a character (0, the missing glyph, when the font lacks it).
    pub fn glyph(&self, font: FontId, c: char) -> u16 {
        self.face(font).glyph_index(c).map_or(0, |g| g.0)
    }

    /// A glyph's advance in thousandths of the font size (PDF text space units).
    pub fn advance(&self, font: FontId, glyph: u16) -> f32 {
        let face = self.face(font);
        let units = face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        units as f32 * 1000.0 / face.units_per_em() as f32
    }

    /// The width of `text` set at `size` points.
    pub fn width(&self, font: FontId, size: f32, text: &str) -> f32 {
        let thousandths: f32 = text
            .chars()
            .map(|c| self.advance(font, self.glyph(font, c)))
            .sum();
        thousandths * size / 1000.0
    }

    /// Ascent of the face as a fraction of the font size (where the baseline sits below a
    /// line's top).
    pub fn ascent(&self, font: FontId) -> f32 {
        let face = self.face(font);
        face.ascender() as f32 / face.units_per_em() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_measure_indonesian_text() {
        let fonts = Fonts::load().expect("embedded fonts");
        for c in "AaZz09 éÉ–“”•·Rp".chars() {
            assert_ne!(fonts.glyph(FontId::Regular, c), 0, "{c}");
        }
        let regular = fonts.width(FontId::Regular, 10.0, "DAFTAR HADIR");
        let bold = fonts.width(FontId::Bold, 10.0, "DAFTAR HADIR");
        assert!(regular > 50.0 && regular < 90.0, "{regular}");
        assert!(bold > regular);
        assert_eq!(fonts.width(FontId::Regular, 10.0, ""), 0.0);
    }
}
