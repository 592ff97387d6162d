//! Lays a template's blocks out on pages: wraps text to the page, breaks pages where a block
//! does not fit, repeats a table's header on every page it runs over, draws the letterhead, the
//! running header and the page footer. Knows the template and the document's values, never the
//! database.

use serde_json::{Value, json};

use super::fonts::{FontId, Fonts};
use super::pdf::{Canvas, MM, Op, Page, Picture};
use super::qr;
use super::template::{Align, Block, Column, Scope, Signature, Template};

/// The letterhead's text and logo, from the settings.
pub struct Kop<'a> {
    pub government: &'a str,
    pub office: &'a str,
    pub address: &'a str,
    /// Index of the logo in the canvas's images.
    pub logo: Option<usize>,
}

const LINE: f32 = 1.25;

pub struct Layout<'a> {
    fonts: &'a Fonts,
    template: &'a Template,
    kop: Kop<'a>,
    pub canvas: Canvas,
    width: f32,
    height: f32,
    margin: f32,
    y: f32,
    /// The first page of the current repetition (the letterhead goes there).
    first_of_run: bool,
    /// Where each repetition starts (pages before it are not given its running header).
    runs: Vec<usize>,
}

impl<'a> Layout<'a> {
    pub fn new(
        fonts: &'a Fonts,
        template: &'a Template,
        kop: Kop<'a>,
        images: Vec<Picture>,
    ) -> Result<Layout<'a>, String> {
        let (short, long) = match template.page.size.to_ascii_uppercase().as_str() {
            "A4" => (210.0, 297.0),
            "A5" => (148.0, 210.0),
            other => return Err(format!("unknown paper size '{other}' (A4 or A5)")),
        };
        let (width, height) = if template.page.landscape {
            (long * MM, short * MM)
        } else {
            (short * MM, long * MM)
        };
        Ok(Layout {
            fonts,
            template,
            kop,
            canvas: Canvas {
                pages: Vec::new(),
                images,
            },
            width,
            height,
            margin: template.page.margin_mm * MM,
            y: 0.0,
            first_of_run: true,
            runs: Vec::new(),
        })
    }

    fn size(&self, size: Option<f32>) -> f32 {
        size.unwrap_or(self.template.page.font_size)
    }

    fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    /// The lowest y content may reach (the footer sits below it).
    fn bottom(&self) -> f32 {
        self.height - self.margin
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.canvas.pages.is_empty() {
            self.new_page();
        }
        let last = self.canvas.pages.len() - 1;
        &mut self.canvas.pages[last].ops
    }

    fn new_page(&mut self) {
        self.canvas.pages.push(Page {
            width: self.width,
            height: self.height,
            ops: Vec::new(),
        });
        self.y = self.margin;
        let every = self.template.letterhead.on.eq_ignore_ascii_case("every");
        let first = self.template.letterhead.on.eq_ignore_ascii_case("first");
        if every || (first && self.first_of_run) {
            self.letterhead();
        } else if !self.first_of_run && !self.template.page.running_header.is_empty() {
            // Filled in `finish`, when the values of the run are known: leave its room.
            self.y += self.template.page.font_size * LINE * 1.6;
        }
        self.first_of_run = false;
    }

    /// Starts a new page when `needed` points do not fit below the cursor.
    fn room(&mut self, needed: f32) {
        if self.canvas.pages.is_empty() || self.y + needed > self.bottom() {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, font: FontId, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops().push(Op::Text {
            x,
            y: baseline,
            size,
            font,
            text: text.to_string(),
        });
    }

    /// One line of text at the cursor, aligned in [x, x + w].
    fn line_at(&mut self, x: f32, w: f32, size: f32, font: FontId, text: &str, align: Align) {
        let width = self.fonts.width(font, size, text);
        let left = match align {
            Align::Left => x,
            Align::Center => x + (w - width) / 2.0,
            Align::Right => x + w - width,
        };
        let baseline = self.y + size * self.fonts.ascent(font);
        self.text(left, baseline, size, font, text);
    }

    /// Breaks text into lines no wider than `w`; `\n` always breaks. A word longer than the
    /// line is cut by characters.
    pub fn wrap(&self, text: &str, font: FontId, size: f32, w: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.fonts.width(font, size, &candidate) <= w {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.fonts.width(font, size, &line) > w && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    fn paragraph(&mut self, text: &str, size: f32, font: FontId, align: Align) {
        let (x, w) = (self.margin, self.content_width());
        for line in self.wrap(text, font, size, w) {
            self.room(size * LINE);
            self.line_at(x, w, size, font, &line, align);
            self.y += size * LINE;
        }
    }

    fn letterhead(&mut self) {
        let spec = self.template.letterhead.clone();
        let top = self.y;
        let logo = spec.logo_mm * MM;
        let (x, w) = (self.margin, self.content_width());
        if let Some(image) = self.kop.logo {
            let (pw, ph) = self.canvas.images[image].size();
            let scale = logo / (pw.max(ph).max(1) as f32);
            let (iw, ih) = (pw as f32 * scale, ph as f32 * scale);
            self.ops().push(Op::Image {
                x,
                y: top,
                w: iw,
                h: ih,
                image,
            });
        }
        // The text is centred on the page, clear of the logo.
        let text_x = if self.kop.logo.is_some() { x + logo } else { x };
        let text_w = w - 2.0 * (text_x - x);
        let lines = [
            (self.kop.government, spec.government_size, FontId::Bold),
            (self.kop.office, spec.office_size, FontId::Bold),
            (self.kop.address, spec.address_size, FontId::Regular),
        ];
        for (text, size, font) in lines {
            for line in self.wrap(text, font, size, text_w) {
                if line.is_empty() {
                    continue;
                }
                self.line_at(text_x, text_w, size, font, &line, Align::Center);
                self.y += size * LINE;
            }
        }
        let below = (top + if self.kop.logo.is_some() { logo } else { 0.0 }).max(self.y) + 2.0;
        self.ops().push(Op::Line {
            from: (x, below),
            to: (x + w, below),
            width: 1.6,
        });
        self.ops().push(Op::Line {
            from: (x, below + 2.2),
            to: (x + w, below + 2.2),
            width: 0.5,
        });
        self.y = below + 10.0;
    }

    /// Lays out the whole template for `data`.
    pub fn run(&mut self, data: &Value) -> Result<(), String> {
        let template = self.template;
        let mut scope = Scope {
            data,
            bound: Vec::new(),
        };
        if template.repeat.is_none() {
            self.start_run();
            return self.blocks(&template.blocks, &mut scope);
        }
        let items = self.run_items(data)?;
        for item in items {
            scope.bound.push(("item", item));
            self.start_run();
            self.blocks(&template.blocks, &mut scope)?;
            scope.bound.pop();
        }
        Ok(())
    }

    fn start_run(&mut self) {
        self.first_of_run = true;
        self.runs.push(self.canvas.pages.len());
        self.new_page();
    }

    fn blocks(&mut self, blocks: &[Block], scope: &mut Scope) -> Result<(), String> {
        for block in blocks {
            self.block(block, scope)?;
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, scope: &mut Scope) -> Result<(), String> {
        match block {
            Block::Title { text, size, align } => {
                let size = size.unwrap_or(self.template.page.font_size + 3.0);
                self.room(size * LINE * 2.0);
                self.paragraph(&scope.fill(text)?, size, FontId::Bold, *align);
                self.y += size * 0.4;
            }
            Block::Text {
                text,
                size,
                bold,
                align,
            } => {
                let font = if *bold { FontId::Bold } else { FontId::Regular };
                self.paragraph(&scope.fill(text)?, self.size(*size), font, *align);
            }
            Block::Fields {
                rows,
                label_mm,
                size,
            } => self.fields(rows, *label_mm * MM, self.size(*size), scope)?,
            Block::List { title, items, size } => {
                let size = self.size(*size);
                let title = scope.fill(title)?;
                if !title.is_empty() {
                    self.room(size * LINE * 2.0);
                    self.paragraph(&title, size, FontId::Bold, Align::Left);
                }
                for item in scope.list(items)? {
                    self.bullet(&super::template::plain(&item), size);
                }
            }
            Block::Table {
                rows,
                columns,
                footer,
                size,
                row_height_mm,
            } => {
                let size = self.size(*size);
                self.table(rows, columns, footer, size, *row_height_mm * MM, scope)?;
            }
            Block::Signatures {
                blocks,
                space_mm,
                size,
            } => self.signatures(blocks, *space_mm * MM, self.size(*size), scope)?,
            Block::Qr {
                value,
                size_mm,
                align,
                caption,
            } => self.qr(
                &scope.fill(value)?,
                *size_mm * MM,
                *align,
                &scope.fill(caption)?,
            )?,
            Block::Space { mm } => self.y += mm * MM,
            Block::Pagebreak => self.new_page(),
        }
        Ok(())
    }

    fn fields(
        &mut self,
        rows: &[(String, String)],
        label_w: f32,
        size: f32,
        scope: &Scope,
    ) -> Result<(), String> {
        let x = self.margin;
        let value_w = self.content_width() - label_w;
        for (label, value) in rows {
            let value = scope.fill(value)?;
            if value.trim().is_empty() {
                continue;
            }
            let label = scope.fill(label)?;
            let label_lines = self.wrap(&label, FontId::Regular, size, label_w - 8.0);
            let value_lines = self.wrap(&value, FontId::Bold, size, value_w);
            let lines = label_lines.len().max(value_lines.len());
            self.room(lines as f32 * size * LINE);
            let top = self.y;
            for (i, line) in label_lines.iter().enumerate() {
                self.y = top + i as f32 * size * LINE;
                self.line_at(x, label_w, size, FontId::Regular, line, Align::Left);
            }
            self.y = top;
            self.line_at(
                x + label_w - 6.0,
                6.0,
                size,
                FontId::Regular,
                ":",
                Align::Left,
            );
            for (i, line) in value_lines.iter().enumerate() {
                self.y = top + i as f32 * size * LINE;
                self.line_at(x + label_w, value_w, size, FontId::Bold, line, Align::Left);
            }
            self.y = top + lines as f32 * size * LINE;
        }
        Ok(())
    }

    fn bullet(&mut self, item: &str, size: f32) {
        let indent = size * 1.4;
        let (x, w) = (self.margin, self.content_width());
        for (i, line) in self
            .wrap(item, FontId::Regular, size, w - indent)
            .iter()
            .enumerate()
        {
            self.room(size * LINE);
            if i == 0 {
                self.line_at(
                    x + size * 0.3,
                    indent,
                    size,
                    FontId::Regular,
                    "•",
                    Align::Left,
                );
            }
            self.line_at(
                x + indent,
                w - indent,
                size,
                FontId::Regular,
                line,
                Align::Left,
            );
            self.y += size * LINE;
        }
    }

    fn qr(&mut self, value: &str, side: f32, align: Align, caption: &str) -> Result<(), String> {
        if value.is_empty() {
            return Ok(());
        }
        let modules = qr::modules(value)?;
        let caption_h = if caption.is_empty() { 0.0 } else { 14.0 };
        self.room(side + caption_h);
        let (x0, w) = (self.margin, self.content_width());
        let left = match align {
            Align::Left => x0,
            Align::Center => x0 + (w - side) / 2.0,
            Align::Right => x0 + w - side,
        };
        let n = modules.len().max(1) as f32;
        let cell = side / n;
        let top = self.y;
        for (row, line) in modules.iter().enumerate() {
            for (col, dark) in line.iter().enumerate() {
                if *dark {
                    self.ops().push(Op::Rect {
                        x: left + col as f32 * cell,
                        y: top + row as f32 * cell,
                        w: cell + 0.05,
                        h: cell + 0.05,
                        fill: true,
                    });
                }
            }
        }
        self.y = top + side + 2.0;
        if !caption.is_empty() {
            let size = self.template.page.font_size;
            self.line_at(
                left - 20.0,
                side + 40.0,
                size,
                FontId::Bold,
                caption,
                Align::Center,
            );
            self.y += size * LINE;
        }
        Ok(())
    }

    fn signatures(
        &mut self,
        blocks: &[Signature],
        space: f32,
        size: f32,
        scope: &Scope,
    ) -> Result<(), String> {
        if blocks.is_empty() {
            return Ok(());
        }
        struct Filled {
            above: Vec<String>,
            name: String,
            below: Vec<String>,
        }
        let filled: Vec<Filled> = blocks
            .iter()
            .map(|b| {
                Ok(Filled {
                    above: b
                        .above
                        .iter()
                        .map(|l| scope.fill(l))
                        .collect::<Result<_, String>>()?,
                    name: scope.fill(&b.name)?,
                    below: b
                        .below
                        .iter()
                        .map(|l| scope.fill(l))
                        .collect::<Result<_, String>>()?,
                })
            })
            .collect::<Result<_, String>>()?;
        let lines = filled
            .iter()
            .map(|f| f.above.len() + 1 + f.below.len())
            .max()
            .unwrap_or(1);
        self.room(lines as f32 * size * LINE + space + size);
        // One block sits on the right half (a letter's signature); several share the width.
        let slots = if filled.len() == 1 { 2 } else { filled.len() };
        let slot_w = self.content_width() / slots as f32;
        let top = self.y + size * 0.5;
        for (i, block) in filled.iter().enumerate() {
            let slot = if filled.len() == 1 { 1 } else { i };
            let x = self.margin + slot as f32 * slot_w;
            self.y = top;
            for line in &block.above {
                self.line_at(x, slot_w, size, FontId::Regular, line, Align::Center);
                self.y += size * LINE;
            }
            self.y += space;
            let name = if block.name.trim().is_empty() {
                "(................................)".to_string()
            } else {
                block.name.clone()
            };
            self.line_at(x, slot_w, size, FontId::Bold, &name, Align::Center);
            let name_w = self.fonts.width(FontId::Bold, size, &name);
            let underline = self.y + size * 1.05;
            let from = x + (slot_w - name_w) / 2.0;
            self.ops().push(Op::Line {
                from: (from, underline),
                to: (from + name_w, underline),
                width: 0.5,
            });
            self.y += size * LINE;
            for line in &block.below {
                self.line_at(x, slot_w, size, FontId::Regular, line, Align::Center);
                self.y += size * LINE;
            }
        }
        self.y = top + lines as f32 * size * LINE + space + size * 0.5;
        Ok(())
    }

    /// The columns of a table, those with `over` expanded to one per element, each with the
    /// binding its cells are filled with.
    fn expand(columns: &[Column], scope: &Scope) -> Result<Vec<(Column, Option<Value>)>, String> {
        let mut out = Vec::new();
        for column in columns {
            match &column.over {
                Some(path) => {
                    for element in scope.list(path)? {
                        out.push((column.clone(), Some(element)));
                    }
                }
                None => out.push((column.clone(), None)),
            }
        }
        Ok(out)
    }

    fn table(
        &mut self,
        rows_path: &str,
        columns: &[Column],
        footer: &[String],
        size: f32,
        min_row: f32,
        scope: &mut Scope,
    ) -> Result<(), String> {
        let columns = Self::expand(columns, scope)?;
        let fixed: f32 = columns.iter().filter_map(|(c, _)| c.width_mm).sum::<f32>() * MM;
        let flexible = columns.iter().filter(|(c, _)| c.width_mm.is_none()).count();
        let share = if flexible > 0 {
            ((self.content_width() - fixed) / flexible as f32).max(10.0)
        } else {
            0.0
        };
        let widths: Vec<f32> = columns
            .iter()
            .map(|(c, _)| c.width_mm.map_or(share, |w| w * MM))
            .collect();
        let mut header = Vec::new();
        for (column, element) in &columns {
            if let Some(element) = element {
                scope.bound.push(("col", element.clone()));
            }
            let text = scope.fill(&column.header);
            if element.is_some() {
                scope.bound.pop();
            }
            header.push(text?);
        }
        let pad = 2.0;
        let rows = scope.list(rows_path)?;
        let cells_of = |scope: &mut Scope, i: usize, row: &Value| -> Result<Vec<String>, String> {
            let mut bound = row.clone();
            if let Value::Object(map) = &mut bound {
                map.insert("no".into(), json!(i + 1));
            }
            scope.bound.push(("row", bound));
            let mut cells = Vec::with_capacity(columns.len());
            for (column, element) in &columns {
                if let Some(element) = element {
                    scope.bound.push(("col", element.clone()));
                }
                let text = scope.fill(&column.value);
                if element.is_some() {
                    scope.bound.pop();
                }
                cells.push(text?);
            }
            scope.bound.pop();
            Ok(cells)
        };
        let header_h = self.row_height(&header, &widths, size, FontId::Bold, 0.0, pad);
        let first_row_h = match rows.first() {
            Some(row) => {
                let cells = cells_of(scope, 0, row)?;
                self.row_height(&cells, &widths, size, FontId::Regular, min_row, pad)
            }
            None => 0.0,
        };
        self.room(header_h + first_row_h);
        self.row(
            &header,
            &widths,
            &columns,
            size,
            FontId::Bold,
            header_h,
            pad,
            true,
        );
        for (i, row) in rows.iter().enumerate() {
            let cells = cells_of(scope, i, row)?;
            let h = self.row_height(&cells, &widths, size, FontId::Regular, min_row, pad);
            if self.y + h > self.bottom() {
                self.new_page();
                self.row(
                    &header,
                    &widths,
                    &columns,
                    size,
                    FontId::Bold,
                    header_h,
                    pad,
                    true,
                );
            }
            self.row(
                &cells,
                &widths,
                &columns,
                size,
                FontId::Regular,
                h,
                pad,
                false,
            );
        }
        if !footer.is_empty() {
            let mut cells = footer
                .iter()
                .map(|c| scope.fill(c))
                .collect::<Result<Vec<_>, String>>()?;
            cells.resize(columns.len(), String::new());
            let h = self.row_height(&cells, &widths, size, FontId::Bold, 0.0, pad);
            self.room(h);
            self.row(&cells, &widths, &columns, size, FontId::Bold, h, pad, false);
        }
        self.y += size;
        Ok(())
    }

    fn row_height(
        &self,
        cells: &[String],
        widths: &[f32],
        size: f32,
        font: FontId,
        min: f32,
        pad: f32,
    ) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(text, w)| self.wrap(text, font, size, w - 2.0 * pad).len())
            .max()
            .unwrap_or(1);
        (lines as f32 * size * LINE + 2.0 * pad).max(min)
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        cells: &[String],
        widths: &[f32],
        columns: &[(Column, Option<Value>)],
        size: f32,
        font: FontId,
        h: f32,
        pad: f32,
        header: bool,
    ) {
        let top = self.y;
        let mut x = self.margin;
        for ((text, w), (column, _)) in cells.iter().zip(widths).zip(columns) {
            self.ops().push(Op::Rect {
                x,
                y: top,
                w: *w,
                h,
                fill: false,
            });
            let align = if header { Align::Center } else { column.align };
            for (i, line) in self
                .wrap(text, font, size, w - 2.0 * pad)
                .iter()
                .enumerate()
            {
                self.y = top + pad + i as f32 * size * LINE;
                self.line_at(x + pad, w - 2.0 * pad, size, font, line, align);
            }
            x += w;
        }
        self.y = top + h;
    }

    /// Running headers and page footers, once the number of pages is known.
    pub fn finish(mut self, data: &Value, run_items: &[Value]) -> Result<Canvas, String> {
        let pages = self.canvas.pages.len();
        let size = self.template.page.font_size;
        let runs = self.runs.clone();
        for page in 0..pages {
            let run = runs.iter().rposition(|start| *start <= page).unwrap_or(0);
            let mut scope = Scope {
                data,
                bound: Vec::new(),
            };
            if let Some(item) = run_items.get(run) {
                scope.bound.push(("item", item.clone()));
            }
            scope.bound.push(("page", json!(page + 1)));
            scope.bound.push(("pages", json!(pages)));
            let first_of_run = runs.contains(&page);
            let header = &self.template.page.running_header;
            let (x, w) = (self.margin, self.content_width());
            let mut extra = Vec::new();
            if !first_of_run && !header.is_empty() {
                let text = scope.fill(header)?;
                let baseline = self.margin + size * self.fonts.ascent(FontId::Bold);
                extra.push(Op::Text {
                    x,
                    y: baseline,
                    size,
                    font: FontId::Bold,
                    text,
                });
            }
            if !self.template.page.footer.is_empty() {
                let text = scope.fill(&self.template.page.footer)?;
                let width = self.fonts.width(FontId::Regular, size - 1.0, &text);
                extra.push(Op::Text {
                    x: x + w - width,
                    y: self.height - self.margin / 2.0,
                    size: size - 1.0,
                    font: FontId::Regular,
                    text,
                });
            }
            self.canvas.pages[page].ops.extend(extra);
        }
        Ok(self.canvas)
    }

    /// The values each repetition was laid out with (for `finish`).
    pub fn run_items(&self, data: &Value) -> Result<Vec<Value>, String> {
        let Some(repeat) = &self.template.repeat else {
            return Ok(Vec::new());
        };
        let scope = Scope {
            data,
            bound: Vec::new(),
        };
        let list = scope.list(&repeat.over)?;
        Ok(match repeat.chunk {
            Some(n) if n > 0 => {
                let count = list.len().div_ceil(n);
                list.chunks(n)
                    .enumerate()
                    .map(|(i, part)| json!({"list": part, "number": i + 1, "count": count}))
                    .collect()
            }
            _ => list,
        })
    }
}
