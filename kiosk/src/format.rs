//! Dates, times and weekdays formatted per language, in the office's time zone.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::flow::Lang;

/// The office's time zone.
pub fn office_tz() -> TimeZone {
    TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::UTC)
}

fn zoned(t: Timestamp) -> Zoned {
    t.to_zoned(office_tz())
}

/// `26.11.2026` (de, tr, uk), `26/11/2026` (en, fr, ar).
pub fn date(dt: DateTime, lang: Lang) -> String {
    let sep = match lang {
        Lang::De | Lang::Tr | Lang::Uk => '.',
        _ => '/',
    };
    format!("{:02}{sep}{:02}{sep}{}", dt.day(), dt.month(), dt.year())
}

/// `13:05` (24-hour clock in every language of the terminal).
pub fn time(dt: DateTime) -> String {
    format!("{:02}:{:02}", dt.hour(), dt.minute())
}

/// Date and time of a moment, in the office's zone.
pub fn date_time(t: Timestamp, lang: Lang) -> String {
    let dt = zoned(t).datetime();
    format!("{}  {}", date(dt, lang), time(dt))
}

/// Time of a moment today, in the office's zone.
pub fn clock(t: Timestamp) -> String {
    time(zoned(t).datetime())
}

/// Today's date in the office's zone.
pub fn today(t: Timestamp, lang: Lang) -> String {
    date(zoned(t).datetime(), lang)
}

/// A moment as the visitor needs it: the time if today, else weekday, date and time.
pub fn when(t: Timestamp, now: Timestamp, lang: Lang) -> String {
    local_when(zoned(t).datetime(), zoned(now).datetime(), lang)
}

/// An office-local date-time as the visitor needs it.
pub fn local_when(dt: DateTime, now: DateTime, lang: Lang) -> String {
    if dt.date() == now.date() {
        return time(dt);
    }
    let day = weekday(dt.date().weekday().to_monday_zero_offset(), lang);
    format!("{day} {} {}", date(dt, lang), time(dt))
}

fn weekday(monday_zero: i8, lang: Lang) -> &'static str {
    const NAMES: [[&str; 7]; 6] = [
        ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
        ["Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"],
        [
            "الاثنين",
            "الثلاثاء",
            "الأربعاء",
            "الخميس",
            "الجمعة",
            "السبت",
            "الأحد",
        ],
        ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"],
    ];
    let row = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    NAMES[row][usize::try_from(monday_zero).unwrap_or(0).min(6)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_language() {
        let dt: DateTime = "2026-11-27T08:00:00".parse().expect("valid");
        let now: DateTime = "2026-11-26T13:00:00".parse().expect("valid");
        assert_eq!(local_when(dt, now, Lang::De), "Fr 27.11.2026 08:00");
        assert_eq!(local_when(dt, now, Lang::En), "Fri 27/11/2026 08:00");
        assert_eq!(local_when(dt, now, Lang::Ar), "الجمعة 27/11/2026 08:00");
        assert_eq!(local_when(now, now, Lang::Fr), "13:00");
    }
}
