//! Pages as lists of drawing operations, written out as one PDF: text in the embedded fonts
//! (subset to the glyphs used, with a ToUnicode map so the text can be searched and copied),
//! lines, boxes and images. Coordinates are points from the top-left corner of the page; the
//! layout (`layout.rs`) decides where things go, this file only writes them.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::fonts::{FontId, Fonts};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// One drawing operation.
#[derive(Debug, Clone)]
pub enum Op {
    /// A line of text whose baseline starts at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        font: FontId,
        text: String,
    },
    /// A stroked line.
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// A rectangle, filled black or stroked.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: bool,
    },
    /// An image of `images`, placed in the box.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: usize,
    },
}

/// A decoded image ready for the PDF: 8-bit RGB samples and an optional alpha channel, or a
/// JPEG file as it is.
#[derive(Debug, Clone)]
pub enum Picture {
    Rgb {
        width: u32,
        height: u32,
        rgb: Vec<u8>,
        alpha: Option<Vec<u8>>,
    },
    Jpeg {
        width: u32,
        height: u32,
        gray: bool,
        data: Vec<u8>,
    },
}

impl Picture {
    pub fn size(&self) -> (u32, u32) {
        match self {
            Picture::Rgb { width, height, .. } | Picture::Jpeg { width, height, .. } => {
                (*width, *height)
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

/// A document being drawn.
#[derive(Debug, Clone, Default)]
pub struct Canvas {
    pub pages: Vec<Page>,
    pub images: Vec<Picture>,
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Allocates object ids in order.
struct Ids(i32);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// The glyphs one font uses: old glyph id -> new id, and the first character seen for each.
struct Used {
    remapper: GlyphRemapper,
    chars: BTreeMap<u16, char>,
}

impl Canvas {
    /// Writes the PDF. `title` goes into the document information.
    pub fn write(&self, fonts: &Fonts, title: &str) -> Result<Vec<u8>, String> {
        let mut used: Vec<Used> = FontId::ALL
            .iter()
            .map(|_| Used {
                remapper: GlyphRemapper::new(),
                chars: BTreeMap::new(),
            })
            .collect();
        // Content streams first: they decide which glyphs each font needs.
        let contents: Vec<Vec<u8>> = self
            .pages
            .iter()
            .map(|page| page_content(page, fonts, &mut used))
            .collect();

        let mut pdf = Pdf::new();
        let mut ids = Ids(0);
        let catalog = ids.next();
        let tree = ids.next();
        let info = ids.next();
        let font_refs: Vec<Ref> = FontId::ALL.iter().map(|_| ids.next()).collect();
        let image_refs: Vec<Ref> = self.images.iter().map(|_| ids.next()).collect();
        let page_refs: Vec<(Ref, Ref)> = self
            .pages
            .iter()
            .map(|_| (ids.next(), ids.next()))
            .collect();

        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().map(|(page, _)| *page))
            .count(self.pages.len() as i32);
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("loket"));

        for ((page, (page_ref, content_ref)), content) in
            self.pages.iter().zip(&page_refs).zip(&contents)
        {
            let mut writer = pdf.page(*page_ref);
            writer
                .media_box(Rect::new(0.0, 0.0, page.width, page.height))
                .parent(tree)
                .contents(*content_ref);
            let mut resources = writer.resources();
            let mut font_dict = resources.fonts();
            for (font, id) in FontId::ALL.iter().zip(&font_refs) {
                font_dict.pair(font_name(*font), *id);
            }
            font_dict.finish();
            let mut xobjects = resources.x_objects();
            for (i, id) in image_refs.iter().enumerate() {
                xobjects.pair(Name(image_name(i).as_bytes()), *id);
            }
            xobjects.finish();
            resources.finish();
            writer.finish();
            let compressed = deflate(content);
            pdf.stream(*content_ref, &compressed)
                .filter(Filter::FlateDecode);
        }

        for (i, font) in FontId::ALL.iter().enumerate() {
            write_font(&mut pdf, &mut ids, fonts, *font, font_refs[i], &used[i])?;
        }
        for (picture, id) in self.images.iter().zip(&image_refs) {
            write_image(&mut pdf, &mut ids, picture, *id);
        }
        Ok(pdf.finish())
    }
}

fn font_name(font: FontId) -> Name<'static> {
    match font {
        FontId::Regular => Name(b"F0"),
        FontId::Bold => Name(b"F1"),
    }
}

fn image_name(i: usize) -> String {
    format!("Im{i}")
}

fn page_content(page: &Page, fonts: &Fonts, used: &mut [Used]) -> Vec<u8> {
    let mut content = Content::new();
    let flip = |y: f32| page.height - y;
    for op in &page.ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                font,
                text,
            } => {
                let slot = &mut used[font.index()];
                let mut encoded = Vec::with_capacity(text.len() * 2);
                for c in text.chars() {
                    let glyph = fonts.glyph(*font, c);
                    let cid = slot.remapper.remap(glyph);
                    slot.chars.entry(cid).or_insert(c);
                    encoded.extend_from_slice(&cid.to_be_bytes());
                }
                content
                    .begin_text()
                    .set_font(font_name(*font), *size)
                    .next_line(*x, flip(*y))
                    .show(Str(&encoded))
                    .end_text();
            }
            Op::Line { from, to, width } => {
                content
                    .set_line_width(*width)
                    .move_to(from.0, flip(from.1))
                    .line_to(to.0, flip(to.1))
                    .stroke();
            }
            Op::Rect { x, y, w, h, fill } => {
                content.rect(*x, flip(*y + *h), *w, *h);
                if *fill {
                    content.fill_nonzero();
                } else {
                    content.set_line_width(0.5).stroke();
                }
            }
            Op::Image { x, y, w, h, image } => {
                content
                    .save_state()
                    .transform([*w, 0.0, 0.0, *h, *x, flip(*y + *h)])
                    .x_object(Name(image_name(*image).as_bytes()))
                    .restore_state();
            }
        }
    }
    content.finish().to_vec()
}

fn write_font(
    pdf: &mut Pdf,
    ids: &mut Ids,
    fonts: &Fonts,
    font: FontId,
    type0: Ref,
    used: &Used,
) -> Result<(), String> {
    let cid_ref = ids.next();
    let descriptor_ref = ids.next();
    let cmap_ref = ids.next();
    let file_ref = ids.next();
    let face = fonts.face(font);
    let subset = subsetter::subset(font.data(), 0, &used.remapper)
        .map_err(|e| format!("font subset {}: {e}", font.postscript_name()))?;
    // A subset's name starts with six capital letters, different for a different subset.
    let tag: String = {
        let mut h: u32 = 2166136261;
        for (cid, c) in &used.chars {
            h = (h ^ (*cid as u32) ^ (*c as u32)).wrapping_mul(16777619);
        }
        (0..6)
            .map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char)
            .collect()
    };
    let base = format!("{tag}+{}", font.postscript_name());
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap_ref);
    let widths: Vec<f32> = used
        .remapper
        .remapped_gids()
        .map(|old| fonts.advance(font, old))
        .collect();
    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor_ref)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();
    let scale = |v: i16| v as f32 * 1000.0 / face.units_per_em() as f32;
    let bbox = face.global_bounding_box();
    let mut flags = FontFlags::NON_SYMBOLIC;
    if font == FontId::Bold {
        flags |= FontFlags::FORCE_BOLD;
    }
    pdf.font_descriptor(descriptor_ref)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(face.ascender()))
        .descent(scale(face.descender()))
        .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
        .stem_v(if font == FontId::Bold { 140.0 } else { 80.0 })
        .font_file2(file_ref);
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
    for (cid, c) in &used.chars {
        cmap.pair(*cid, *c);
    }
    let cmap = cmap.finish();
    pdf.cmap(cmap_ref, cmap.as_slice());
    let compressed = deflate(&subset);
    pdf.stream(file_ref, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);
    Ok(())
}

fn write_image(pdf: &mut Pdf, ids: &mut Ids, picture: &Picture, id: Ref) {
    match picture {
        Picture::Jpeg {
            width,
            height,
            gray,
            data,
        } => {
            let mut image = pdf.image_xobject(id, data);
            image
                .width(*width as i32)
                .height(*height as i32)
                .bits_per_component(8);
            image.filter(Filter::DctDecode);
            if *gray {
                image.color_space().device_gray();
            } else {
                image.color_space().device_rgb();
            }
        }
        Picture::Rgb {
            width,
            height,
            rgb,
            alpha,
        } => {
            let mask = alpha.as_ref().map(|a| (ids.next(), deflate(a)));
            let samples = deflate(rgb);
            let mut image = pdf.image_xobject(id, &samples);
            image
                .width(*width as i32)
                .height(*height as i32)
                .bits_per_component(8);
            image.filter(Filter::FlateDecode);
            image.color_space().device_rgb();
            if let Some((mask_ref, _)) = &mask {
                image.s_mask(*mask_ref);
            }
            image.finish();
            if let Some((mask_ref, data)) = &mask {
                let mut soft = pdf.image_xobject(*mask_ref, data);
                soft.width(*width as i32)
                    .height(*height as i32)
                    .bits_per_component(8);
                soft.filter(Filter::FlateDecode);
                soft.color_space().device_gray();
            }
        }
    }
}
