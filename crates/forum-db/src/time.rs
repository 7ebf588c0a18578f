//! Timestamps stored as naive UTC, truncated to microseconds so both backends read back the same value.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, SubsecRound, Utc};

/// The current UTC time at the precision both backends keep.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// The latest time ever stored: four-digit years keep SQLite's text timestamps in order.
fn latest() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .unwrap_or_default()
}

/// `at + d`, saturating at the year 9999, so a lease or backoff too long to represent means
/// "never" instead of overflowing.
pub fn plus(at: NaiveDateTime, d: Duration) -> NaiveDateTime {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| at.checked_add_signed(d))
        .map_or_else(latest, |t| t.min(latest()))
}

/// `at - d`, saturating at the Unix epoch, so a retention too long to represent keeps
/// everything.
pub fn minus(at: NaiveDateTime, d: Duration) -> NaiveDateTime {
    let epoch = NaiveDateTime::default();
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| at.checked_sub_signed(d))
        .map_or(epoch, |t| t.max(epoch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_instead_of_overflowing() {
        let t = now();
        assert_eq!(plus(t, Duration::MAX), latest());
        assert_eq!(minus(t, Duration::MAX), NaiveDateTime::default());
        assert_eq!(
            plus(t, Duration::from_secs(60)) - t,
            chrono::Duration::seconds(60)
        );
        assert_eq!(
            t - minus(t, Duration::from_secs(60)),
            chrono::Duration::seconds(60)
        );
    }
}
