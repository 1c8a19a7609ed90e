//! The database schema as ordered migrations, written once for SQLite and PostgreSQL.
//! `%ID%` becomes each backend's auto-increment primary key.

/// Migrations in order; each runs once, recorded in `schema_migrations`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_initial", INITIAL),
    ("0002_console", CONSOLE),
    ("0003_service_day_index", SERVICE_DAY_INDEX),
    ("0004_queue_order_index", QUEUE_ORDER_INDEX),
    ("0005_help_requests", HELP_REQUESTS),
];

const INITIAL: &str = r#"
CREATE TABLE offices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    timezone TEXT NOT NULL,
    rules_json TEXT NOT NULL,
    appointment_prefix TEXT NOT NULL,
    offline_prefix TEXT NOT NULL
);
CREATE TABLE service_groups (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    prefix TEXT NOT NULL,
    names_json TEXT NOT NULL,
    first_number BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    position BIGINT NOT NULL
);
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    group_id TEXT NOT NULL REFERENCES service_groups(id),
    names_json TEXT NOT NULL,
    waiting_area_json TEXT NOT NULL,
    average_minutes BIGINT NOT NULL,
    rules_json TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE TABLE counters (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE TABLE staff (
    id %ID%,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    office_id TEXT NOT NULL REFERENCES offices(id),
    password_hash TEXT NOT NULL
);
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    csrf_token TEXT NOT NULL,
    counter_id TEXT REFERENCES counters(id),
    expires_at BIGINT NOT NULL
);
CREATE TABLE appointments (
    id %ID%,
    booking_number TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL,
    office_id TEXT NOT NULL REFERENCES offices(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    starts_at BIGINT NOT NULL,
    display_name TEXT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    ticket_id BIGINT
);
CREATE TABLE tickets (
    id %ID%,
    office_id TEXT NOT NULL REFERENCES offices(id),
    day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    number BIGINT NOT NULL,
    display_number TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES services(id),
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    live BIGINT NOT NULL,
    appointment_id BIGINT,
    appointment_at BIGINT,
    terminal_id TEXT,
    request_key TEXT,
    counter_id TEXT,
    call_count BIGINT NOT NULL DEFAULT 0,
    queued_at BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    called_at BIGINT,
    started_at BIGINT,
    finished_at BIGINT,
    public_token TEXT NOT NULL UNIQUE,
    estimate_low BIGINT,
    estimate_high BIGINT
);
CREATE UNIQUE INDEX tickets_live_number ON tickets (office_id, day, display_number) WHERE live = 1;
CREATE UNIQUE INDEX tickets_request ON tickets (terminal_id, request_key) WHERE request_key IS NOT NULL;
CREATE INDEX tickets_queue ON tickets (office_id, day, live, status);
CREATE TABLE ticket_events (
    id %ID%,
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    at BIGINT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    counter_id TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);
CREATE TABLE number_counters (
    office_id TEXT NOT NULL,
    day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (office_id, day, prefix)
);
CREATE TABLE terminals (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    cert_fingerprint TEXT UNIQUE,
    last_heartbeat BIGINT,
    app_version TEXT,
    config_version TEXT,
    health_json TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE offline_blocks (
    id %ID%,
    terminal_id TEXT NOT NULL REFERENCES terminals(id),
    day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    first_number BIGINT NOT NULL,
    last_number BIGINT NOT NULL
);
CREATE TABLE idempotency (
    terminal_id TEXT NOT NULL,
    request_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    status_code BIGINT,
    body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (terminal_id, request_key)
);
"#;

/// The front desk: acknowledged help requests and terminal locks set by a supervisor.
const CONSOLE: &str = r#"
CREATE TABLE console_help_acks (
    terminal_id TEXT PRIMARY KEY REFERENCES terminals(id),
    request_detail TEXT NOT NULL,
    acked_at BIGINT NOT NULL,
    acked_by TEXT NOT NULL
);
CREATE TABLE console_terminal_locks (
    terminal_id TEXT PRIMARY KEY REFERENCES terminals(id),
    message TEXT NOT NULL,
    locked_at BIGINT NOT NULL,
    locked_by TEXT NOT NULL
);
CREATE INDEX console_ticket_events_at ON ticket_events (at);
"#;

const SERVICE_DAY_INDEX: &str = r#"
CREATE INDEX tickets_service_day ON tickets (office_id, day, service_id);
"#;

/// Everything the call order needs, so people ahead are counted from the index alone; it
/// replaces the shorter queue index (one index less to update per ticket).
const QUEUE_ORDER_INDEX: &str = r#"
CREATE INDEX tickets_queue_order ON tickets (office_id, day, live, status, appointment_at, queued_at, id);
DROP INDEX tickets_queue;
"#;

/// A visitor's help request is its own field of the heartbeat, no longer a device report:
/// device reports written before are dropped (the next heartbeat sends them again).
const HELP_REQUESTS: &str = r#"
ALTER TABLE terminals ADD COLUMN help_requested_at BIGINT;
UPDATE terminals SET health_json = '[]';
"#;
