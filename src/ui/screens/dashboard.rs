//! Dasbor (supervisor): the year per kecamatan or per course (Tab switches) against the targets,
//! enrollments per week as a bar chart, ←/→ change the year, Enter shows the row's cohorts on
//! the board. Rows come from `db::dashboard`; render never queries.

use chrono::{Datelike, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Paragraph, Row, Table};

use super::board::Board;
use super::prompt::{Ask, Prompt, PromptReply};
use crate::db::board::{BoardFilter, BoardRow, not_ready_soon};
use crate::db::dashboard::{DashboardRow, Grouping, rows, set_target, weekly_enrollments};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, cohort_run, supervisor as text};
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
            Ok(()) => self.reloaded(ctx),
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
                let ask = Ask::Target {
                    year: self.year,
                    grouping: self.grouping,
                    code: row.code.clone(),
                };
                return Nav::Push(Box::new(Prompt::text(
                    ask,
                    ctx.t(text::COL_TARGET).to_string(),
                    format!("{} {} {}", ctx.t(text::TARGET_PROMPT), row.name, self.year),
                    &row.target.map(|t| t.to_string()).unwrap_or_default(),
                )));
            }
            Some(Action::Drill) => {
                let Some(row) = self.selected() else {
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
                    Grouping::District => Grouping::Course,
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
            Grouping::District => text::BY_DISTRICT,
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
            let first = match self.grouping {
                Grouping::District => text::COL_DISTRICT,
                Grouping::Course => text::COL_COURSE,
            };
            let header = Row::new(
                [
                    first,
                    text::COL_COHORTS,
                    text::COL_ENROLLED,
                    text::COL_WAIT,
                    text::COL_PASSED,
                    text::COL_COVER_RATE,
                    text::COL_TARGET,
                    text::COL_TARGET_RATE,
                ]
                .map(|m| Cell::from(ctx.t(m))),
            )
            .style(theme::header());
            let pct = |v: Option<u32>| v.map(|v| format!("{v}%")).unwrap_or_else(|| "-".into());
            let rows: Vec<Row> = self
                .rows
                .iter()
                .map(|r| {
                    Row::new(vec![
                        Cell::from(r.name.clone()),
                        Cell::from(r.cohorts.to_string()),
                        Cell::from(r.enrolled.to_string()),
                        Cell::from(r.waitlisted.to_string()),
                        Cell::from(r.passed.to_string()),
                        Cell::from(pct(r.coverage_percent())),
                        Cell::from(
                            r.target
                                .map(|t| t.to_string())
                                .unwrap_or_else(|| "-".into()),
                        ),
                        Cell::from(pct(r.target_percent())),
                    ])
                })
                .collect();
            let widths = [
                Constraint::Min(18),
                Constraint::Length(6),
                Constraint::Length(8),
                Constraint::Length(7),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Length(7),
                Constraint::Length(7),
            ];
            let table = Table::new(rows, widths)
                .header(header)
                .block(block)
                .column_spacing(1)
                .row_highlight_style(theme::selected());
            self.list.render_table(frame, table, table_area);
            let rows_area = table_area.inner(ratatui::layout::Margin::new(0, 1));
            self.list
                .place_cursor(frame, table_area.x + 1, table_area.y + 2, rows_area);
        }
        // The latest weeks that fit, one bar each, labelled by day/month of the Monday.
        let fit = (chart_area.width.saturating_sub(2) / 6) as usize;
        let skip = self.weeks.len().saturating_sub(fit);
        let bars: Vec<Bar> = self.weeks[skip..]
            .iter()
            .map(|(week, n)| {
                Bar::default()
                    .value(u64::from(*n))
                    .label(week.format("%d/%m").to_string())
            })
            .collect();
        let chart = BarChart::default()
            .block(Block::bordered().title(format!(" {} ", ctx.t(text::WEEKLY))))
            .data(BarGroup::default().bars(&bars))
            .bar_width(5)
            .bar_gap(1);
        frame.render_widget(chart, chart_area);
    }
}
