//! Render time of the busiest screens at 1920×1080: whole frames drawn from scratch, and the
//! frame after a touch changes the screen (only what changed is drawn).

use std::time::{Duration, Instant};

use kiosk::flow::{Event, Field};

use crate::{Kiosk, rig};

fn report(what: &str, samples: &mut [Duration]) {
    println!(
        "{what}: median {:.1} ms, p99 {:.1} ms",
        rig::quantile_ms(samples, 0.5),
        rig::quantile_ms(samples, 0.99)
    );
}

/// The service list (many rows, two columns) and the check-in screen with its keyboard.
pub fn busiest_screens(k: &mut Kiosk) {
    k.app.dispatch(Event::StartWalkIn);
    k.settle();
    full_frames(k, "full frame 1920x1080, service list");
    k.app.dispatch(Event::Home);
    k.app.dispatch(Event::StartCheckIn);
    k.app.dispatch(Event::SelectField(Field::Code));
    full_frames(k, "full frame 1920x1080, check-in keyboard");
    k.app.dispatch(Event::Home);
    k.frame.draw();

    // Start → check-in → start → service list → start: the frame after each change.
    let mut samples = vec![];
    for _ in 0..30 {
        for (event, remote) in [
            (Event::StartCheckIn, false),
            (Event::Home, false),
            (Event::StartWalkIn, true),
            (Event::Home, false),
        ] {
            k.app.dispatch(event);
            if remote {
                k.settle();
            }
            let t = Instant::now();
            k.frame.tick();
            k.frame.draw();
            samples.push(t.elapsed());
        }
    }
    report(
        "frame after a screen change (partial repaint)",
        &mut samples,
    );

    // A key on the keyboard: the frame that shows the digit.
    k.app.dispatch(Event::StartCheckIn);
    k.frame.draw();
    let mut samples = vec![];
    for i in 0..60 {
        let event = if i % 7 == 6 {
            Event::Key(kiosk::flow::Key::Backspace)
        } else {
            Event::Key(kiosk::flow::Key::Char('4'))
        };
        let t = Instant::now();
        k.app.dispatch(event);
        k.frame.draw();
        samples.push(t.elapsed());
    }
    report("key touched to its frame (partial repaint)", &mut samples);
    k.app.dispatch(Event::Home);
    k.frame.draw();
}

fn full_frames(k: &mut Kiosk, what: &str) {
    k.frame.draw();
    let mut samples: Vec<Duration> = (0..60)
        .map(|_| {
            let t = Instant::now();
            k.frame.draw_full();
            t.elapsed()
        })
        .collect();
    report(what, &mut samples);
    // BT_BENCH_FRAMES=DIR keeps each measured frame as a PNG.
    if let Some(dir) = std::env::var_os("BT_BENCH_FRAMES") {
        let name: String = what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        k.frame
            .save_png(&std::path::Path::new(&dir).join(format!("{name}.png")));
    }
}
