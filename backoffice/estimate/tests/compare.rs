//! The claim of this crate: on simulated office days our estimator beats the ZMS baseline.

use queue_estimate::sim::{Office, compare};

#[test]
fn ours_has_lower_error_than_zms_on_simulated_days() {
    let c = compare(&Office::default(), 12, 7);
    assert!(c.tickets > 1000, "{c:?}");
    assert_eq!(c.unserved, 0, "{c:?}");
    assert!(
        c.ours.mae_minutes < c.zms.mae_minutes,
        "ours {:.2} min, ZMS {:.2} min",
        c.ours.mae_minutes,
        c.zms.mae_minutes
    );
    assert!(
        c.ours.mae_walk_in_minutes < c.zms.mae_walk_in_minutes,
        "{c:?}"
    );
}

#[test]
fn simulation_is_deterministic() {
    let office = Office::default();
    assert_eq!(compare(&office, 2, 3), compare(&office, 2, 3));
    assert_ne!(compare(&office, 2, 3), compare(&office, 2, 4));
}
