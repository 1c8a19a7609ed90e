//! The reference back office.
