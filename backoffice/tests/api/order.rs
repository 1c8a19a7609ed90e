//! The call order is one rule in two forms: people ahead counted in SQL (`store::order`) agree
//! with the order `domain::order::call_order` gives in memory, for any mix of walk-ins, due and
//! not-yet-due appointments, on SQLite and PostgreSQL.

use backoffice::domain::Origin;
use backoffice::domain::order::{APPOINTMENT_DUE_EARLY_MS, Queued, call_order};
use backoffice::store::issuing::{NewTicket, Numbering};

use crate::harness::Harness;

pub async fn people_ahead_in_sql_match_the_call_order(h: &Harness) {
    let db = &h.server.state.db;
    let day = "2026-11-26";
    let now = 1_800_000_000_000_i64;
    let minute = 60_000;
    // (queued minutes before now, appointment minutes from now)
    let mix: [(i64, Option<i64>); 10] = [
        (30, None),
        (25, Some(-10)),
        (20, None),
        (20, Some(1)),
        (15, Some(2)),
        (12, Some(3)),
        (10, Some(-1)),
        (5, None),
        (2, Some(45)),
        (1, None),
    ];
    for (i, (queued, appointment)) in mix.iter().enumerate() {
        let origin = if appointment.is_some() {
            Origin::Appointment
        } else {
            Origin::WalkIn
        };
        db.issue_ticket(NewTicket {
            office_id: "sb-mitte".into(),
            day: day.into(),
            service_id: "anmeldung".into(),
            origin,
            numbering: Numbering::Fixed {
                prefix: 'O',
                number: u32::try_from(i + 1).unwrap(),
            },
            appointment: None,
            terminal_id: None,
            request_key: None,
            quota: None,
            now: now - queued * minute,
            queued_at: now - queued * minute,
            placement: None,
            answer: None,
            public_token: backoffice::store::issuing::new_token(),
        })
        .await
        .unwrap();
        if let Some(at) = appointment {
            sqlx::query("UPDATE tickets SET appointment_at = $1 WHERE display_number = $2")
                .bind(now + at * minute)
                .bind(format!("O{:03}", i + 1))
                .execute(db.write())
                .await
                .unwrap();
        }
    }
    let keys = db.live_keys("sb-mitte", day).await.unwrap();
    assert_eq!(keys.len(), mix.len());
    for at in [
        now,
        now + APPOINTMENT_DUE_EARLY_MS,
        now + 3 * minute,
        now + 50 * minute,
    ] {
        let order = call_order(keys.iter(), at);
        for (place, key) in order.iter().enumerate() {
            let ahead = db
                .waiting_ahead("sb-mitte", day, key.key(), at)
                .await
                .unwrap();
            assert_eq!(ahead as usize, place, "ticket {} at {at}", key.id);
        }
    }
}

crate::both_backends!(people_ahead_in_sql_match_the_call_order);
