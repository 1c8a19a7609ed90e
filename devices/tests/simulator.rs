//! The simulated printer: what it prints, what it answers, and how strict it is.

use devices::escpos::render::{PaperWidth, render_ticket};
use devices::sim::{Fault, SimPrinter};
use devices::ticket::Ticket;
use devices::usb::{TransportError, UsbTransport};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

const T: Duration = Duration::from_millis(500);

fn status(t: &mut impl UsbTransport, n: u8) -> u8 {
    t.write_bulk(&[0x10, 0x04, n], T)
        .expect("status request sent");
    let mut b = [0u8; 1];
    assert_eq!(t.read_bulk(&mut b, T).expect("status byte"), 1);
    b[0]
}

fn decode_qr(png: &[u8], name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(name);
    std::fs::write(&path, png).expect("PNG written");
    if std::env::var_os("DEVICES_UPDATE_SCREENSHOTS").is_some() {
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
        std::fs::write(shots.join(name), png).expect("screenshot written");
    }
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&path)
        .output()
        .expect("zbarimg runs (Debian package zbar-tools, see scripts/packages-test.txt)");
    assert!(
        out.status.success(),
        "zbarimg found no code in {}",
        path.display()
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

fn print_and_scan(width: PaperWidth, name: &str) {
    let sim = SimPrinter::new(width);
    let mut t = sim.open().expect("plugged in");
    let ticket = Ticket::sample();
    let job = render_ticket(&ticket, width).expect("renders");
    assert_eq!(
        t.write_bulk(&job.bytes, T).expect("accepted"),
        job.bytes.len()
    );
    assert_eq!(sim.error(), None, "the strict parser accepted every byte");

    let printed = sim.printed();
    assert_eq!(printed.len(), 1, "one ticket, cut once");
    let p = &printed[0];
    assert!(p.cut);
    assert_eq!(
        p.lines[0], "Bürgeramt Mitte",
        "umlaut survives the code page"
    );
    assert!(p.lines.contains(&"A017".to_string()));
    assert!(
        p.lines
            .contains(&"Geschätzte Wartezeit: 20-35 min".to_string())
    );
    assert_eq!(p.qr_payloads, vec![ticket.qr_payload.as_bytes().to_vec()]);

    let png = sim.png().expect("PNG encodes");
    assert_eq!(
        decode_qr(&png, name),
        ticket.qr_payload,
        "a phone reads the printed QR code"
    );
}

#[test]
fn printed_80mm_ticket_reads_back_and_its_qr_scans() {
    print_and_scan(PaperWidth::Mm80, "ticket-80mm.png");
}

#[test]
fn printed_58mm_ticket_reads_back_and_its_qr_scans() {
    print_and_scan(PaperWidth::Mm58, "ticket-58mm.png");
}

#[test]
fn status_bytes_match_the_tm_t88_documentation() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut t = sim.open().expect("plugged in");
    assert_eq!(
        [1, 2, 4].map(|n| status(&mut t, n)),
        [0x12, 0x12, 0x12],
        "ready"
    );

    sim.set_paper_near_end(true);
    assert_eq!(status(&mut t, 4), 0x1e, "near end: bits 2 and 3");

    sim.open_cover();
    assert_eq!(
        [1, 2].map(|n| status(&mut t, n)),
        [0x1a, 0x16],
        "offline, cover open"
    );
    sim.close_cover();

    sim.inject(Fault::PaperOutAfter(10));
    t.write_bulk(b"x\n", T).expect("accepted");
    assert_eq!(
        [1, 2, 4].map(|n| status(&mut t, n)),
        [0x1a, 0x32, 0x7e],
        "paper end"
    );
    let port = t.port_status(T).expect("port status");
    assert!(port.paper_empty() && !port.selected() && !port.no_error());
}

#[test]
fn unknown_command_stops_the_printer_with_an_error() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut t = sim.open().expect("plugged in");
    t.write_bulk(b"ok\n\x1bZ\x01never printed\n", T)
        .expect("bytes accepted");
    assert!(sim.error().is_some_and(|e| e.contains("unknown command")));
    assert_eq!(sim.printed()[0].lines, ["ok"]);
    assert_eq!(
        status(&mut t, 2) & 0x40,
        0x40,
        "error bit set in offline cause"
    );
}

#[test]
fn commands_split_across_usb_packets_are_reassembled() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut t = sim.open().expect("plugged in");
    let job = render_ticket(&Ticket::sample(), PaperWidth::Mm80).expect("renders");
    for chunk in job.bytes.chunks(7) {
        t.write_bulk(chunk, T).expect("accepted");
    }
    assert_eq!(sim.error(), None);
    assert_eq!(sim.printed()[0].qr_payloads.len(), 1);
}

#[test]
fn unplugged_printer_fails_every_transfer_until_reopened() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut t = sim.open().expect("plugged in");
    sim.inject(Fault::UnplugAfter(4));
    assert!(matches!(
        t.write_bulk(b"hello\n", T),
        Err(TransportError::Disconnected)
    ));
    assert!(matches!(
        t.port_status(T),
        Err(TransportError::Disconnected)
    ));
    assert!(sim.open().is_err(), "nothing to open while unplugged");
    sim.plug_in();
    let mut t2 = sim.open().expect("replugged");
    assert_eq!(status(&mut t2, 1), 0x12);
    assert!(t.write_bulk(b"x", T).is_err(), "the old handle stays dead");
}

#[test]
fn a_day_of_demo_tickets_keeps_the_paper_strip_bounded() {
    let sim = SimPrinter::new(PaperWidth::Mm58);
    let mut t = sim.open().expect("plugged in");
    let job = render_ticket(&Ticket::sample(), PaperWidth::Mm58).expect("renders");
    for _ in 0..300 {
        t.write_bulk(&job.bytes, T).expect("accepted");
    }
    assert_eq!(
        sim.printed().len(),
        200,
        "the text log keeps the last 200 tickets"
    );
    let png = sim.png().expect("PNG");
    let height = u32::from_be_bytes(png[20..24].try_into().expect("IHDR height"));
    assert!(height < 13_000, "strip of {height} dots");
}

#[test]
fn text_outside_the_code_page_prints_as_raster_lines_and_the_qr_still_scans() {
    use devices::escpos::codepage::PC858_TABLE;
    use devices::escpos::render::render_ticket_full;
    use devices::escpos::textraster::{DEFAULT_FONT, TextRasterizer};
    let font = TextRasterizer::load(std::path::Path::new(DEFAULT_FONT)).expect("fonts-dejavu-core");
    let mut ticket = Ticket::sample();
    ticket.service = "Паспорт громадянина України / Kimlik kartı başvurusu".into();
    let job =
        render_ticket_full(&ticket, PaperWidth::Mm80, PC858_TABLE, Some(&font)).expect("renders");
    assert!(
        job.replaced.is_empty(),
        "no '?' in place of Cyrillic or Turkish letters"
    );
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut t = sim.open().expect("plugged in");
    t.write_bulk(&job.bytes, T).expect("accepted");
    assert_eq!(sim.error(), None);
    let printed = &sim.printed()[0];
    assert!(printed.cut && printed.lines.contains(&"A017".to_string()));
    assert!(!printed.lines.iter().any(|l| l.contains('?')));
    let png = sim.png().expect("PNG");
    assert_eq!(
        decode_qr(&png, "ticket-80mm-raster-text.png"),
        ticket.qr_payload
    );
}
