//! The sanctions ladder: a graduated, transparent answer to a member who breaks the
//! guidelines, from a warning to a suspension, each step with a clause, a reason, a duration
//! and an appeal. Pure functions over the member's history, tested without a database: what
//! step comes next, whether a step and duration are valid, and what the active sanctions
//! restrict. Shadow mode is not a step: it is for spam accounts, applied directly.

use chrono::{Duration, NaiveDateTime};

/// A kind of sanction, mildest first (the ladder's order), then shadow mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SanctionKind {
    /// A notice, nothing restricted.
    Warning,
    /// A minimum interval between the member's posts.
    Cooldown,
    /// The troll de-reinforcement: posts earn no reputation, bump nothing, notify nobody and
    /// are collapsed for others.
    ReducedReach,
    /// Every post waits for a moderator.
    Premoderation,
    /// Read only.
    Silence,
    /// Cannot sign in; sessions and API tokens refused.
    Suspension,
    /// Spam accounts: posts visible to their author (and, marked, to moderators) only.
    Shadow,
}

impl SanctionKind {
    /// The ladder, mildest first (shadow mode is not on it).
    pub const LADDER: [SanctionKind; 6] = [
        SanctionKind::Warning,
        SanctionKind::Cooldown,
        SanctionKind::ReducedReach,
        SanctionKind::Premoderation,
        SanctionKind::Silence,
        SanctionKind::Suspension,
    ];

    /// The stored and API name.
    pub fn name(self) -> &'static str {
        match self {
            SanctionKind::Warning => "warning",
            SanctionKind::Cooldown => "cooldown",
            SanctionKind::ReducedReach => "reduced_reach",
            SanctionKind::Premoderation => "premoderation",
            SanctionKind::Silence => "silence",
            SanctionKind::Suspension => "suspension",
            SanctionKind::Shadow => "shadow",
        }
    }

    /// The kind with this name.
    pub fn parse(name: &str) -> Option<SanctionKind> {
        Self::LADDER
            .into_iter()
            .chain([SanctionKind::Shadow])
            .find(|k| k.name() == name)
    }

    /// The duration a moderator starts from, in days (a warning has none).
    pub fn default_days(self) -> Option<u32> {
        match self {
            SanctionKind::Warning => None,
            SanctionKind::Cooldown => Some(3),
            SanctionKind::ReducedReach => Some(14),
            SanctionKind::Premoderation => Some(14),
            SanctionKind::Silence => Some(7),
            SanctionKind::Suspension => Some(30),
            SanctionKind::Shadow => Some(365),
        }
    }
}

/// Longest sanction, in days.
pub const MAX_DAYS: i64 = 3650;
/// How long a sanction counts towards the next step after it was issued.
pub const MEMORY: Duration = Duration::days(180);

/// A sanction the member received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Past {
    pub kind: SanctionKind,
    pub issued_at: NaiveDateTime,
    /// When it ends (None: a warning, or until lifted).
    pub ends_at: Option<NaiveDateTime>,
    /// Lifted early, or overturned on appeal: it no longer restricts, and an overturned one
    /// does not count towards the next step.
    pub lifted: bool,
    pub overturned: bool,
}

impl Past {
    /// Whether it restricts the member at `now`.
    pub fn active(&self, now: NaiveDateTime) -> bool {
        !self.lifted && !self.overturned && self.ends_at.is_some_and(|end| end > now)
    }
}

/// The step the ladder suggests after `history`: one above the most severe sanction issued in
/// the last 180 days and not overturned; a warning first; a suspension stays a suspension.
pub fn next_step(history: &[Past], now: NaiveDateTime) -> SanctionKind {
    let worst = history
        .iter()
        .filter(|p| !p.overturned && p.kind != SanctionKind::Shadow)
        .filter(|p| now - p.issued_at <= MEMORY)
        .map(|p| p.kind)
        .max();
    match worst {
        None => SanctionKind::Warning,
        Some(kind) => {
            let at = SanctionKind::LADDER
                .iter()
                .position(|k| *k == kind)
                .unwrap_or(0);
            SanctionKind::LADDER[(at + 1).min(SanctionKind::LADDER.len() - 1)]
        }
    }
}

/// Why a sanction was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SanctionInputError {
    #[error("unknown sanction kind; use one of warning, cooldown, reduced_reach, premoderation, silence, suspension, shadow")]
    UnknownKind,
    #[error("the duration must be between 1 and {MAX_DAYS} days")]
    BadDuration,
}

/// The kind and duration asked for, checked: a warning takes no duration (any given is
/// ignored); any other needs 1 to `MAX_DAYS` days (its default when none is given).
pub fn validate(
    kind: &str,
    days: Option<i64>,
) -> Result<(SanctionKind, Option<Duration>), SanctionInputError> {
    let kind = SanctionKind::parse(kind).ok_or(SanctionInputError::UnknownKind)?;
    if kind == SanctionKind::Warning {
        return Ok((kind, None));
    }
    let days = days.or(kind.default_days().map(i64::from)).unwrap_or(1);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(SanctionInputError::BadDuration);
    }
    Ok((kind, Some(Duration::days(days))))
}

/// What the member's active sanctions restrict now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Restrictions {
    /// Seconds the member must wait between posts.
    pub cooldown_secs: Option<u64>,
    pub reduced_reach: bool,
    pub premoderated: bool,
    pub silenced: bool,
    pub suspended: bool,
    pub shadowed: bool,
}

/// Seconds between posts under a cool-down.
pub const COOLDOWN_SECS: u64 = 600;

/// The restrictions of the sanctions active at `now`.
pub fn restrictions(history: &[Past], now: NaiveDateTime) -> Restrictions {
    let mut r = Restrictions::default();
    for p in history.iter().filter(|p| p.active(now)) {
        match p.kind {
            SanctionKind::Warning => {}
            SanctionKind::Cooldown => r.cooldown_secs = Some(COOLDOWN_SECS),
            SanctionKind::ReducedReach => r.reduced_reach = true,
            SanctionKind::Premoderation => r.premoderated = true,
            SanctionKind::Silence => r.silenced = true,
            SanctionKind::Suspension => r.suspended = true,
            SanctionKind::Shadow => r.shadowed = true,
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(n: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t + Duration::days(i64::from(n)))
            .expect("a date")
    }

    fn past(kind: SanctionKind, issued: u32, days: Option<i64>) -> Past {
        Past {
            kind,
            issued_at: day(issued),
            ends_at: days.map(|d| day(issued) + Duration::days(d)),
            lifted: false,
            overturned: false,
        }
    }

    #[test]
    fn the_ladder_climbs_one_step_at_a_time_and_forgets_after_six_months() {
        use SanctionKind::*;
        assert_eq!(next_step(&[], day(0)), Warning);
        let mut history = vec![past(Warning, 0, None)];
        assert_eq!(next_step(&history, day(1)), Cooldown);
        history.push(past(Cooldown, 2, Some(3)));
        assert_eq!(next_step(&history, day(10)), ReducedReach);
        history.push(past(Suspension, 20, Some(30)));
        assert_eq!(
            next_step(&history, day(60)),
            Suspension,
            "the top stays the top"
        );
        assert_eq!(
            next_step(&history, day(20 + 181)),
            Warning,
            "forgotten after 180 days"
        );
        let mut overturned = past(Silence, 5, Some(7));
        overturned.overturned = true;
        assert_eq!(
            next_step(&[overturned], day(6)),
            Warning,
            "an overturned one does not count"
        );
        assert_eq!(next_step(&[past(Shadow, 1, Some(30))], day(2)), Warning);
    }

    #[test]
    fn kinds_and_durations_are_checked() {
        assert_eq!(
            validate("warning", Some(-5)),
            Ok((SanctionKind::Warning, None))
        );
        assert_eq!(
            validate("silence", None),
            Ok((SanctionKind::Silence, Some(Duration::days(7))))
        );
        assert_eq!(
            validate("silence", Some(0)),
            Err(SanctionInputError::BadDuration)
        );
        assert_eq!(
            validate("silence", Some(-1)),
            Err(SanctionInputError::BadDuration)
        );
        assert_eq!(
            validate("banish", Some(3)),
            Err(SanctionInputError::UnknownKind)
        );
        for k in SanctionKind::LADDER {
            assert_eq!(SanctionKind::parse(k.name()), Some(k));
        }
    }

    #[test]
    fn active_sanctions_restrict_until_they_end_or_are_lifted() {
        let mut cool = past(SanctionKind::Cooldown, 0, Some(3));
        let silence = past(SanctionKind::Silence, 0, Some(7));
        let r = restrictions(&[cool, silence], day(1));
        assert_eq!(r.cooldown_secs, Some(COOLDOWN_SECS));
        assert!(r.silenced && !r.suspended);
        assert_eq!(
            restrictions(&[cool, silence], day(4)).cooldown_secs,
            None,
            "expired"
        );
        cool.lifted = true;
        assert_eq!(restrictions(&[cool], day(1)), Restrictions::default());
        assert_eq!(
            restrictions(&[past(SanctionKind::Warning, 0, None)], day(0)),
            Restrictions::default()
        );
    }
}
