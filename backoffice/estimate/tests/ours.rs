//! Behaviour of our estimator on small hand-made queues.

use queue_estimate::*;

fn snapshot(counters: usize, n: u64) -> QueueSnapshot {
    QueueSnapshot {
        now: 36_000,
        waiting: (0..n)
            .map(|i| WaitingTicket {
                id: TicketId(i),
                service: ServiceId(1),
                arrived_at: 30_000 + i as Seconds,
                appointment_at: None,
            })
            .collect(),
        counters: vec![StaffedCounter::default(); counters],
        booked: Vec::new(),
        services: vec![ServiceConfig {
            service: ServiceId(1),
            average: 600,
        }],
        time_of_day: None,
    }
}

#[test]
fn learned_times_replace_configured_ones() {
    let s = snapshot(1, 3);
    let mut ours = OurEstimator::default();
    let before = ours.estimate(&s);
    for _ in 0..60 {
        ours.record_processing(ServiceId(1), 1200);
    }
    let after = ours.estimate(&s);
    assert_eq!(before[0].high_minutes, 0);
    // Third in line behind two visits of ~20 minutes on one counter.
    assert!(
        after[2].midpoint() > 35.0 && after[2].midpoint() < 41.0,
        "{after:?}"
    );
    assert!(after[2].midpoint() > before[2].midpoint());
}

#[test]
fn busy_counters_delay_the_first_in_line() {
    let mut s = snapshot(2, 1);
    for c in &mut s.counters {
        c.serving = Some(InService {
            service: ServiceId(1),
            since: s.now - 60,
        });
    }
    let ours = OurEstimator::default();
    let e = ours.estimate(&s);
    assert!(e[0].low_minutes >= 1 && e[0].high_minutes >= 5, "{e:?}");
}

#[test]
fn booked_appointment_goes_ahead_when_due() {
    let mut s = snapshot(1, 2);
    s.booked.push(BookedAppointment {
        service: ServiceId(1),
        at: s.now + 60,
    });
    let none_show = {
        let mut o = OurEstimator::default();
        for _ in 0..1000 {
            o.record_appointment(false);
        }
        o
    };
    let all_show = {
        let mut o = OurEstimator::default();
        for _ in 0..1000 {
            o.record_appointment(true);
        }
        o
    };
    let a = none_show.estimate(&s);
    let b = all_show.estimate(&s);
    assert_eq!(a[0].position, 0);
    assert!(b[1].midpoint() > a[1].midpoint() + 5.0, "{a:?} {b:?}");
}

#[test]
fn usual_staffing_pattern_is_applied() {
    let mut s = snapshot(1, 6);
    s.time_of_day = Some(9 * 3600 + 1800);
    let plain = OurEstimator::default();
    let mut learned = OurEstimator::default();
    // Every day one counter until 09:45, three from then on.
    for _ in 0..30 {
        for m in (8 * 60..16 * 60).step_by(5) {
            learned.record_staffing(m * 60, if m < 9 * 60 + 45 { 1 } else { 3 });
        }
    }
    let a = plain.estimate(&s);
    let b = learned.estimate(&s);
    assert_eq!(a.len(), 6);
    assert!(b[5].midpoint() + 15.0 < a[5].midpoint(), "{a:?} {b:?}");
    // Without a time of day the pattern cannot be used.
    s.time_of_day = None;
    assert_eq!(learned.estimate(&s), a);
}
