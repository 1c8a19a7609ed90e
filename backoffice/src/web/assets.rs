//! The pages' files, embedded in the binary at build time, and the generated sounds.

use std::sync::LazyLock;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

pub const CONSOLE_HTML: &str = include_str!("static/console.html");
pub const DISPLAY_HTML: &str = include_str!("static/display.html");
pub const PHONE_HTML: &str = include_str!("static/phone.html");

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// Static files by name: content type and body.
const FILES: &[(&str, &str, &str)] = &[
    ("common.css", CSS, include_str!("static/common.css")),
    ("console.css", CSS, include_str!("static/console.css")),
    ("display.css", CSS, include_str!("static/display.css")),
    ("phone.css", CSS, include_str!("static/phone.css")),
    ("i18n.js", JS, include_str!("static/i18n.js")),
    ("api.js", JS, include_str!("static/api.js")),
    ("console.js", JS, include_str!("static/console.js")),
    (
        "console-panels.js",
        JS,
        include_str!("static/console-panels.js"),
    ),
    (
        "console-settings.js",
        JS,
        include_str!("static/console-settings.js"),
    ),
    ("display.js", JS, include_str!("static/display.js")),
    ("phone.js", JS, include_str!("static/phone.js")),
];

/// The visitor's texts of the phone page and the call display, from the catalogs the kiosk's
/// screens and paper tickets use (`visitor-texts`): `window.BT_TEXTS = {phone, display}`.
static VISITOR_TEXTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "\"use strict\";\nwindow.BT_TEXTS = {{\"phone\":{},\"display\":{}}};\n",
        visitor_texts::json(visitor_texts::PHONE),
        visitor_texts::json(visitor_texts::DISPLAY)
    )
});

static CHIME: LazyLock<Vec<u8>> = LazyLock::new(super::sound::chime);
static ALERT: LazyLock<Vec<u8>> = LazyLock::new(super::sound::alert);

/// An HTML page; never cached, so a new release shows at once.
pub fn page(html: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// A static asset by file name, or `None`.
pub fn asset(name: &str) -> Option<Response> {
    let cache = (CACHE_CONTROL, "no-cache");
    match name {
        "chime.wav" => {
            Some(([(CONTENT_TYPE, "audio/wav"), cache], CHIME.as_slice()).into_response())
        }
        "alert.wav" => {
            Some(([(CONTENT_TYPE, "audio/wav"), cache], ALERT.as_slice()).into_response())
        }
        "visitor-texts.js" => {
            Some(([(CONTENT_TYPE, JS), cache], VISITOR_TEXTS.as_str()).into_response())
        }
        _ => FILES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, kind, body)| ([(CONTENT_TYPE, *kind), cache], *body).into_response()),
    }
}
