//! The real binary in a pseudo-terminal, read back through a terminal parser (vt100), as a
//! clerk's terminal shows it. Tests wait until the screen shows what they expect (never fixed
//! sleeps), with a generous overall deadline, and type as a clerk types.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use super::BIN;

/// How long a whole end-to-end test may wait in all.
pub const DEADLINE: Duration = Duration::from_secs(90);

pub const F2: &str = "\x1bOQ";
pub const F3: &str = "\x1bOR";
pub const F4: &str = "\x1bOS";
pub const F5: &str = "\x1b[15~";
pub const F6: &str = "\x1b[17~";
pub const F9: &str = "\x1b[20~";
pub const F10: &str = "\x1b[21~";
pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const DOWN: &str = "\x1b[B";
pub const CTRL_U: &str = "\x15";
pub const CTRL_Q: &str = "\x11";

pub struct Tty {
    master: Box<dyn portable_pty::MasterPty + Send>,
    parser: vt100::Parser,
    output: Receiver<Vec<u8>>,
    input: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    started: Instant,
}

impl Tty {
    /// `loket --db DB --as sari --lang id` at 80x24.
    pub fn start(db: &Path) -> Tty {
        Tty::start_as(db, "sari", 80, 24)
    }

    /// `loket --db DB --as OPERATOR --lang id` on a terminal of `cols` x `rows`.
    pub fn start_as(db: &Path, operator: &str, cols: u16, rows: u16) -> Tty {
        let db = &super::store::arg(db);
        let pty = native_pty_system().openpty(size(cols, rows)).unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args([
            "--db",
            db.to_str().unwrap(),
            "--as",
            operator,
            "--lang",
            "id",
        ]);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("LOKET_PASSWORD");
        cmd.env_remove("LOKET_LANG");
        cmd.env_remove("LOKET_DB");
        cmd.env_remove("LOKET_COUNTER");
        // A server's local files (drafts, documents) go to a folder of the test's own.
        if let Some(home) = super::store::data_home(db) {
            cmd.env("XDG_DATA_HOME", home);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let input = pty.master.take_writer().unwrap();
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Tty {
            master: pty.master,
            parser: vt100::Parser::new(rows, cols, 0),
            output,
            input,
            child,
            started: Instant::now(),
        }
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads output until the screen shows `text`.
    pub fn wait_for(&mut self, text: &str) {
        self.wait_until(text, |screen| screen.contains(text));
    }

    /// Reads output until the screen no longer shows `text`.
    pub fn wait_gone(&mut self, text: &str) {
        self.wait_until(&format!("{text} gone"), |screen| !screen.contains(text));
    }

    /// Reads output until `ready` holds for the screen; `what` names it in a failure.
    pub fn wait_until(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        loop {
            if ready(&self.screen()) {
                return;
            }
            if self.started.elapsed() > DEADLINE {
                panic!("waited for {what:?}; the screen shows:\n{}", self.screen());
            }
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(200)) {
                self.parser.process(&bytes);
            }
        }
    }

    pub fn send(&mut self, bytes: &str) {
        self.input.write_all(bytes.as_bytes()).unwrap();
        self.input.flush().unwrap();
    }

    /// Resizes the terminal (the program gets SIGWINCH, as when a window is dragged smaller).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master.resize(size(cols, rows)).unwrap();
        self.parser.screen_mut().set_size(rows, cols);
    }

    /// Waits until the program has ended; true when it exited successfully.
    pub fn wait_exit(&mut self) -> bool {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            assert!(
                started.elapsed() < DEADLINE,
                "loket did not quit:\n{}",
                self.parser.screen().contents()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
                self.parser.process(&bytes);
            }
        }
    }

    /// Sends the program `signal` (`HUP`: its window was closed; `TERM`: the PC shuts down).
    pub fn signal(&mut self, signal: &str) {
        let pid = self.child.process_id().expect("a running child has a pid");
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} {pid}");
    }

    /// True while the program runs.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}
