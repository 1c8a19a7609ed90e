//! The terminal API's routes and the `Idempotency-Key` header every POST carries.

/// The office's services with their state now (GET).
pub const SERVICES: &str = "/api/v1/terminal/services";
/// Check-in with booking number and code (POST).
pub const CHECK_IN: &str = "/api/v1/terminal/check-in";
/// A walk-in number (POST).
pub const WALK_IN: &str = "/api/v1/terminal/walk-in";
/// Versions, device health and help requests (POST).
pub const HEARTBEAT: &str = "/api/v1/terminal/heartbeat";
/// A block of numbers for offline mode (POST).
pub const OFFLINE_BLOCK: &str = "/api/v1/terminal/offline-block";
/// Tickets printed offline (POST).
pub const OFFLINE_TICKETS: &str = "/api/v1/terminal/offline-tickets";

/// The header that makes a terminal POST idempotent: a retry sends the same key and gets the
/// first answer.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Shortest key.
pub const IDEMPOTENCY_KEY_MIN: usize = 8;
/// Longest key.
pub const IDEMPOTENCY_KEY_MAX: usize = 100;
/// The key's pattern: visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{8,100}$";

/// Whether `key` is a valid idempotency key.
pub fn valid_idempotency_key(key: &str) -> bool {
    (IDEMPOTENCY_KEY_MIN..=IDEMPOTENCY_KEY_MAX).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    #[test]
    fn idempotency_keys() {
        assert!(super::valid_idempotency_key("0123456789abcdef"));
        assert!(!super::valid_idempotency_key("short"));
        assert!(!super::valid_idempotency_key("with space in it"));
        assert!(!super::valid_idempotency_key(&"x".repeat(101)));
    }
}
