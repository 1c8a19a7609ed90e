//! The kiosk's screens (`.slint`), theme, translations and form definitions.
