//! The kiosk's Slint screens: one adapter global per screen, a theme global, bundled translations.

slint::include_modules!();
