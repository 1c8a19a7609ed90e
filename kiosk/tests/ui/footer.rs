//! The footer's labels (help, start over, the accessibility switches) stay on one line in
//! every language, on the 1080×1920 portrait panel as on the landscape one, in normal and in
//! large text; screenshots of the portrait footer in German and Ukrainian.

use std::sync::Arc;

use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use kiosk::flow::{Event, Lang};
use slint::ComponentHandle;

use crate::fake::Fake;
use crate::harness::Kiosk;

/// One line of DejaVu Sans is about 1.17 em high, two lines about 2.33 em.
const MAX_ONE_LINE: f32 = 1.75;

/// The footer texts that take more than one line, with their height in lines.
fn wrapped_footer_texts(k: &Kiosk) -> Vec<(String, f32)> {
    let window = k.app.window();
    let theme = window.global::<layouts::Theme>();
    let (button, small) = (theme.get_font_button(), theme.get_font_small());
    let footer = ElementQuery::from_root(window)
        .match_descendants()
        .match_type_name("Footer")
        .find_first()
        .expect("the footer");
    // Each control's texts with the font size they are set in.
    let mut expected: Vec<(String, f32)> = vec![];
    for control in footer.query_descendants().find_all() {
        let label = control.accessible_label().unwrap_or_default().to_string();
        match control.accessible_role() {
            Some(AccessibleRole::Button) => {
                expected.push((label, button));
                let sub = control.accessible_description().unwrap_or_default();
                if !sub.is_empty() {
                    expected.push((sub.to_string(), small));
                }
            }
            Some(AccessibleRole::Checkbox) => expected.push((label, small * 0.8)),
            _ => {}
        }
    }
    assert!(expected.len() >= 6, "footer controls: {expected:?}");
    let texts = footer
        .query_descendants()
        .match_accessible_role(AccessibleRole::Text)
        .find_all();
    expected
        .into_iter()
        .filter_map(|(label, font)| {
            let text = texts
                .iter()
                .find(|t| t.accessible_label().as_deref() == Some(label.as_str()))
                .unwrap_or_else(|| panic!("no text {label:?} in the footer"));
            let lines = text.size().height / font;
            (lines > MAX_ONE_LINE).then_some((label, lines / 1.17))
        })
        .collect()
}

fn check_every_language(size: (u32, u32), large_text: bool, shots: &[(Lang, &str)]) {
    let k = Kiosk::with(Arc::new(Fake::new()), vec![], size);
    let mut wrapped = vec![];
    for lang in Lang::ALL {
        k.app.dispatch(Event::Home);
        k.app.dispatch(Event::Language(lang));
        if k.app.flow().prefs().large_text != large_text {
            k.app.dispatch(Event::ToggleLargeText);
        }
        // The check-in screen shows every footer control (start over too).
        k.app.dispatch(Event::StartCheckIn);
        for (label, lines) in wrapped_footer_texts(&k) {
            wrapped.push(format!("{}: {label:?} takes {lines:.1} lines", lang.code()));
        }
        if let Some((_, name)) = shots.iter().find(|(l, _)| *l == lang) {
            k.shot(name);
        }
    }
    assert!(
        wrapped.is_empty(),
        "{size:?}, large text {large_text}: {wrapped:#?}"
    );
}

#[test]
fn footer_labels_stay_on_one_line_in_portrait() {
    check_every_language(
        (1080, 1920),
        false,
        &[
            (Lang::De, "check-in-number-portrait-de"),
            (Lang::Uk, "check-in-number-portrait-uk"),
        ],
    );
}

#[test]
fn footer_labels_stay_on_one_line_in_landscape() {
    check_every_language((1920, 1080), false, &[]);
}

#[test]
fn footer_labels_stay_on_one_line_in_large_text_portrait() {
    check_every_language((1080, 1920), true, &[]);
}

#[test]
fn footer_labels_stay_on_one_line_in_large_text_landscape() {
    check_every_language((1920, 1080), true, &[]);
}
