//! Where « today » comes from: the system clock, or a date fixed by tests and `--aujourdhui`.
//! Everything that depends on the date takes it from here, so tests and caches can key on it.

use std::sync::{Arc, RwLock};

use time::Date;

/// The source of today's date.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system clock (UTC).
    #[default]
    System,
    /// A fixed date: tests, demonstrations, replaying a past day.
    Fixed(Date),
    /// A date that can be moved on while the server runs (tests of what happens at midnight).
    Settable(Arc<RwLock<Date>>),
}

impl Clock {
    /// A clock starting on `day` that `set` can move.
    pub fn settable(day: Date) -> Clock {
        Clock::Settable(Arc::new(RwLock::new(day)))
    }

    pub fn today(&self) -> Date {
        match self {
            Clock::System => time::OffsetDateTime::now_utc().date(),
            Clock::Fixed(d) => *d,
            Clock::Settable(d) => *d.read().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a settable clock to `day` (other clocks ignore it).
    pub fn set(&self, day: Date) {
        if let Clock::Settable(d) = self {
            *d.write().unwrap_or_else(|e| e.into_inner()) = day;
        }
    }
}
