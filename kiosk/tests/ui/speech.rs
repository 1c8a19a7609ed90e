//! Spoken guidance reads the touched control: with speech on, touching a button, a key or a
//! switch reads its accessible label (before the new screen's text), in the visitor's
//! language; with speech off nothing is read. A fake speech sink records what would be said.

use std::sync::{Arc, Mutex};

use i_slint_backend_testing::ElementHandle;
use kiosk::flow::Lang;
use kiosk::speech::SpeechSink;
use slint::platform::PointerEventButton;

use crate::fake::Fake;
use crate::harness::Kiosk;

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, Lang)>>>);

impl SpeechSink for Recorder {
    fn say(&mut self, text: &str, lang: Lang) {
        self.0.lock().unwrap().push((text.to_owned(), lang));
    }
    fn stop(&mut self) {}
}

impl Recorder {
    fn last(&self) -> Option<(String, Lang)> {
        self.0.lock().unwrap().last().cloned()
    }
    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

#[test]
fn touched_controls_are_read_aloud_while_speech_is_on() {
    let k = Kiosk::start(Arc::new(Fake::new()));
    let said = Recorder::default();
    k.app.set_speech_sink(Box::new(said.clone()));

    k.touch("Ich habe einen Termin");
    assert_eq!(said.count(), 0, "speech is off");
    k.touch("Neu beginnen");

    k.touch("Vorlesen");
    let (text, lang) = said.last().expect("speech on");
    assert!(
        text.starts_with("Vorlesen. Willkommen."),
        "the switch, then the screen: {text}"
    );
    assert_eq!(lang, Lang::De);

    k.touch("Ich habe einen Termin");
    let (text, _) = said.last().unwrap();
    assert!(
        text.starts_with("Ich habe einen Termin. Für Ihren Termin anmelden."),
        "{text}"
    );

    k.touch("1");
    assert_eq!(said.last().unwrap().0, "1", "a key reads its label alone");
    // A real touch on the screen, not the accessibility action.
    ElementHandle::find_by_accessible_label(k.app.window(), "2")
        .find(|e| e.accessible_role() == Some(i_slint_backend_testing::AccessibleRole::Button))
        .expect("key 2")
        .mock_single_click(PointerEventButton::Left);
    k.settle();
    assert_eq!(said.last().unwrap().0, "2");
    k.touch("Löschen");
    assert_eq!(
        said.last().unwrap().0,
        "Löschen",
        "keys read their label, not ⌫"
    );

    let before = said.count();
    k.touch("Neu beginnen");
    k.touch("Ich habe einen Termin");
    k.touch("3");
    assert_eq!(
        said.count(),
        before,
        "speech ends with the visitor: nothing more is read"
    );
}

#[test]
fn labels_are_read_in_the_visitors_language() {
    let k = Kiosk::start(Arc::new(Fake::new()));
    let said = Recorder::default();
    k.app.set_speech_sink(Box::new(said.clone()));
    k.touch("Vorlesen");
    k.touch("العربية");
    let (text, lang) = said.last().unwrap();
    assert_eq!(lang, Lang::Ar);
    assert!(text.starts_with("العربية. "), "{text}");
    k.touch("خذ رقمًا");
    let (text, _) = said.last().unwrap();
    assert!(text.starts_with("خذ رقمًا. "), "{text}");
}
