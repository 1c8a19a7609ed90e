//! The call order of `domain::order` in SQL: counting the people ahead of a ticket in the
//! database (from the `tickets_queue_order` index) instead of loading the queue. The groups and
//! times are those of [`position`]; `tests/api/order.rs` checks the count against
//! [`crate::domain::order::call_order`].

use sqlx::Any;

use crate::domain::order::{QueueKey, due_until, position};

/// The parameters of [`ahead_sql`] for `key` at `now_ms`: due-until bound, group, time.
pub(super) fn ahead_params(key: &QueueKey, now_ms: i64) -> (i64, i64, i64) {
    let (group, at, _) = position(key, now_ms);
    (due_until(now_ms), group, at)
}

/// A subquery counting the waiting tickets of office `$1` and day `$2` called before a ticket:
/// [`position`] computed per row (group 0 for appointments due by the bound, ordered by their
/// time; group 1 for everyone else, by the time they joined; ties by id). Its own parameters
/// start at `$first`: due-until bound, group, time, id.
pub(super) fn ahead_sql(first: usize) -> String {
    let (due, group, at, id) = (first, first + 1, first + 2, first + 3);
    format!(
        "(SELECT COUNT(*) FROM (SELECT id, \
           CASE WHEN appointment_at <= ${due} THEN 0 ELSE 1 END AS g, \
           CASE WHEN appointment_at <= ${due} THEN appointment_at ELSE queued_at END AS s \
           FROM tickets WHERE office_id = $1 AND day = $2 AND live = 1 \
           AND status IN ('waiting', 'forwarded')) q \
         WHERE g < ${group} OR (g = ${group} AND (s < ${at} OR (s = ${at} AND id < ${id}))))"
    )
}

/// Counts the waiting tickets called before `key` (see [`ahead_sql`]).
pub(super) fn ahead_query<'q>(
    office_id: &'q str,
    day: &'q str,
    key: QueueKey,
    now_ms: i64,
) -> sqlx::query::QueryAs<'q, Any, (i64,), sqlx::any::AnyArguments<'q>> {
    let (due_until, group, at) = ahead_params(&key, now_ms);
    // Built once per query text; sqlx caches the prepared statement by its text.
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| format!("SELECT {}", ahead_sql(3)));
    sqlx::query_as(sql)
        .bind(office_id)
        .bind(day)
        .bind(due_until)
        .bind(group)
        .bind(at)
        .bind(key.id)
}
