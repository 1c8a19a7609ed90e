//! Office and service rules: opening hours per weekday, closing days, walk-in windows, quotas.

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

/// A time range within one day, local time, `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimeRange {
    #[schema(value_type = String, example = "08:00")]
    pub from: Time,
    #[schema(value_type = String, example = "12:00")]
    pub until: Time,
}

impl TimeRange {
    pub fn new(from: (i8, i8), until: (i8, i8)) -> Self {
        Self {
            from: Time::constant(from.0, from.1, 0, 0),
            until: Time::constant(until.0, until.1, 0, 0),
        }
    }

    pub fn contains(&self, t: Time) -> bool {
        self.from <= t && t < self.until
    }
}

/// Ranges per weekday, Monday first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpeningHours(pub [Vec<TimeRange>; 7]);

impl OpeningHours {
    pub fn on(&self, day: Weekday) -> &[TimeRange] {
        &self.0[day.to_monday_zero_offset() as usize]
    }

    /// The same ranges on Monday to Friday, closed at the weekend.
    pub fn weekdays(ranges: &[TimeRange]) -> Self {
        let mut h: [Vec<TimeRange>; 7] = Default::default();
        for d in h.iter_mut().take(5) {
            *d = ranges.to_vec();
        }
        Self(h)
    }

    pub fn set(mut self, day: Weekday, ranges: &[TimeRange]) -> Self {
        self.0[day.to_monday_zero_offset() as usize] = ranges.to_vec();
        self
    }
}

/// Rules of an office as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeRules {
    pub hours: OpeningHours,
    /// Days the office is closed (holidays).
    pub closing_days: Vec<Date>,
    /// After this many calls without the visitor turning up, a recall makes a no-show.
    pub max_calls: u32,
    /// Check-in accepted from this many minutes before the appointment …
    pub checkin_early_minutes: i64,
    /// … until this many minutes after it.
    pub checkin_late_minutes: i64,
    /// Traffic-light thresholds by number waiting: green up to the first, yellow up to the
    /// second, red above.
    pub traffic_light: [u32; 2],
}

/// When a service takes walk-ins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WalkInRules {
    /// Walk-in windows per weekday; an empty day means appointments only that day.
    pub hours: OpeningHours,
    /// Walk-in tickets per day; `None` for no limit.
    pub daily_quota: Option<u32>,
}

/// Rules of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRules {
    pub walk_in: WalkInRules,
    /// Closed today by a supervisor (e.g. staff shortage), with the reason shown to visitors.
    pub closed_today: bool,
}
