//! Every control stays on the screen and keeps a touchable size on every screen with input,
//! at normal size, in large text and in the low layout, on the landscape and the portrait
//! panel, with demo mode's booking codes on the start screen and with the offline notes: a
//! page that does not fit would push the footer (help, start over) off the bottom or squeeze
//! its keys.

use std::sync::Arc;

use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use kiosk::flow::{Event, Field, Lang};
use kiosk::ui::DemoBooking;

use crate::fake::Fake;
use crate::harness::Kiosk;

/// 2 cm on the 21.5" full-HD panel, less a pixel of rounding.
const MIN_TOUCH: f32 = 80.0;

/// The controls that do not fit, described.
fn misfits(k: &Kiosk, size: (u32, u32)) -> Vec<String> {
    let (w, h) = (size.0 as f32 + 0.5, size.1 as f32 + 0.5);
    ElementQuery::from_root(k.app.window())
        .match_descendants()
        .find_all()
        .into_iter()
        .filter(|e| {
            matches!(
                e.accessible_role(),
                Some(AccessibleRole::Button | AccessibleRole::Checkbox | AccessibleRole::TextInput)
            )
        })
        .filter_map(|e| {
            let (p, s) = (e.absolute_position(), e.size());
            let off = p.x < -0.5 || p.y < -0.5 || p.x + s.width > w || p.y + s.height > h;
            let small = s.width < MIN_TOUCH || s.height < MIN_TOUCH;
            (off || small).then(|| {
                format!(
                    "{:?} at {:.0},{:.0} size {:.0}×{:.0}",
                    e.accessible_label().unwrap_or_default(),
                    p.x,
                    p.y,
                    s.width,
                    s.height
                )
            })
        })
        .collect()
}

/// Six demo bookings, as demo mode shows them on the start screen.
fn demo_bookings() -> Vec<DemoBooking> {
    (0..6)
        .map(|i| DemoBooking {
            label: format!("04:{i}0 · 17311{i} · FAG5J"),
            payload: format!("BT1:17311{i}:FAG5J"),
        })
        .collect()
}

fn check(size: (u32, u32), large_text: bool, low_layout: bool, shot: Option<&str>) {
    let mut found = vec![];
    // Demo mode's booking codes on the start screen; and, on a terminal, the offline note.
    for (demo, offline) in [(demo_bookings(), false), (vec![], true)] {
        let k = Kiosk::with(Arc::new(Fake::new()), demo, size);
        if offline {
            k.app.dispatch(Event::Connectivity(false));
        }
        for misfit in misfits_in_every_language(&k, size, large_text, low_layout, shot) {
            found.push(format!("offline {offline}: {misfit}"));
        }
    }
    assert!(
        found.is_empty(),
        "{size:?}, large text {large_text}, low layout {low_layout}: {found:#?}"
    );
}

fn misfits_in_every_language(
    k: &Kiosk,
    size: (u32, u32),
    large_text: bool,
    low_layout: bool,
    shot: Option<&str>,
) -> Vec<String> {
    let mut found = vec![];
    for lang in [Lang::De, Lang::Fr, Lang::Ar, Lang::Uk] {
        k.app.dispatch(Event::Home);
        k.app.dispatch(Event::Language(lang));
        let prefs = k.app.flow().prefs();
        if prefs.large_text != large_text {
            k.app.dispatch(Event::ToggleLargeText);
        }
        if prefs.low_layout != low_layout {
            k.app.dispatch(Event::ToggleLowLayout);
        }
        let mut look = |screen: &str| {
            for misfit in misfits(k, size) {
                found.push(format!("{} {screen}: {misfit}", lang.code()));
            }
        };
        look("start");
        k.app.dispatch(Event::StartCheckIn);
        look("check-in, number pad");
        k.app.dispatch(Event::SelectField(Field::Code));
        look("check-in, keyboard");
        if lang == Lang::De
            && !k.app.flow().offline()
            && let Some(name) = shot
        {
            k.shot(name);
        }
        k.app.dispatch(Event::Home);
        k.app.dispatch(Event::StartWalkIn);
        k.settle();
        look("services");
    }
    found
}

#[test]
fn controls_fit_landscape() {
    check((1920, 1080), false, false, None);
}

#[test]
fn controls_fit_portrait() {
    check((1080, 1920), false, false, None);
}

#[test]
fn controls_fit_in_large_text_landscape() {
    check((1920, 1080), true, false, Some("check-in-large-text-de"));
}

#[test]
fn controls_fit_in_large_text_and_low_layout_landscape() {
    check((1920, 1080), true, true, Some("check-in-large-text-low-de"));
}

#[test]
fn controls_fit_in_large_text_and_low_layout_portrait() {
    check(
        (1080, 1920),
        true,
        true,
        Some("check-in-large-text-portrait-de"),
    );
}

#[test]
fn controls_fit_in_low_layout_landscape() {
    check((1920, 1080), false, true, None);
}
