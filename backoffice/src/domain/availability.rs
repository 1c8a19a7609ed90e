//! Whether a service takes walk-in visitors at a given moment, and if not, why and when next.

use jiff::Zoned;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::office::{OfficeRules, OpeningHours, ServiceRules};

/// The walk-in state of a service at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    Open,
    Closed,
    QuotaExhausted,
    WalkInNotToday,
}

/// Why a service is not open, for the visitor's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    OfficeClosedToday,
    OutsideOpeningHours,
    ClosedToday,
    OutsideWalkInHours,
    QuotaExhausted,
    AppointmentsOnlyToday,
}

/// The state, the reason, and the next local date-time walk-ins are taken again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub state: ServiceState,
    pub reason: Option<ClosedReason>,
    pub next_opening: Option<DateTime>,
}

/// Decides a service's walk-in state at `now` (office-local), given the walk-in tickets
/// already issued today.
pub fn walk_in_availability(
    office: &OfficeRules,
    service: &ServiceRules,
    now: &Zoned,
    issued_today: u32,
) -> Availability {
    let local = now.datetime();
    let today = local.date();
    let closed = |state, reason, from: DateTime| Availability {
        state,
        reason: Some(reason),
        next_opening: next_window(office, &service.walk_in.hours, from),
    };
    let tomorrow = today
        .tomorrow()
        .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(local);
    if office.closing_days.contains(&today) {
        return closed(
            ServiceState::Closed,
            ClosedReason::OfficeClosedToday,
            tomorrow,
        );
    }
    if service.closed_today {
        return closed(ServiceState::Closed, ClosedReason::ClosedToday, tomorrow);
    }
    let walk_in_today = service.walk_in.hours.on(today.weekday());
    if walk_in_today.is_empty() {
        return closed(
            ServiceState::WalkInNotToday,
            ClosedReason::AppointmentsOnlyToday,
            tomorrow,
        );
    }
    if !office
        .hours
        .on(today.weekday())
        .iter()
        .any(|r| r.contains(local.time()))
    {
        return closed(
            ServiceState::Closed,
            ClosedReason::OutsideOpeningHours,
            local,
        );
    }
    if !walk_in_today.iter().any(|r| r.contains(local.time())) {
        return closed(
            ServiceState::Closed,
            ClosedReason::OutsideWalkInHours,
            local,
        );
    }
    if service
        .walk_in
        .daily_quota
        .is_some_and(|q| issued_today >= q)
    {
        return closed(
            ServiceState::QuotaExhausted,
            ClosedReason::QuotaExhausted,
            tomorrow,
        );
    }
    Availability {
        state: ServiceState::Open,
        reason: None,
        next_opening: None,
    }
}

/// The first start of a walk-in window at or after `from`, within two weeks, skipping closing
/// days.
fn next_window(office: &OfficeRules, hours: &OpeningHours, from: DateTime) -> Option<DateTime> {
    let mut day: Date = from.date();
    for _ in 0..14 {
        if !office.closing_days.contains(&day) {
            let mut starts: Vec<_> = hours
                .on(day.weekday())
                .iter()
                .map(|r| day.to_datetime(r.from))
                .filter(|start| *start > from)
                .collect();
            starts.sort();
            if let Some(first) = starts.first() {
                return Some(*first);
            }
        }
        day = day.tomorrow().ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::office::{TimeRange, WalkInRules};
    use jiff::civil::{Weekday, date};

    fn office() -> OfficeRules {
        OfficeRules {
            hours: OpeningHours::weekdays(&[TimeRange::new((8, 0), (18, 0))]),
            closing_days: vec![date(2026, 12, 24)],
            max_calls: 3,
            checkin_early_minutes: 30,
            checkin_late_minutes: 15,
            traffic_light: [10, 20],
        }
    }

    fn service() -> ServiceRules {
        ServiceRules {
            walk_in: WalkInRules {
                hours: OpeningHours::weekdays(&[TimeRange::new((8, 0), (12, 0))])
                    .set(Weekday::Wednesday, &[]),
                daily_quota: Some(40),
            },
            closed_today: false,
        }
    }

    fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> Zoned {
        date(y, m, d)
            .at(h, min, 0, 0)
            .in_tz("Europe/Berlin")
            .unwrap()
    }

    #[test]
    fn open_in_the_walk_in_window() {
        let a = walk_in_availability(&office(), &service(), &at(2026, 11, 26, 9, 0), 3);
        assert_eq!(a.state, ServiceState::Open);
    }

    #[test]
    fn afternoon_says_tomorrow_morning() {
        let a = walk_in_availability(&office(), &service(), &at(2026, 11, 26, 14, 0), 3);
        assert_eq!(a.reason, Some(ClosedReason::OutsideWalkInHours));
        assert_eq!(a.next_opening, Some(date(2026, 11, 27).at(8, 0, 0, 0)));
    }

    #[test]
    fn quota_full_points_to_the_next_walk_in_day() {
        let a = walk_in_availability(&office(), &service(), &at(2026, 11, 27, 9, 0), 40);
        assert_eq!(a.state, ServiceState::QuotaExhausted);
        // Friday → Saturday and Sunday closed → Monday.
        assert_eq!(a.next_opening, Some(date(2026, 11, 30).at(8, 0, 0, 0)));
    }

    #[test]
    fn appointments_only_on_wednesday() {
        let a = walk_in_availability(&office(), &service(), &at(2026, 11, 25, 9, 0), 0);
        assert_eq!(a.state, ServiceState::WalkInNotToday);
        assert_eq!(a.next_opening, Some(date(2026, 11, 26).at(8, 0, 0, 0)));
    }

    #[test]
    fn closing_day_is_skipped() {
        let a = walk_in_availability(&office(), &service(), &at(2026, 12, 23, 13, 0), 0);
        assert_eq!(a.next_opening, Some(date(2026, 12, 25).at(8, 0, 0, 0)));
        let a = walk_in_availability(&office(), &service(), &at(2026, 12, 24, 9, 0), 0);
        assert_eq!(a.reason, Some(ClosedReason::OfficeClosedToday));
    }
}
