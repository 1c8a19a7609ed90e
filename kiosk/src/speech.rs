//! Spoken guidance: reads the current screen aloud through espeak-ng (for a headset) when the
//! visitor switched it on. The text comes from the screens' own translations.

use std::process::{Child, Command, Stdio};

use crate::flow::Lang;

/// Speaks one text at a time; a new text interrupts the previous one.
#[derive(Debug, Default)]
pub struct Speaker {
    current: Option<Child>,
    last: String,
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

impl Speaker {
    /// Reads `text` unless it is what was read last.
    pub fn say(&mut self, text: &str, lang: Lang) {
        if text == self.last {
            return;
        }
        self.stop();
        self.last = text.to_owned();
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

    /// Stops reading and forgets the last text.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.current.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.last.clear();
    }
}

impl Drop for Speaker {
    fn drop(&mut self) {
        self.stop();
    }
}
