//! The wait ranges of an office's last estimate as a value: by people ahead, and beyond the
//! last estimated visitor one average visit per person more. Handed to whoever places a new
//! ticket (the store, while issuing) as data.

use std::sync::Arc;

/// Wait ranges (minutes, low and high) by people ahead.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitCurve {
    by_position: Arc<[(u32, u32)]>,
    /// People ahead, low and high of the last estimated visitor.
    tail: (u32, u32, u32),
    /// Minutes one more visitor adds behind the tail (average work ÷ counters).
    step_minutes: f64,
}

impl WaitCurve {
    /// From the estimated ranges ordered by people ahead, the last visitor's estimate and
    /// the minutes each further visitor adds.
    pub fn new(by_position: Vec<(u32, u32)>, tail: (u32, u32, u32), step_minutes: f64) -> Self {
        Self {
            by_position: by_position.into(),
            tail,
            step_minutes,
        }
    }

    /// The range for a visitor with `ahead` people before them.
    pub fn range(&self, ahead: u32) -> (u32, u32) {
        if let Some(&range) = self.by_position.get(ahead as usize) {
            return range;
        }
        let (_, low, high) = self.behind_tail(ahead.saturating_sub(self.tail.0));
        (low, high)
    }

    /// People ahead and range of the visitor `behind` places behind the last estimated one.
    pub fn behind_tail(&self, behind: u32) -> (u32, u32, u32) {
        let add = (f64::from(behind) * self.step_minutes).round() as u32;
        (self.tail.0 + behind, self.tail.1 + add, self.tail.2 + add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_places_then_one_visit_more_per_person() {
        let c = WaitCurve::new(vec![(0, 0), (5, 10), (10, 20)], (2, 10, 20), 7.5);
        assert_eq!(c.range(1), (5, 10));
        assert_eq!(c.range(3), (18, 28));
        assert_eq!(c.range(4), (25, 35));
    }
}
