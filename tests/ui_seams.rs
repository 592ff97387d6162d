//! The seams between screens (issue 13), driven through `App` without a terminal: a worker's
//! reply reaches the screen that started the job wherever it is in the stack (an import or a
//! search answered while the F9 menu or the idle-lock screen covers its screen); the search asks
//! again on its return only when the database changed; every text field edits the same way; the
//! global keys' footer and help come from their table.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use loket::db::demo::{DemoOptions, populate};
use loket::db::import::{Counts, Progress};
use loket::db::{self, operators};
use loket::ui::app::{App, Ctx, Event};
use loket::ui::screens::import::{ImportMsg, ImportScreen};
use loket::ui::screens::search::SearchScreen;
use loket::ui::text::Lang;
use loket::ui::{Reply, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// Builds the screen the app opens on.
type Root = fn(&Ctx) -> Box<dyn Screen>;

/// The app on a database file, with the loop's channel kept to feed worker replies by hand.
struct Ui {
    app: App,
    events: Receiver<Event>,
    dir: tempfile::TempDir,
}

impl Ui {
    /// `residents` demo residents (0: an empty office), logged in as `operator`, on `root`.
    fn open(residents: u32, operator: &str, root: Root) -> Ui {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seams.sqlite");
        let mut conn = db::create(&path).unwrap();
        if residents > 0 {
            let options = DemoOptions {
                residents,
                seed: 1,
                today: today(),
            };
            populate(&mut conn, options).unwrap();
        }
        let actor = operators::actor_by_name(&conn, operator).unwrap();
        let (tx, rx) = mpsc::channel();
        let ctx = Ctx {
            conn,
            store: loket::db::Store::File(path),
            lang: Lang::Id,
            actor,
            today: today(),
            events: tx,
        };
        let root = root(&ctx);
        Ui {
            app: App::new(ctx, root),
            events: rx,
            dir,
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.with(code, KeyModifiers::NONE);
    }

    fn with(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.app.handle(Event::Key(KeyEvent::new(code, mods)));
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn render(&mut self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| self.app.render(f)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..24)
            .map(|y| {
                (0..80)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Hands the app every event until one for which `last` holds has been handled (blocking on
    /// the channel, with a generous deadline against a hang).
    fn feed_until(&mut self, last: impl Fn(&Event) -> bool) {
        loop {
            let event = self
                .events
                .recv_timeout(Duration::from_secs(60))
                .expect("the worker answers");
            let done = last(&event);
            self.app.handle(event);
            if done {
                return;
            }
        }
    }

    /// Locks the screen as if nobody had touched a key for a day.
    fn idle_lock(&mut self) {
        assert!(
            self.app
                .idle_check(Instant::now() + Duration::from_secs(24 * 3600))
        );
        assert!(self.render().contains("Layar terkunci"));
    }
}

// ---- an import finishing under another screen ----

fn import_root(ctx: &Ctx) -> Box<dyn Screen> {
    Box::new(ImportScreen::new(ctx))
}

/// Two good rows and one bad one.
fn small_csv(dir: &Path) -> PathBuf {
    let path = dir.join("penduduk.csv");
    let rows = [
        "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT,RT,RW,KODE_DESA,NO_HP",
        "3603320104900001,3603320101100001,Budi Santoso,L,Tangerang,01-04-1990,Kp. Sidoko,001,002,3603322002,0812",
        "3603324205850002,3603320101100001,Siti Aminah,P,Tangerang,1985-05-02,Kp. Sidoko,001,002,36.03.32.2002,",
        "36033201049000,,Salah Panjang,L,,01-04-1990,,,,,",
    ];
    std::fs::write(&path, rows.join("\n") + "\n").unwrap();
    path
}

fn import_finished(event: &Event) -> bool {
    matches!(
        event,
        Event::Worker {
            reply: Reply::Import(ImportMsg::Finished(_)),
            ..
        }
    )
}

/// Starts the import of a small file; returns with the import running.
fn start_import(ui: &mut Ui) {
    let csv = small_csv(ui.dir.path());
    ui.type_text(csv.to_str().unwrap());
    ui.key(KeyCode::Enter);
    assert!(ui.render().contains("Mengimpor..."), "{}", ui.render());
}

#[test]
fn an_import_that_finishes_under_the_menu_shows_as_finished() {
    let mut ui = Ui::open(0, "admin", import_root);
    start_import(&mut ui);
    ui.key(KeyCode::F(9));
    assert_eq!(ui.app.depth(), 2, "the menu is on top");
    ui.feed_until(import_finished);
    ui.key(KeyCode::Esc);
    assert_eq!(ui.app.depth(), 1);
    let screen = ui.render();
    assert!(screen.contains("Selesai."), "{screen}");
    assert!(!screen.contains("Mengimpor..."), "{screen}");
}

#[test]
fn an_import_that_finishes_under_the_lock_screen_shows_as_finished() {
    let mut ui = Ui::open(0, "admin", import_root);
    start_import(&mut ui);
    ui.idle_lock();
    ui.feed_until(import_finished);
    // the admin of a new database has no password: Enter unlocks
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.depth(), 1);
    let screen = ui.render();
    assert!(screen.contains("Selesai."), "{screen}");
}

/// Once every row is read the bar is full and only the indexes are left to build (about 15 s
/// at 3 million residents): the screen says so instead of "sisa 00:00".
#[test]
fn a_fully_read_import_says_it_builds_the_indexes() {
    let mut ui = Ui::open(0, "admin", import_root);
    start_import(&mut ui);
    let first = ui
        .events
        .recv_timeout(Duration::from_secs(60))
        .expect("the worker answers");
    let Event::Worker { to, .. } = &first else {
        panic!("a worker's reply first");
    };
    let all_read = Progress {
        counts: Counts {
            read: 3,
            ..Counts::default()
        },
        fraction: Some(1.0),
        elapsed: Duration::from_secs(2),
    };
    ui.app.handle(Event::Worker {
        to: *to,
        reply: Reply::Import(ImportMsg::Progress(all_read)),
    });
    let screen = ui.render();
    assert!(screen.contains("menyusun indeks"), "{screen}");
    assert!(!screen.contains("sisa 00:00"), "{screen}");
    let done = import_finished(&first);
    ui.app.handle(first);
    if !done {
        ui.feed_until(import_finished);
    }
    assert!(ui.render().contains("Selesai."));
}

// ---- a search answered under another screen ----

fn search_root(ctx: &Ctx) -> Box<dyn Screen> {
    Box::new(SearchScreen::new(ctx))
}

/// True for the answer to `query` (the worker may also answer older queries first).
/// The page of matches for `query` (the count of matches follows in an answer of its own).
fn answer_to(query: &'static str) -> impl Fn(&Event) -> bool {
    move |event| {
        matches!(event, Event::Worker { reply: Reply::Search(answer), .. }
            if answer.query == query
                && !matches!(answer.result, Ok(loket::ui::search_worker::Found::Count(_))))
    }
}

/// The status line of the search: how many matches, or "Mencari...".
fn search_status(screen: &str) -> String {
    screen.lines().nth(4).unwrap_or_default().to_string()
}

#[test]
fn a_search_answered_under_the_menu_is_shown_when_the_menu_closes() {
    let mut ui = Ui::open(300, "sari", search_root);
    ui.type_text("3603");
    ui.key(KeyCode::F(9));
    ui.feed_until(answer_to("3603"));
    ui.key(KeyCode::Esc);
    let screen = ui.render();
    let status = search_status(&screen);
    assert!(status.contains("cocok"), "the answer is there: {screen}");
    assert!(!screen.contains("Mencari"), "nothing asked again: {screen}");
    assert!(screen.contains("3603"), "{screen}");
}

#[test]
fn a_search_answered_under_the_lock_screen_is_shown_after_unlocking() {
    let mut ui = Ui::open(300, "sari", search_root);
    ui.type_text("3603");
    ui.idle_lock();
    ui.feed_until(answer_to("3603"));
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.depth(), 1);
    let screen = ui.render();
    assert!(search_status(&screen).contains("cocok"), "{screen}");
    assert!(!screen.contains("Mencari"), "{screen}");
}

#[test]
fn the_search_asks_again_when_the_database_changed_meanwhile() {
    let mut ui = Ui::open(300, "sari", search_root);
    ui.type_text("3603");
    ui.feed_until(answer_to("3603"));
    ui.key(KeyCode::Down);
    // Opening a resident records that the full NIK was shown: the database changed.
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.depth(), 2);
    let resident = ui.render();
    ui.key(KeyCode::Esc);
    assert!(ui.render().contains("Mencari"), "asked again");
    ui.feed_until(answer_to("3603"));
    let screen = ui.render();
    assert!(search_status(&screen).contains("cocok"), "{screen}");
    // the row selected before is selected again: Enter opens the same resident
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.depth(), 2);
    let name = |screen: &str| screen.lines().nth(2).unwrap_or_default().to_string();
    assert_eq!(name(&ui.render()), name(&resident));
}

// ---- one text field everywhere ----

fn board_root(ctx: &Ctx) -> Box<dyn Screen> {
    Box::new(loket::ui::screens::board::Board::new(ctx).unwrap())
}

fn audit_root(ctx: &Ctx) -> Box<dyn Screen> {
    Box::new(loket::ui::screens::audit::AuditBrowser::new(ctx).unwrap())
}

fn login_root(_ctx: &Ctx) -> Box<dyn Screen> {
    Box::new(loket::ui::screens::login::Login::new("", search_root))
}

fn prompt_root(_ctx: &Ctx) -> Box<dyn Screen> {
    use loket::ui::screens::prompt::{Ask, Prompt};
    let ask = Ask::Setting {
        key: loket::db::settings::SettingKey::OfficeRegency,
    };
    Box::new(Prompt::text(
        ask,
        "office.regency_code".into(),
        "?".into(),
        "",
    ))
}

#[test]
fn every_text_field_has_the_same_editing_keys() {
    let roots: [(&str, Root); 6] = [
        ("search", search_root),
        ("import", import_root),
        ("board", board_root),
        ("audit", audit_root),
        ("login", login_root),
        ("prompt", prompt_root),
    ];
    for (name, root) in roots {
        let mut ui = Ui::open(0, "admin", root);
        if name == "audit" {
            ui.key(KeyCode::Tab); // from the list to the first filter
        }
        ui.type_text("budi santoso");
        ui.with(KeyCode::Char('w'), KeyModifiers::CONTROL);
        ui.key(KeyCode::Home);
        ui.type_text("x");
        ui.key(KeyCode::End);
        ui.type_text("y");
        assert!(ui.render().contains("xbudi y"), "{name}: {}", ui.render());
        ui.with(KeyCode::Backspace, KeyModifiers::ALT);
        ui.key(KeyCode::Left);
        ui.key(KeyCode::Delete);
        ui.key(KeyCode::Left);
        ui.key(KeyCode::Backspace);
        ui.key(KeyCode::Right);
        ui.type_text("z");
        // "xbudi " -> Left, Delete "xbudi" -> Left, Backspace "xbui" -> Right, z "xbuiz"
        assert!(ui.render().contains("xbuiz"), "{name}: {}", ui.render());
        ui.with(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert!(!ui.render().contains("xbuiz"), "{name}: {}", ui.render());
    }
}

// ---- global keys from their table ----

#[test]
fn the_global_keys_in_footer_and_help_come_from_their_table() {
    let mut ui = Ui::open(0, "admin", import_root);
    let screen = ui.render();
    let footer = screen.lines().last().unwrap();
    assert!(footer.starts_with("F1 Bantuan"), "{footer}");
    assert!(footer.ends_with("F9 Menu"), "{footer}");
    ui.key(KeyCode::F(1));
    let help = ui.render();
    let global = help.split("Di semua layar").nth(1).unwrap_or_default();
    for key in ["F1/?", "F9", "Ctrl-Q", "Esc/q"] {
        assert!(global.contains(&format!("│  {key:<12}")), "{key}: {help}");
    }
    ui.key(KeyCode::Esc);
    // F9 opens the menu and F9 on the menu closes it
    ui.key(KeyCode::F(9));
    assert_eq!(ui.app.depth(), 2);
    ui.key(KeyCode::F(9));
    assert_eq!(ui.app.depth(), 1);
}

// ---- what a covered screen asks waits until it is on top ----

/// A screen that answers any reply with an error box, and tells the test its address.
struct Asker(std::sync::mpsc::Sender<loket::ui::ScreenId>);

impl Screen for Asker {
    fn title(&self, _lang: Lang) -> String {
        "asker".into()
    }
    fn hints(&self, _lang: Lang) -> Vec<loket::ui::keymap::Hint> {
        Vec::new()
    }
    fn handle_key(&mut self, _key: KeyEvent, _ctx: &mut Ctx) -> loket::ui::Nav {
        loket::ui::Nav::Ignored
    }
    fn attach(&mut self, me: loket::ui::ScreenId) {
        self.0.send(me).unwrap();
    }
    fn handle_reply(&mut self, _reply: Reply, _ctx: &mut Ctx) -> loket::ui::Nav {
        loket::ui::Nav::Error("the job failed".into())
    }
    fn render(&mut self, _frame: &mut ratatui::Frame, _area: ratatui::layout::Rect, _ctx: &Ctx) {}
}

#[test]
fn what_a_covered_screen_asks_on_a_reply_waits_until_it_is_on_top() {
    let (tx, addresses) = mpsc::channel();
    let conn = db::create_in_memory().unwrap();
    let actor = operators::actor_by_name(&conn, "admin").unwrap();
    let (events, _rx) = mpsc::channel();
    let ctx = Ctx {
        conn,
        store: loket::db::Store::File("/data/loket.sqlite".into()),
        lang: Lang::Id,
        actor,
        today: today(),
        events,
    };
    let mut app = App::new(ctx, Box::new(Asker(tx)));
    let me = addresses.recv().unwrap();
    app.handle(Event::Key(KeyEvent::new(KeyCode::F(9), KeyModifiers::NONE)));
    app.handle(Event::Worker {
        to: me,
        reply: Reply::ResidentSaved,
    });
    let ui_text = |app: &mut App| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| app.render(f)).unwrap();
        format!("{:?}", terminal.backend().buffer())
    };
    assert!(
        !ui_text(&mut app).contains("the job failed"),
        "not over the menu"
    );
    app.handle(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(app.depth(), 1);
    assert!(ui_text(&mut app).contains("the job failed"), "now on top");
}
