//! The ticket (one visit in the office) and its status machine. Illegal transitions are refused.

use serde::{Deserialize, Serialize};

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Appointment,
    WalkIn,
    /// Issued by a terminal while the back office was unreachable, uploaded later.
    Offline,
}

/// The status of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Called,
    InService,
    Parked,
    Finished,
    NoShow,
    /// Sent on to another service by a counter; waits in that service's queue.
    Forwarded,
    Cancelled,
}

/// What staff (or the system) do with a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Call,
    Recall,
    Start,
    Park,
    Unpark,
    Forward,
    NoShow,
    Finish,
    Cancel,
}

/// A transition the status machine refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a ticket that is {from:?} cannot be given the action {action:?}")]
pub struct IllegalTransition {
    pub from: TicketStatus,
    pub action: Action,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 8] = [
        Self::Waiting,
        Self::Called,
        Self::InService,
        Self::Parked,
        Self::Finished,
        Self::NoShow,
        Self::Forwarded,
        Self::Cancelled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::InService => "in_service",
            Self::Parked => "parked",
            Self::Finished => "finished",
            Self::NoShow => "no_show",
            Self::Forwarded => "forwarded",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// A live ticket still holds its display number and belongs in a queue.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::Finished | Self::NoShow | Self::Cancelled)
    }

    /// Waiting to be called (fresh or forwarded).
    pub fn is_waiting(self) -> bool {
        matches!(self, Self::Waiting | Self::Forwarded)
    }

    /// Applies `action`. `calls` is how often the ticket has been called so far and `max_calls`
    /// the office's limit: a recall beyond it turns the ticket into a no-show.
    pub fn apply(
        self,
        action: Action,
        calls: u32,
        max_calls: u32,
    ) -> Result<TicketStatus, IllegalTransition> {
        use Action as A;
        use TicketStatus as S;
        let next = match (self, action) {
            (S::Waiting | S::Forwarded, A::Call) => S::Called,
            (S::Called, A::Recall) if calls >= max_calls => S::NoShow,
            (S::Called, A::Recall) => S::Called,
            (S::Called, A::Start) => S::InService,
            (S::Called | S::InService, A::Park) => S::Parked,
            (S::Parked, A::Unpark) => S::Waiting,
            (S::Called | S::InService, A::Forward) => S::Forwarded,
            (S::Called, A::NoShow) => S::NoShow,
            (S::Called | S::InService, A::Finish) => S::Finished,
            (S::Waiting | S::Forwarded | S::Parked, A::Cancel) => S::Cancelled,
            (from, action) => return Err(IllegalTransition { from, action }),
        };
        Ok(next)
    }
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Appointment => "appointment",
            Self::WalkIn => "walk_in",
            Self::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Appointment, Self::WalkIn, Self::Offline]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// Formats a display number: the prefix letter and three digits, e.g. `A017`.
pub fn display_number(prefix: char, number: u32) -> String {
    format!("{prefix}{number:03}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ACTIONS: [Action; 9] = [
        Action::Call,
        Action::Recall,
        Action::Start,
        Action::Park,
        Action::Unpark,
        Action::Forward,
        Action::NoShow,
        Action::Finish,
        Action::Cancel,
    ];

    #[test]
    fn a_normal_visit() {
        let s = TicketStatus::Waiting;
        let s = s.apply(Action::Call, 0, 3).unwrap();
        let s = s.apply(Action::Recall, 1, 3).unwrap();
        assert_eq!(s, TicketStatus::Called);
        let s = s.apply(Action::Start, 2, 3).unwrap();
        assert_eq!(
            s.apply(Action::Finish, 2, 3).unwrap(),
            TicketStatus::Finished
        );
    }

    #[test]
    fn recall_beyond_the_limit_is_a_no_show() {
        assert_eq!(
            TicketStatus::Called.apply(Action::Recall, 3, 3).unwrap(),
            TicketStatus::NoShow
        );
    }

    #[test]
    fn finished_tickets_cannot_be_called_again() {
        let err = TicketStatus::Finished
            .apply(Action::Call, 1, 3)
            .unwrap_err();
        assert_eq!(err.from, TicketStatus::Finished);
    }

    #[test]
    fn display_numbers_have_three_digits() {
        assert_eq!(display_number('A', 17), "A017");
        assert_eq!(display_number('T', 999), "T999");
    }

    proptest! {
        /// Whatever staff press, a ticket that has left the building never comes back, and
        /// every status names itself round-trip.
        #[test]
        fn terminal_states_are_final(actions in proptest::collection::vec(0usize..9, 0..40)) {
            let mut s = TicketStatus::Waiting;
            let mut calls = 0;
            for i in actions {
                let action = ACTIONS[i];
                match s.apply(action, calls, 3) {
                    Ok(next) => {
                        prop_assert!(s.is_live(), "{s:?} moved to {next:?}");
                        if matches!(action, Action::Call | Action::Recall) { calls += 1; }
                        s = next;
                    }
                    Err(e) => prop_assert_eq!(e.from, s),
                }
                prop_assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
            }
        }
    }
}
