//! Properties every estimator must keep: non-negative ranges, low ≤ high, one estimate per
//! waiting ticket, and for one service no later walk-in expected before an earlier one.

use proptest::prelude::*;
use queue_estimate::*;

fn snapshot() -> impl Strategy<Value = QueueSnapshot> {
    (
        1usize..14,
        0usize..5,
        60i64..1800,
        prop::collection::vec(any::<Option<u16>>(), 0..5),
        prop::collection::vec(0i64..7200, 0..4),
        prop::option::of(0i64..86_400),
    )
        .prop_map(|(n, counters, average, busy, booked, tod)| {
            let now = 50_000;
            QueueSnapshot {
                now,
                waiting: (0..n)
                    .map(|i| WaitingTicket {
                        id: TicketId(i as u64 + 1),
                        service: ServiceId(1),
                        arrived_at: now - 3000 + 60 * i as Seconds,
                        appointment_at: None,
                    })
                    .collect(),
                counters: (0..counters)
                    .map(|c| StaffedCounter {
                        serving: busy.get(c).copied().flatten().map(|s| InService {
                            service: ServiceId(1),
                            since: now - Seconds::from(s % 3600),
                        }),
                        services: None,
                    })
                    .collect(),
                booked: booked
                    .into_iter()
                    .map(|d| BookedAppointment {
                        service: ServiceId(1),
                        at: now - 600 + d,
                    })
                    .collect(),
                services: vec![ServiceConfig {
                    service: ServiceId(1),
                    average,
                }],
                time_of_day: tod,
            }
        })
}

fn trained() -> OurEstimator {
    let mut ours = OurEstimator::default();
    for d in [300, 420, 480, 540, 600, 660, 900, 1500] {
        ours.record_processing(ServiceId(1), d);
    }
    for m in (8 * 60..16 * 60).step_by(5) {
        ours.record_staffing(m * 60, if m < 12 * 60 { 3 } else { 2 });
    }
    ours
}

fn check(estimates: &[WaitEstimate], snapshot: &QueueSnapshot) -> Result<(), TestCaseError> {
    prop_assert_eq!(estimates.len(), snapshot.waiting.len());
    // Walk-ins of one service arrive in id order; estimates must not fall along that order.
    let mut by_arrival = estimates.to_vec();
    by_arrival.sort_by_key(|e| e.ticket);
    for e in &by_arrival {
        prop_assert!(e.low_minutes <= e.high_minutes, "{:?}", e);
    }
    for w in by_arrival.windows(2) {
        prop_assert!(w[0].low_minutes <= w[1].low_minutes, "{:?}", w);
        prop_assert!(w[0].high_minutes <= w[1].high_minutes, "{:?}", w);
        prop_assert!(w[0].position < w[1].position, "{:?}", w);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn zms_ranges_are_ordered_and_monotone(s in snapshot(), avg in 1u32..40) {
        let e = ZmsEstimator { average_minutes: avg }.estimate(&s);
        check(&e, &s)?;
    }

    #[test]
    fn our_ranges_are_ordered_and_monotone(s in snapshot()) {
        check(&OurEstimator::default().estimate(&s), &s)?;
        check(&trained().estimate(&s), &s)?;
    }

    #[test]
    fn our_estimate_is_deterministic(s in snapshot()) {
        let ours = trained();
        prop_assert_eq!(ours.estimate(&s), ours.estimate(&s));
    }
}
