//! Timestamps stored as naive UTC, truncated to microseconds so both backends read back the same value.

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// The current UTC time at the precision both backends keep.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
