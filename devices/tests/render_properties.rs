//! Properties of the renderer against the strict simulated printer: whatever text the back
//! office sends, the job is accepted byte for byte, prints as one cut ticket, and text can never
//! smuggle in a printer command.

use devices::escpos::codepage::PC858_TABLE;
use devices::escpos::render::{PaperWidth, render_ticket_full};
use devices::escpos::textraster::{DEFAULT_FONT, TextRasterizer};
use devices::sim::SimPrinter;
use devices::ticket::{Ticket, WaitRange};
use devices::usb::UsbTransport;
use proptest::prelude::*;
use std::time::Duration;

fn any_text() -> impl Strategy<Value = String> {
    // Latin, umlauts, Cyrillic, Arabic, control characters and ESC/POS prefixes.
    proptest::string::string_regex("[a-zA-Z0-9 äöüÄÖÜß€éçñ\\-–„“/:.,Жжї؟ع\\x00-\\x1f\\x7f]{0,60}")
        .expect("valid regex")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_ticket_text_prints_as_exactly_one_clean_ticket(
        office in any_text(),
        service in any_text(),
        area in any_text(),
        number in "[A-Z][0-9]{3}",
        ahead in 0u32..500,
        (lo, extra) in (0u32..180, 0u32..60),
        narrow in any::<bool>(),
        raster_text in any::<bool>(),
    ) {
        let paper = if narrow { PaperWidth::Mm58 } else { PaperWidth::Mm80 };
        let mut t = Ticket::sample();
        t.office = office;
        t.service = service;
        t.waiting_area = area;
        t.number = number.clone();
        t.people_ahead = Some(ahead);
        t.wait = Some(WaitRange::new(lo, lo + extra).expect("ordered"));
        let font = TextRasterizer::load(std::path::Path::new(DEFAULT_FONT)).expect("fonts-dejavu-core");
        let job = render_ticket_full(&t, paper, PC858_TABLE, raster_text.then_some(&font)).expect("renders");

        let sim = SimPrinter::new(paper);
        let mut tr = sim.open().expect("plugged in");
        prop_assert_eq!(tr.write_bulk(&job.bytes, Duration::from_secs(1)).expect("accepted"), job.bytes.len());
        prop_assert_eq!(sim.error(), None);
        let printed = sim.printed();
        prop_assert_eq!(printed.len(), 1);
        prop_assert!(printed[0].cut);
        prop_assert!(printed[0].lines.contains(&number));
        prop_assert_eq!(&printed[0].qr_payloads, &vec![t.qr_payload.into_bytes()]);
        let width = paper.columns();
        prop_assert!(printed[0].lines.iter().all(|l| l.chars().count() <= width), "no line wider than the paper");
    }
}
