//! Spoken guidance: when the visitor switched it on, reads the current screen and the label of
//! each touched control aloud (for a headset), through espeak-ng or any other [`SpeechSink`].
//! The texts come from the screens' own translations and accessible labels.

use std::process::{Child, Command, Stdio};

use crate::flow::Lang;

/// Where speech goes: a text-to-speech engine, or a recorder in tests.
pub trait SpeechSink {
    /// Starts reading `text` in `lang` (the caller has stopped what was playing).
    fn say(&mut self, text: &str, lang: Lang);
    /// Stops reading.
    fn stop(&mut self);
}

/// espeak-ng, one process per utterance; a new one interrupts the last.
#[derive(Debug, Default)]
pub struct Espeak {
    current: Option<Child>,
}

fn voice(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "de",
        Lang::En => "en",
        Lang::Fr => "fr",
        Lang::Tr => "tr",
        Lang::Ar => "ar",
        Lang::Uk => "uk",
    }
}

impl SpeechSink for Espeak {
    fn say(&mut self, text: &str, lang: Lang) {
        self.stop();
        match Command::new("espeak-ng")
            .args(["-v", voice(lang), "--"])
            .arg(text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => self.current = Some(child),
            Err(e) => tracing::warn!(error = %e, "spoken guidance unavailable: install espeak-ng"),
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.current.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Espeak {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Decides what to read: the touched control's label, then the screen when it changed.
pub struct Speaker {
    sink: Box<dyn SpeechSink>,
    last_screen: String,
    touched: Option<String>,
}

impl Default for Speaker {
    fn default() -> Self {
        Self::new(Box::new(Espeak::default()))
    }
}

impl std::fmt::Debug for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speaker").finish_non_exhaustive()
    }
}

impl Speaker {
    /// A speaker reading through `sink`.
    pub fn new(sink: Box<dyn SpeechSink>) -> Self {
        Self {
            sink,
            last_screen: String::new(),
            touched: None,
        }
    }

    /// A control labelled `label` was touched; it is read at the next [`update`](Self::update).
    pub fn touched(&mut self, label: &str) {
        self.touched = Some(label.to_owned());
    }

    /// Reads what is new when speech is `on`: the touched control's label, followed by the
    /// screen's text if that changed (one utterance, so the screen does not cut the label
    /// off). With speech off, stops and forgets everything.
    pub fn update(&mut self, screen: &str, lang: Lang, on: bool) {
        let touched = self.touched.take();
        if !on {
            if !self.last_screen.is_empty() {
                self.sink.stop();
                self.last_screen.clear();
            }
            return;
        }
        let screen_changed = screen != self.last_screen;
        if screen_changed {
            self.last_screen = screen.to_owned();
        }
        let utterance = match (touched, screen_changed) {
            (Some(label), true) => format!("{label}. {screen}"),
            (Some(label), false) => label,
            (None, true) => screen.to_owned(),
            (None, false) => return,
        };
        self.sink.stop();
        self.sink.say(&utterance, lang);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<String>>>);

    impl SpeechSink for Recorder {
        fn say(&mut self, text: &str, _: Lang) {
            self.0.lock().unwrap().push(text.to_owned());
        }
        fn stop(&mut self) {}
    }

    #[test]
    fn the_touched_label_comes_first_and_the_screen_only_when_it_changed() {
        let said = Recorder::default();
        let mut s = Speaker::new(Box::new(said.clone()));
        s.update("Willkommen", Lang::De, true);
        s.touched("Große Schrift");
        s.update("Willkommen", Lang::De, true);
        s.touched("Ich habe einen Termin");
        s.update("Anmelden", Lang::De, true);
        s.update("Anmelden", Lang::De, true);
        assert_eq!(
            *said.0.lock().unwrap(),
            [
                "Willkommen",
                "Große Schrift",
                "Ich habe einen Termin. Anmelden"
            ]
        );
    }

    #[test]
    fn nothing_is_read_or_kept_while_speech_is_off() {
        let said = Recorder::default();
        let mut s = Speaker::new(Box::new(said.clone()));
        s.touched("1");
        s.update("Anmelden", Lang::De, false);
        s.update("Anmelden", Lang::De, true);
        assert_eq!(
            *said.0.lock().unwrap(),
            ["Anmelden"],
            "the digit was dropped"
        );
    }
}
