//! Card readers against a real pcscd with the vsmartcard-vpcd virtual reader (Debian packages
//! pcscd and vsmartcard-vpcd): readers appear, an emulated German ID card and a generic card are
//! inserted and removed, and stopping pcscd is reported as the reader service gone. A second
//! test puts vsmartcard's own card emulator (`vicc -t iso7816`, Debian package vsmartcard-vpicc)
//! on the reader: `scripts/start-vicc-env` sets it up and prints the path the test takes from
//! `BT_VICC` (default: `/var/tmp/buergerterminal-vicc-venv/bin/vicc`).
//!
//! Uses the running pcscd if there is one (its vpcd listens on port 35963, Debian's default);
//! otherwise each test starts its own with a private reader configuration and stops it at the
//! end. The tests take turns, as only one pcscd can run at a time.

use devices::card::watch::{CardNotice, spawn_card_watcher};
use devices::card::{CardError, CardEvent, CardKind, CardWatcher, GERMAN_EID_ATR};
use devices::health::DeviceState;
use devices::sim::card::{CardProfile, VirtualCard};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

const SOCKET: &str = "/run/pcscd/pcscd.comm";
const PCSCD: &str = "/usr/sbin/pcscd";
const DEFAULT_VPCD_PORT: u16 = 35963;
/// Where `scripts/start-vicc-env` puts its `vicc` wrapper unless told otherwise.
const DEFAULT_VICC: &str = "/var/tmp/buergerterminal-vicc-venv/bin/vicc";
/// The ATR of `vicc -t iso7816`: T=1, TA1=13, and its card capabilities as historical bytes.
const VICC_ISO7816_ATR: [u8; 11] = [
    0x3b, 0x95, 0x13, 0x81, 0x01, 0x80, 0x73, 0xff, 0x01, 0x00, 0x0b,
];

/// Held for the whole of a test: the tests start and stop pcscd, one at a time.
fn one_pcscd_at_a_time() -> MutexGuard<'static, ()> {
    static PCSCD: Mutex<()> = Mutex::new(());
    // A test that failed while holding it leaves nothing behind that the next one trips over.
    PCSCD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct OwnPcscd(Child);

impl Drop for OwnPcscd {
    fn drop(&mut self) {
        // SIGTERM, so pcscd removes its socket and pid file; SIGKILL would leave them stale.
        if let Ok(pid) = libc::pid_t::try_from(self.0.id()) {
            // SAFETY: signalling our own child process.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.0.wait();
    }
}

/// Whether a pcscd is running: its pid file names a live process.
fn pcscd_running() -> bool {
    std::fs::read_to_string("/run/pcscd/pcscd.pid")
        .ok()
        .and_then(|pid| {
            pid.trim_matches(|c: char| !c.is_ascii_digit())
                .parse::<u32>()
                .ok()
        })
        .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists())
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("bound").port()
}

fn start_pcscd() -> (OwnPcscd, u16) {
    assert!(
        Path::new(PCSCD).exists(),
        "pcscd is missing: install pcscd and vsmartcard-vpcd (scripts/packages-test.txt)"
    );
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    assert!(
        root,
        "no pcscd is running and only root can start one: start pcscd (with vsmartcard-vpcd \
         installed) before the tests, or run them as root"
    );
    let port = free_port();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("pcscd-{port}"));
    std::fs::create_dir_all(&dir).expect("config dir");
    let conf = format!(
        "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x{port:04X}\n\
         LIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID 0x{port:04X}\n"
    );
    std::fs::write(dir.join("vpcd"), conf).expect("reader config");
    let child = Command::new(PCSCD)
        .args(["--foreground", "--config"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pcscd starts");
    let own = OwnPcscd(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !(Path::new(SOCKET).exists() && pcscd_running()) {
        assert!(
            Instant::now() < deadline,
            "pcscd did not start (socket {SOCKET})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (own, port)
}

/// vsmartcard's card emulator on a vpcd reader; killing it (on drop) takes the card away.
struct Vicc {
    child: Child,
    log: PathBuf,
}

impl Vicc {
    /// Starts `vicc -t iso7816` against the vpcd reader at `127.0.0.1:port`.
    fn iso7816(port: u16) -> Self {
        let program = std::env::var_os("BT_VICC")
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_VICC), PathBuf::from);
        assert!(
            program.is_file(),
            "vicc is not set up ({} is missing): install vsmartcard-vpicc and python3-venv \
             (scripts/install-packages), then run scripts/start-vicc-env and put the path it \
             prints in BT_VICC",
            program.display()
        );
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("vicc-{port}.log"));
        let out = std::fs::File::create(&log).expect("vicc log file");
        let err = out.try_clone().expect("vicc log file");
        let child = Command::new(&program)
            .args([
                "--type",
                "iso7816",
                "--verbose",
                "--hostname",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{} does not start ({e}): run scripts/start-vicc-env",
                    program.display()
                )
            });
        Self { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Panics with vicc's messages if it has ended (it exits when it cannot reach vpcd).
    fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("vicc ended ({status}):\n{}", self.log());
        }
    }
}

impl Drop for Vicc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects events until one matches `want`, for at most 30 s.
fn until(w: &mut CardWatcher, want: impl Fn(&CardEvent) -> bool) -> Vec<CardEvent> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let events = w.wait(Duration::from_millis(200)).expect("pcscd answers");
        let done = events.iter().any(&want);
        seen.extend(events);
        if done {
            return seen;
        }
    }
    panic!("expected event did not come; saw {seen:?}");
}

/// The next health state the card-reader thread reports, within 30 s.
fn next_health(rx: &mut tokio::sync::mpsc::UnboundedReceiver<CardNotice>) -> DeviceState {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        match rx.try_recv() {
            Ok(CardNotice::Health(e)) => return e.state,
            Ok(CardNotice::Card(_)) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    panic!("no health report from the card-reader thread");
}

/// The pcscd to test against and its vpcd port: a pcscd that answers (running, or
/// socket-activated by systemd) as it is, otherwise one of our own.
fn pcscd() -> (Option<OwnPcscd>, u16) {
    if pcscd_running() || CardWatcher::new().is_ok() {
        (None, DEFAULT_VPCD_PORT)
    } else {
        let (child, port) = start_pcscd();
        (Some(child), port)
    }
}

/// A watcher on pcscd, once it reports the first vpcd reader, and that reader's name.
fn watch_vpcd_reader() -> (CardWatcher, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut w = loop {
        match CardWatcher::new() {
            Ok(w) => break w,
            Err(e) if Instant::now() > deadline => panic!("pcscd unreachable: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let seen = until(
        &mut w,
        |e| matches!(e, CardEvent::ReaderAdded(n) if n.contains("Virtual PCD")),
    );
    let reader = seen
        .iter()
        .find_map(|e| match e {
            CardEvent::ReaderAdded(n) if n.contains("Virtual PCD") && n.ends_with("00 00") => {
                Some(n.clone())
            }
            _ => None,
        })
        .expect("first vpcd reader");
    (w, reader)
}

#[test]
fn readers_cards_and_the_reader_service_going_away() {
    let _turn = one_pcscd_at_a_time();
    let (own, port) = pcscd();
    let (mut w, reader) = watch_vpcd_reader();

    let id_card =
        VirtualCard::insert(port, CardProfile::german_eid()).expect("vpcd accepts the card");
    let seen = until(&mut w, |e| matches!(e, CardEvent::CardInserted { .. }));
    assert!(
        seen.contains(&CardEvent::CardInserted {
            reader: reader.clone(),
            atr: GERMAN_EID_ATR.to_vec(),
            kind: CardKind::GermanEid
        }),
        "{seen:?}"
    );
    drop(id_card);
    until(&mut w, |e| {
        *e == CardEvent::CardRemoved {
            reader: reader.clone(),
        }
    });

    let mut eid_other_atr = CardProfile::german_eid();
    eid_other_atr.atr = vec![0x3b, 0x84, 0x80, 0x01, 0x12, 0x34, 0x56, 0x78, 0x00];
    let newer = VirtualCard::insert(port, eid_other_atr).expect("inserted");
    let seen = until(&mut w, |e| matches!(e, CardEvent::CardInserted { .. }));
    assert!(
        seen.iter().any(|e| matches!(
            e,
            CardEvent::CardInserted {
                kind: CardKind::GermanEid,
                ..
            }
        )),
        "an eID with an unknown ATR is still recognised by its EF.CardAccess: {seen:?}"
    );
    drop(newer);
    until(&mut w, |e| matches!(e, CardEvent::CardRemoved { .. }));

    let generic = VirtualCard::insert(port, CardProfile::generic()).expect("inserted");
    let seen = until(&mut w, |e| matches!(e, CardEvent::CardInserted { .. }));
    assert!(
        seen.iter().any(|e| matches!(
            e,
            CardEvent::CardInserted {
                kind: CardKind::Other,
                ..
            }
        )),
        "{seen:?}"
    );
    drop(generic);
    until(&mut w, |e| matches!(e, CardEvent::CardRemoved { .. }));

    // The kiosk's card-reader thread sees the reader ready...
    let (mut notices, _thread) =
        spawn_card_watcher(Duration::from_millis(100)).expect("thread starts");
    assert_eq!(next_health(&mut notices), DeviceState::Ready);

    if let Some(pcscd) = own {
        drop(pcscd);
        // ...and reports it gone when pcscd stops.
        assert_eq!(next_health(&mut notices), DeviceState::Absent);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match w.wait(Duration::from_millis(200)) {
                Err(CardError::NoService(_)) => break,
                Ok(events)
                    if events
                        .iter()
                        .any(|e| matches!(e, CardEvent::ReaderRemoved(_))) =>
                {
                    break;
                }
                _ if Instant::now() > deadline => panic!("stopping pcscd went unnoticed"),
                _ => {}
            }
        }
    }
}

#[test]
fn a_generic_card_from_vsmartcards_own_emulator() {
    let _turn = one_pcscd_at_a_time();
    let (_own, port) = pcscd();
    let (mut w, reader) = watch_vpcd_reader();

    let mut vicc = Vicc::iso7816(port);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while !seen
        .iter()
        .any(|e| matches!(e, CardEvent::CardInserted { .. }))
    {
        vicc.assert_running();
        assert!(
            Instant::now() < deadline,
            "vicc's card did not come; saw {seen:?}; vicc said:\n{}",
            vicc.log()
        );
        seen.extend(w.wait(Duration::from_millis(200)).expect("pcscd answers"));
    }
    assert!(
        seen.contains(&CardEvent::CardInserted {
            reader: reader.clone(),
            atr: VICC_ISO7816_ATR.to_vec(),
            kind: CardKind::Other
        }),
        "{seen:?}"
    );

    // Killed, vicc's connection closes and vpcd reports the card gone.
    drop(vicc);
    until(&mut w, |e| {
        *e == CardEvent::CardRemoved {
            reader: reader.clone(),
        }
    });
}
