//! Golden test: the exact ESC/POS bytes of the reference ticket, written out command by command
//! from the Epson command reference rather than from the builder.

use devices::escpos::render::{PaperWidth, render_ticket};
use devices::ticket::{Raster, Ticket};

fn reference() -> Ticket {
    let mut t = Ticket::sample();
    // A 16 × 2 dot logo: a solid bar over a checkered row.
    t.logo = Some(Raster::from_packed(16, 2, vec![0xff, 0xff, 0xaa, 0x55]).expect("valid raster"));
    t
}

#[test]
fn reference_ticket_80mm_is_byte_exact() {
    let mut want: Vec<u8> = Vec::new();
    let mut put = |b: &[u8]| want.extend_from_slice(b);
    put(b"\x1b@"); // ESC @ initialise
    put(b"\x1bt\x13"); // ESC t 19: PC858
    put(b"\x1ba\x01"); // ESC a 1: centre
    put(b"\x1dv0\x00\x02\x00\x02\x00\xff\xff\xaa\x55"); // GS v 0: 2 bytes × 2 rows
    put(b"\x1bd\x01"); // ESC d 1
    put(b"\x1bE\x01B\x81rgeramt Mitte\n\x1bE\x00"); // bold office, ü = 0x81
    put(b"\x1bd\x01Ihre Nummer\n");
    put(b"\x1d!\x11A017\n\x1d!\x00"); // GS ! 0x11: double width and height
    put(b"\x1bd\x01\x1bE\x01Personalausweis und Reisepass\n\x1bE\x00");
    put(b"\x1bd\x01Bitte warten Sie in:\nWartebereich 2, 1. OG\n");
    put(b"\x1bd\x01Personen vor Ihnen: 3\n");
    put(b"Gesch\x84tzte Wartezeit: 20-35 min\n"); // ä = 0x84, en dash printed as '-'
    put(b"\x1bd\x01");
    put(b"\x1d(k\x04\x001A2\x00"); // QR model 2
    put(b"\x1d(k\x03\x001C\x06"); // module size 6 dots
    put(b"\x1d(k\x03\x001E1"); // error correction M
    put(b"\x1d(k\x29\x001P0https://termine.stadt.example/q/7K2M9X"); // store 38 + 3 bytes
    put(b"\x1d(k\x03\x001Q0"); // print symbol
    put(b"\x1bd\x01"); // space under the code
    put(b"QR-Code scannen: Ihre Position live\n");
    put(b"26.11.2026  13:15\n");
    put(b"\x1dVB\x00"); // GS V 66 0: feed to cutter, partial cut

    let job = render_ticket(&reference(), PaperWidth::Mm80).expect("reference ticket renders");
    assert_eq!(job.bytes, want, "80 mm reference ticket bytes changed");
    assert!(job.replaced.is_empty(), "nothing needed a stand-in ?");
}

#[test]
fn narrow_paper_wraps_at_32_columns_and_uses_smaller_qr_modules() {
    let mut t = reference();
    t.service = "Meldebescheinigung und Anmeldung einer Wohnung".into();
    let job = render_ticket(&t, PaperWidth::Mm58).expect("renders on 58 mm");
    // Exactly 32 characters fit the first line.
    let needle = b"Meldebescheinigung und Anmeldung\neiner Wohnung\n";
    assert!(job.bytes.windows(needle.len()).any(|w| w == needle));
    assert!(job.bytes.windows(8).any(|w| w == b"\x1d(k\x03\x001C\x05"));
}

#[test]
fn cyrillic_office_name_prints_question_marks_and_reports_them() {
    let mut t = reference();
    t.office = "Центр Mitte".into();
    let job = render_ticket(&t, PaperWidth::Mm80).expect("renders");
    assert_eq!(job.replaced, vec!['Ц', 'е', 'н', 'т', 'р']);
    assert!(job.bytes.windows(11).any(|w| w == b"????? Mitte"));
}

#[test]
fn overlong_number_is_refused_instead_of_wrapping() {
    let mut t = reference();
    t.number = "ABCDEFGHIJKLMNOPQ".into();
    assert!(render_ticket(&t, PaperWidth::Mm58).is_err());
}
