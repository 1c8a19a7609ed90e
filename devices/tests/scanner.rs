//! Code scanners against recorded evdev streams and a pseudo-terminal: framing, the keyboard
//! layout trap, garbage and over-long input.

use devices::scanner::evdev::{KeyboardConfig, KeyboardScanner, ScannerDeviceError};
use devices::scanner::keymap::{KeyStroke, Layout};
use devices::scanner::serial::SerialScanner;
use devices::scanner::{Framing, ScanError, ScanSource};
use devices::sim::{KeyboardRecording, SimSerialScanner};
use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

const LINK: &str = "https://termine.stadt.example/b/K7ZY-42?c=xy";

fn scans(rec: &KeyboardRecording, config: KeyboardConfig) -> Vec<Result<String, ScanError>> {
    let mut s = KeyboardScanner::from_reader(Cursor::new(rec.bytes()), config);
    let mut out = Vec::new();
    while let Some(scan) = s.next_scan().expect("recording reads") {
        out.push(scan.map(|s| {
            assert_eq!(s.source, ScanSource::Keyboard);
            s.text
        }));
    }
    out
}

fn layouts(layouts: &[Layout], accept_links: bool) -> KeyboardConfig {
    KeyboardConfig {
        layouts: layouts.to_vec(),
        accept: accept_links.then(|| Box::new(|t: &str| t.starts_with("https://")) as _),
        framing: Framing::default(),
    }
}

#[test]
fn a_booking_link_scanned_in_us_layout_arrives_intact() {
    let mut rec = KeyboardRecording::new();
    rec.typed(LINK, Layout::Us).enter();
    assert_eq!(
        scans(&rec, layouts(&[Layout::Us], false)),
        [Ok(LINK.to_string())]
    );
}

#[test]
fn layout_trap_us_scanner_on_german_layout_mangles_and_is_caught() {
    let mut short = KeyboardRecording::new();
    short.typed("https://x.example/yz", Layout::Us).enter();
    assert_eq!(
        scans(&short, layouts(&[Layout::De], false)),
        [Ok("httpsÖ--x.example-zy".to_string())],
        "read as German: y/z swapped, ':' and '/' mangled"
    );
    assert_eq!(
        scans(&short, layouts(&[Layout::De], true)),
        [Err(ScanError::Unrecognised)]
    );

    let mut full = KeyboardRecording::new();
    full.typed(LINK, Layout::Us).enter();
    assert_eq!(
        scans(&full, layouts(&[Layout::De], false)),
        [Err(ScanError::Garbage { count: 1 })],
        "'=' lands on the German dead accent key"
    );
    assert_eq!(
        scans(&full, layouts(&[Layout::De, Layout::Us], true)),
        [Ok(LINK.to_string())],
        "trying both layouts against what a booking link looks like recovers it"
    );
}

#[test]
fn scans_without_terminator_are_framed_by_the_pause() {
    let mut rec = KeyboardRecording::new();
    rec.typed("A017", Layout::Us)
        .pause(Duration::from_millis(400))
        .typed("B002", Layout::Us);
    assert_eq!(
        scans(&rec, layouts(&[Layout::Us], false)),
        [Ok("A017".into()), Ok("B002".into())]
    );
}

#[test]
fn unknown_keys_are_garbage_and_the_next_scan_still_reads() {
    let mut rec = KeyboardRecording::new();
    rec.typed("AB", Layout::Us)
        .stroke(KeyStroke {
            code: 59,
            shift: false,
            altgr: false,
        }) // F1
        .enter()
        .typed("OK1", Layout::Us)
        .enter();
    assert_eq!(
        scans(&rec, layouts(&[Layout::Us], false)),
        [Err(ScanError::Garbage { count: 1 }), Ok("OK1".into())]
    );
}

#[test]
fn over_long_input_is_rejected_with_the_limit() {
    let mut rec = KeyboardRecording::new();
    rec.typed(&"x".repeat(40), Layout::Us)
        .enter()
        .typed("short", Layout::Us)
        .enter();
    let config = KeyboardConfig {
        layouts: vec![Layout::Us],
        accept: None,
        framing: Framing {
            inter_key_timeout: Duration::from_millis(80),
            max_len: 32,
        },
    };
    assert_eq!(
        scans(&rec, config),
        [Err(ScanError::TooLong { max: 32 }), Ok("short".into())]
    );
}

#[test]
fn a_device_that_cannot_be_grabbed_is_refused_with_a_reason() {
    let err = KeyboardScanner::open(Path::new("/dev/null"), KeyboardConfig::default())
        .expect_err("not evdev");
    assert!(matches!(err, ScannerDeviceError::Grab { .. }));
    assert!(
        err.to_string().contains("not an evdev input device"),
        "{err}"
    );
}

#[test]
fn serial_scanner_over_a_pty_frames_by_crlf_and_by_pause_and_rejects_garbage() {
    let mut sim = SimSerialScanner::new().expect("pty");
    let framing = Framing {
        inter_key_timeout: Duration::from_millis(50),
        max_len: 256,
    };
    let mut scanner = SerialScanner::open(sim.path(), framing).expect("opens the pty like ttyACM0");

    sim.send(b"K7ZY-42\r\n").expect("sent");
    let s = scanner.next_scan().expect("reads").expect("valid scan");
    assert_eq!((s.text.as_str(), s.source), ("K7ZY-42", ScanSource::Serial));

    sim.send("Straße 5".as_bytes()).expect("sent");
    assert_eq!(
        scanner.next_scan().expect("reads").map(|s| s.text),
        Ok("Straße 5".into()),
        "framed by the pause"
    );

    sim.send(b"\xff\xfe\r").expect("sent");
    assert!(matches!(
        scanner.next_scan().expect("reads"),
        Err(ScanError::Garbage { .. })
    ));
}

#[tokio::test]
async fn scanner_thread_forwards_scans_and_reports_a_missing_scanner() {
    use devices::health::DeviceState;
    use devices::scanner::watch::{ScannerEvent, ScannerSource, spawn_scanner};

    let framing = Framing {
        inter_key_timeout: Duration::from_millis(50),
        max_len: 256,
    };
    let (mut missing, _t) = spawn_scanner(
        ScannerSource::Serial {
            path: "/dev/ttyACM-not-there".into(),
        },
        framing,
        Duration::from_millis(50),
    )
    .expect("thread starts");
    match missing.recv().await {
        Some(ScannerEvent::Health(e)) => assert_eq!(e.state, DeviceState::Absent),
        other => panic!("{other:?}"),
    }
    drop(missing);

    let mut sim = SimSerialScanner::new().expect("pty");
    let (mut events, _t) = spawn_scanner(
        ScannerSource::Serial {
            path: sim.path().into(),
        },
        framing,
        Duration::from_millis(50),
    )
    .expect("thread starts");
    match events.recv().await {
        Some(ScannerEvent::Health(e)) => assert_eq!(e.state, DeviceState::Ready),
        other => panic!("{other:?}"),
    }
    sim.send(b"A017\r").expect("sent");
    match tokio::time::timeout(Duration::from_secs(5), events.recv()).await {
        Ok(Some(ScannerEvent::Scan(s))) => assert_eq!(s.text, "A017"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_live_scan_without_terminator_ends_after_the_pause() {
    use std::io::Write;
    use std::os::unix::net::UnixStream;
    let (mut scanner_side, reader) = UnixStream::pair().expect("socket pair");
    let mut rec = KeyboardRecording::new();
    rec.typed("B002", Layout::Us);
    let config = KeyboardConfig {
        layouts: vec![Layout::Us],
        accept: None,
        framing: Framing {
            inter_key_timeout: Duration::from_millis(60),
            max_len: 64,
        },
    };
    let mut s = KeyboardScanner::from_live(reader, config);
    scanner_side.write_all(&rec.bytes()).expect("events sent");
    let started = std::time::Instant::now();
    let scan = s
        .next_scan()
        .expect("reads")
        .expect("a scan")
        .expect("valid");
    assert_eq!(scan.text, "B002");
    assert!(
        started.elapsed() >= Duration::from_millis(60),
        "waited for the pause"
    );
    drop(scanner_side);
    assert!(
        s.next_scan().expect("reads").is_none(),
        "unplugged: input ended"
    );
}
