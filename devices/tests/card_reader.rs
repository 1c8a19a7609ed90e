//! Card readers against a real pcscd with the vsmartcard-vpcd virtual reader (Debian packages
//! pcscd and vsmartcard-vpcd): readers appear, an emulated German ID card and a generic card are
//! inserted and removed, and stopping pcscd is reported as the reader service gone.
//!
//! Uses the running pcscd if there is one (its vpcd listens on port 35963, Debian's default);
//! otherwise starts its own with a private reader configuration and stops it at the end.

use devices::card::watch::{CardNotice, spawn_card_watcher};
use devices::card::{CardError, CardEvent, CardKind, CardWatcher, GERMAN_EID_ATR};
use devices::health::DeviceState;
use devices::sim::card::{CardProfile, VirtualCard};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const SOCKET: &str = "/run/pcscd/pcscd.comm";
const PCSCD: &str = "/usr/sbin/pcscd";
const DEFAULT_VPCD_PORT: u16 = 35963;

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
        "pcscd is missing: install pcscd and vsmartcard-vpcd (scripts/packages.txt)"
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
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
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

#[test]
fn readers_cards_and_the_reader_service_going_away() {
    // A pcscd that answers (running, or socket-activated by systemd) is used as it is.
    let (own, port) = if pcscd_running() || CardWatcher::new().is_ok() {
        (None, DEFAULT_VPCD_PORT)
    } else {
        let (child, port) = start_pcscd();
        (Some(child), port)
    };
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
