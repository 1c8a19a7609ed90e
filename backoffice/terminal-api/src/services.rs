//! The office's service tree as a terminal shows it, with each service's walk-in state now.

use std::collections::BTreeMap;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

/// A text per language code (`de`, `en`, …); German is always there.
pub type Texts = BTreeMap<String, String>;

/// The walk-in state of a service now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    Open,
    Closed,
    QuotaExhausted,
    WalkInNotToday,
    /// A state newer than this side of the contract (shown as closed).
    #[serde(other)]
    Unknown,
}

/// Why a service takes no walk-ins now, for the visitor's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    OfficeClosedToday,
    OutsideOpeningHours,
    ClosedToday,
    OutsideWalkInHours,
    QuotaExhausted,
    AppointmentsOnlyToday,
    /// A reason newer than this side of the contract.
    #[serde(other)]
    Unknown,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceView {
    pub id: String,
    pub name: Texts,
    pub waiting_area: Texts,
    pub state: ServiceState,
    #[serde(default)]
    pub reason: Option<ClosedReason>,
    /// Office-local date-time walk-ins are taken again.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-11-27T08:00:00"))]
    pub next_opening: Option<DateTime>,
}

/// A group of services with its ticket prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupView {
    pub id: String,
    /// The letter before the group's numbers (`A` in `A017`).
    pub prefix: String,
    pub name: Texts,
    pub services: Vec<ServiceView>,
}

/// The service tree of the terminal's office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServicesResponse {
    pub office_id: String,
    pub office_name: String,
    pub office_address: String,
    pub groups: Vec<GroupView>,
}
