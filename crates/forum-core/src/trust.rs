//! Trust levels 0–4, derived from reputation. Tuned for a support community: a visitor who
//! registers can ask at once (TL0), and limits lift quickly as peers find their help useful.

use forum_db::types::TrustLevel;

/// Reputation needed for TL1, TL2 and TL3. TL4 is granted by staff and never derived.
pub const THRESHOLDS: [i64; 3] = [10, 100, 1000];

/// The level a member with this reputation holds; a manually granted TL4 is kept.
pub fn level_for(reputation: i64, current: TrustLevel) -> TrustLevel {
    if current >= TrustLevel::LEADER {
        return current;
    }
    let reached = THRESHOLDS.iter().filter(|t| reputation >= **t).count();
    TrustLevel(i32::try_from(reached).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::level_for;
    use forum_db::types::TrustLevel;

    #[test]
    fn levels_follow_thresholds() {
        assert_eq!(level_for(1, TrustLevel(0)), TrustLevel(0));
        assert_eq!(level_for(9, TrustLevel(0)), TrustLevel(0));
        assert_eq!(level_for(10, TrustLevel(0)), TrustLevel(1));
        assert_eq!(level_for(100, TrustLevel(1)), TrustLevel(2));
        assert_eq!(level_for(999, TrustLevel(0)), TrustLevel(2));
        assert_eq!(level_for(1000, TrustLevel(0)), TrustLevel(3));
        assert_eq!(level_for(1, TrustLevel(4)), TrustLevel(4));
        assert_eq!(
            level_for(1, TrustLevel(2)),
            TrustLevel(0),
            "levels follow reputation down too"
        );
    }
}
