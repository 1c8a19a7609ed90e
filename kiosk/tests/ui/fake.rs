//! A fake back office with fixed answers, for outcomes the demo data cannot produce on demand
//! (closed services, throttling, an unreachable back office) and for stable screenshots.

use std::sync::Mutex;

use kiosk::backend::{BackOffice, BoxFuture, ClientError, Heartbeat};
use kiosk::flow::{
    Availability, CheckInOutcome, ClosedReason, Localized, Origin, ServiceGroup, ServiceInfo,
    ServiceTree, TicketInfo, WalkInOutcome,
};
use kiosk::offline::{Block, OfflineTicket};

/// The moment every test's screens show (a Friday morning in the office).
pub const NOW: &str = "2026-11-27T08:41:00Z";

/// `minutes` after [`NOW`].
pub fn at(minutes: i64) -> jiff::Timestamp {
    let now: jiff::Timestamp = NOW.parse().expect("a time");
    now + jiff::SignedDuration::from_mins(minutes)
}

pub struct Fake {
    pub check_in: Mutex<Option<CheckInOutcome>>,
    pub walk_in: Mutex<Option<WalkInOutcome>>,
    pub heartbeats: Mutex<Vec<Heartbeat>>,
}

fn texts(de: &str, ar: &str) -> Localized {
    let mut l = Localized::same(de);
    l.0.insert("ar".into(), ar.into());
    l
}

pub fn tree() -> ServiceTree {
    let next = Some("2026-11-27T08:00:00".parse().unwrap());
    let s = |id: &str, de: &str, ar: &str, availability| ServiceInfo {
        id: id.into(),
        name: texts(de, ar),
        waiting_area: texts(
            "Wartebereich 1, Erdgeschoss",
            "منطقة الانتظار 1، الطابق الأرضي",
        ),
        availability,
    };
    ServiceTree {
        office_name: "Bürgeramt Saarbrücken-Mitte".into(),
        office_address: "Gerberstraße 4, 66111 Saarbrücken".into(),
        groups: vec![
            ServiceGroup {
                id: "ausweise".into(),
                prefix: "A".into(),
                name: texts("Ausweise und Pässe", "بطاقات الهوية وجوازات السفر"),
                services: vec![
                    s(
                        "personalausweis",
                        "Personalausweis beantragen",
                        "طلب بطاقة هوية",
                        Availability::Open,
                    ),
                    s(
                        "reisepass",
                        "Reisepass beantragen",
                        "طلب جواز سفر",
                        Availability::Open,
                    ),
                ],
            },
            ServiceGroup {
                id: "bescheinigungen".into(),
                prefix: "C".into(),
                name: texts("Bescheinigungen", "الشهادات"),
                services: vec![
                    s(
                        "fuehrungszeugnis",
                        "Führungszeugnis",
                        "شهادة حسن السلوك",
                        Availability::QuotaExhausted { next_opening: next },
                    ),
                    s(
                        "beglaubigung",
                        "Beglaubigung",
                        "نسخة مصدقة",
                        Availability::Closed {
                            reason: ClosedReason::ClosedToday,
                            next_opening: next,
                        },
                    ),
                ],
            },
            ServiceGroup {
                id: "fahrzeuge".into(),
                prefix: "D".into(),
                name: texts("Fahrzeuge", "المركبات"),
                services: vec![s(
                    "bewohnerparken",
                    "Bewohnerparkausweis",
                    "تصريح وقوف السكان",
                    Availability::NotToday { next_opening: next },
                )],
            },
        ],
    }
}

pub fn ticket(number: &str, origin: Origin) -> TicketInfo {
    TicketInfo {
        number: number.into(),
        origin,
        office_name: "Bürgeramt Saarbrücken-Mitte".into(),
        service_id: "personalausweis".into(),
        service: texts("Personalausweis beantragen", "طلب بطاقة هوية"),
        waiting_area: texts(
            "Wartebereich 1, Erdgeschoss",
            "منطقة الانتظار 1، الطابق الأرضي",
        ),
        people_ahead: 4,
        wait_minutes: (20, 35),
        issued_at: NOW.parse().expect("a time"),
        appointment_at: (origin == Origin::Appointment)
            .then(|| "2026-11-27T08:50:00Z".parse().expect("a time")),
        status_url: "https://termine.saarbruecken.example/t/7K2M9X".into(),
    }
}

impl Fake {
    pub fn new() -> Self {
        Self {
            check_in: Mutex::new(None),
            walk_in: Mutex::new(None),
            heartbeats: Mutex::new(vec![]),
        }
    }

    pub fn answer_check_in(&self, outcome: CheckInOutcome) {
        *self.check_in.lock().unwrap() = Some(outcome);
    }

    pub fn answer_walk_in(&self, outcome: WalkInOutcome) {
        *self.walk_in.lock().unwrap() = Some(outcome);
    }
}

impl BackOffice for Fake {
    fn services(&self) -> BoxFuture<'_, Result<ServiceTree, ClientError>> {
        Box::pin(async { Ok(tree()) })
    }

    fn check_in<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
    ) -> BoxFuture<'a, Result<CheckInOutcome, ClientError>> {
        Box::pin(async {
            self.check_in
                .lock()
                .unwrap()
                .clone()
                .ok_or(ClientError::CircuitOpen)
        })
    }

    fn walk_in<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<WalkInOutcome, ClientError>> {
        Box::pin(async {
            self.walk_in
                .lock()
                .unwrap()
                .clone()
                .ok_or(ClientError::CircuitOpen)
        })
    }

    fn heartbeat<'a>(
        &'a self,
        beat: &'a Heartbeat,
    ) -> BoxFuture<'a, Result<Option<String>, ClientError>> {
        self.heartbeats.lock().unwrap().push(beat.clone());
        Box::pin(async { Ok(None) })
    }

    fn offline_block(&self, _: u32) -> BoxFuture<'_, Result<Block, ClientError>> {
        Box::pin(async { Err(ClientError::CircuitOpen) })
    }

    fn offline_tickets<'a>(
        &'a self,
        _: &'a [OfflineTicket],
    ) -> BoxFuture<'a, Result<Vec<(String, kiosk::backend::OfflineOutcome)>, ClientError>> {
        Box::pin(async { Err(ClientError::CircuitOpen) })
    }
}
