//! Dasbor (supervisor): the year per kecamatan where the training is held, per kecamatan where
//! the participants live, or per course (Tab cycles), with BPJS coverage and progress against
//! the target as gauges and a totals row; enrollments per week as a bar chart with every week of
//! the year (zeros too); ←/→ change the year, Enter shows the row's cohorts on the board, F2
//! sets the row's target (typing replaces the old one; the selection stays on the row). Rows
//! come from `db::dashboard`; render never queries.

use chrono::{Datelike, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Paragraph, Row, Table};

use super::board::Board;
use super::prompt::{Ask, Prompt, PromptReply};
use crate::db::board::{BoardFilter, BoardRow, not_ready_soon};
use crate::db::dashboard::{DashboardRow, Grouping, rows, set_target, totals, weekly_enrollments};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, cohort_run, dashboard as dash, supervisor as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Drill,
    Target,
    Switch,
    PrevYear,
    NextYear,
    Back,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Drill, "Enter", text::DRILL),
    Binding::new(KeyCode::F(2), Action::Target, "F2", text::COL_TARGET),
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::SWITCH),
    Binding::new(KeyCode::Left, Action::PrevYear, "←/→", text::YEAR),
    Binding::new(KeyCode::Right, Action::NextYear, "→", text::YEAR).help_only(),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

pub struct Dashboard {
    year: i32,
    grouping: Grouping,
    rows: Vec<DashboardRow>,
    weeks: Vec<(NaiveDate, u32)>,
    list: ListNav,
    /// Planned cohorts starting soon that are not ready (`readiness.warn_days`).
    soon: Vec<BoardRow>,
}

impl Dashboard {
    pub fn new(ctx: &Ctx) -> Result<Dashboard, String> {
        let mut d = Dashboard {
            year: ctx.today.year(),
            grouping: Grouping::District,
            rows: Vec::new(),
            weeks: Vec::new(),
            list: ListNav::new(),
            soon: Vec::new(),
        };
        d.reload(ctx)?;
        Ok(d)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        let err = |e: crate::db::DbError| e.text(ctx.lang);
        self.rows = rows(&ctx.conn, self.grouping, self.year).map_err(err)?;
        self.weeks = weekly_enrollments(&ctx.conn, self.year).map_err(err)?;
        self.soon = not_ready_soon(&ctx.conn, ctx.today).map_err(err)?;
        self.list.reset(self.rows.len());
        Ok(())
    }

    /// Reloads and selects the row of `code` again (after a target is saved).
    fn reload_at(&mut self, ctx: &Ctx, code: &str) -> Nav {
        if let Err(e) = self.reload(ctx) {
            return Nav::Error(e);
        }
        if let Some(at) = self.rows.iter().position(|r| r.code == code) {
            self.list.select(at);
        }
        Nav::Stay
    }

    fn reloaded(&mut self, ctx: &Ctx) -> Nav {
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }

    fn selected(&self) -> Option<&DashboardRow> {
        self.list.selected().and_then(|i| self.rows.get(i))
    }

    /// The target typed for one row (F2).
    fn set_target(&mut self, reply: PromptReply, ctx: &Ctx) -> Nav {
        let Ask::Target {
            year,
            grouping,
            code,
        } = reply.ask
        else {
            return Nav::Stay;
        };
        let Ok(value) = reply.text.parse::<u32>() else {
            return Nav::Error(ctx.t(text::TARGET_NUMBER).to_string());
        };
        match set_target(&ctx.conn, &ctx.actor, year, grouping, &code, value) {
            Ok(()) => self.reload_at(ctx, &code),
            Err(e) => Nav::Error(e.text(ctx.lang)),
        }
    }
}

impl Screen for Dashboard {
    fn title(&self, lang: Lang) -> String {
        format!("{} {}", text::DASHBOARD_TITLE.get(lang), self.year)
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Prompt(reply) => self.set_target(reply, ctx),
            _ => Nav::Stay,
        }
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(Action::Target) => {
                let Some(row) = self.selected() else {
                    return Nav::Stay;
                };
                if !row.has_code() {
                    return Nav::Error(ctx.t(dash::NO_TARGET_HERE).to_string());
                }
                let ask = Ask::Target {
                    year: self.year,
                    grouping: self.grouping,
                    code: row.code.clone(),
                };
                return Nav::Push(Box::new(Prompt::replacing(
                    ask,
                    ctx.t(text::COL_TARGET).to_string(),
                    format!("{} {} {}", ctx.t(text::TARGET_PROMPT), row.name, self.year),
                    &row.target.map(|t| t.to_string()).unwrap_or_default(),
                )));
            }
            Some(Action::Drill) => {
                let Some(row) = self.selected().filter(|r| r.has_code()) else {
                    return Nav::Stay;
                };
                let year_start = NaiveDate::from_ymd_opt(self.year, 1, 1);
                let year_end = NaiveDate::from_ymd_opt(self.year, 12, 31);
                let mut filter = BoardFilter {
                    from: year_start,
                    to: year_end,
                    ..BoardFilter::default()
                };
                match self.grouping {
                    Grouping::District => filter.district_code = Some(row.code.clone()),
                    Grouping::Course => filter.course_code = Some(row.code.clone()),
                    Grouping::Residence | Grouping::Office => {
                        return Nav::Error(ctx.t(dash::NOT_DRILLABLE).to_string());
                    }
                }
                return match Board::with_filter(
                    ctx,
                    filter,
                    Some(format!("{} {}", row.name, self.year)),
                ) {
                    Ok(board) => Nav::Push(Box::new(board)),
                    Err(e) => Nav::Error(e),
                };
            }
            Some(Action::Switch) => {
                self.grouping = match self.grouping {
                    Grouping::District => Grouping::Residence,
                    Grouping::Residence => Grouping::Office,
                    Grouping::Office => Grouping::Course,
                    Grouping::Course => Grouping::District,
                };
                return self.reloaded(ctx);
            }
            Some(Action::PrevYear) => {
                self.year -= 1;
                return self.reloaded(ctx);
            }
            Some(Action::NextYear) => {
                self.year += 1;
                return self.reloaded(ctx);
            }
            Some(Action::Back) => return Nav::Pop,
            None if self.list.handle_key(&key) => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let chart_height = if area.height >= 30 { 12 } else { 7 };
        let [table_area, chart_area] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(chart_height)]).areas(area);
        let title = match self.grouping {
            Grouping::District => dash::BY_VENUE,
            Grouping::Residence => dash::BY_RESIDENCE,
            Grouping::Office => dash::BY_OFFICE,
            Grouping::Course => text::BY_COURSE,
        };
        let mut block = Block::bordered().title(format!(" {} {} ", ctx.t(title), self.year));
        if let Some(soon) =
            cohort_run::not_ready_soon(ctx.lang, &self.soon, table_area.width >= 120)
        {
            block = block.title_bottom(ratatui::text::Line::styled(soon, theme::warning()));
        }
        if self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(ctx.t(text::NO_DATA)).block(block),
                table_area,
            );
        } else {
            self.render_table(frame, table_area, block, ctx);
        }
        self.render_chart(frame, chart_area, ctx);
    }
}

/// A progress gauge in `width` columns: filled blocks for the share done (full past 100%), then
/// the percent; "-" when there is nothing to measure against.
fn gauge(percent: Option<u32>, width: u16) -> Line<'static> {
    let Some(p) = percent else {
        return Line::from("-");
    };
    let label = format!(" {p:>3}%");
    let bar = usize::from(width).saturating_sub(label.len()).max(1);
    let filled = (p.min(100) as usize * bar).div_ceil(100).min(bar);
    let style = if p >= 100 {
        theme::ok()
    } else {
        theme::warning()
    };
    Line::from(vec![
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(bar - filled), theme::muted()),
        Span::raw(label),
    ])
}

impl Dashboard {
    fn render_table(&mut self, frame: &mut Frame, area: Rect, block: Block, ctx: &Ctx) {
        let wide = area.width >= 120;
        let gauge_width: u16 = if wide { 24 } else { 11 };
        let first = match self.grouping {
            Grouping::District | Grouping::Residence => text::COL_DISTRICT,
            Grouping::Office => dash::COL_OFFICE,
            Grouping::Course => text::COL_COURSE,
        };
        let mut columns = vec![
            first,
            text::COL_COHORTS,
            text::COL_ENROLLED,
            text::COL_WAIT,
            text::COL_PASSED,
        ];
        if wide {
            columns.push(dash::COL_UNRECORDED);
        }
        columns.extend([dash::COL_COVERAGE, text::COL_TARGET, dash::COL_DONE]);
        let header = Row::new(columns.iter().map(|m| Cell::from(ctx.t(*m)))).style(theme::header());
        let cells = |r: &DashboardRow, name: String| {
            let mut cells = vec![
                Cell::from(name),
                Cell::from(r.cohorts.to_string()),
                Cell::from(r.enrolled.to_string()),
                Cell::from(r.waitlisted.to_string()),
                Cell::from(r.passed.to_string()),
            ];
            if wide {
                cells.push(Cell::from(r.unrecorded.to_string()));
            }
            cells.extend([
                Cell::from(gauge(r.coverage_percent(), gauge_width)),
                Cell::from(
                    r.target
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "-".into()),
                ),
                Cell::from(gauge(r.target_percent(), gauge_width)),
            ]);
            cells
        };
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|r| {
                let name = if r.has_code() {
                    r.name.clone()
                } else {
                    ctx.t(dash::UNKNOWN).to_string()
                };
                Row::new(cells(r, name))
            })
            .collect();
        let footer = Row::new(cells(&totals(&self.rows), ctx.t(dash::TOTAL).to_string()))
            .style(theme::header().bold());
        let mut widths = vec![
            Constraint::Min(12),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Length(5),
        ];
        if wide {
            widths.push(Constraint::Length(11));
        }
        widths.extend([
            Constraint::Length(gauge_width),
            Constraint::Length(6),
            Constraint::Length(gauge_width),
        ]);
        let table = Table::new(rows, widths)
            .header(header)
            .footer(footer)
            .block(block)
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, area);
        // Header above, totals below the rows.
        let rows_area = area.inner(ratatui::layout::Margin::new(0, 1));
        let rows_area = Rect {
            height: rows_area.height.saturating_sub(2),
            ..rows_area
        };
        self.list
            .set_page(usize::from(rows_area.height.saturating_sub(1)));
        self.list
            .place_cursor(frame, area.x + 1, area.y + 2, rows_area);
    }

    /// Every week of the year, one column each (two when there is room), zeros as empty
    /// columns; the months marked under the axis.
    fn render_chart(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let (Some(first), Some(last)) = (self.weeks.first(), self.weeks.last()) else {
            return;
        };
        let total: u32 = self.weeks.iter().map(|(_, n)| n).sum();
        let max = self.weeks.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let block = Block::bordered().title(format!(
            " {} ",
            dash::weekly_title(ctx.lang, first.0, last.0, total, max)
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [bars_area, axis_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let weeks = self.weeks.len() as u16;
        let (bar_width, gap) = if inner.width >= weeks * 3 {
            (2, 1)
        } else if inner.width >= weeks * 2 {
            (1, 1)
        } else {
            (1, 0)
        };
        let bars: Vec<Bar> = self
            .weeks
            .iter()
            .map(|(_, n)| {
                Bar::default()
                    .value(u64::from(*n))
                    .text_value(String::new())
            })
            .collect();
        let chart = BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(gap)
            .bar_style(theme::ok());
        frame.render_widget(chart, bars_area);
        // The month of each week's Monday, marked where it starts.
        let mut axis = vec![' '; usize::from(inner.width)];
        let step = usize::from(bar_width + gap);
        let mut month = None;
        for (i, (week, _)) in self.weeks.iter().enumerate() {
            let in_year = week.year() == self.year;
            let m = week.month0() as usize;
            if in_year && month != Some(m) {
                month = Some(m);
                if let Some(cell) = axis.get_mut(i * step) {
                    *cell = dash::MONTH_INITIALS[m].chars().next().unwrap_or(' ');
                }
            }
        }
        let axis: String = axis.into_iter().collect();
        frame.render_widget(Paragraph::new(axis).style(theme::muted()), axis_area);
    }
}
