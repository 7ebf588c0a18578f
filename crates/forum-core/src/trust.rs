//! Trust levels 0–4, derived from reputation. Tuned for a support community: a visitor who
//! registers can ask at once (TL0), and limits lift quickly as peers find their help useful.

/// Reputation needed for TL1, TL2 and TL3. TL4 is granted by staff and never derived.
pub const THRESHOLDS: [i64; 3] = [10, 100, 1000];

/// The level a member with this reputation holds; a manually granted TL4 is kept.
pub fn level_for(reputation: i64, current: i32) -> i32 {
    if current >= 4 {
        return current;
    }
    THRESHOLDS.iter().filter(|t| reputation >= **t).count() as i32
}

#[cfg(test)]
mod tests {
    use super::level_for;

    #[test]
    fn levels_follow_thresholds() {
        assert_eq!(level_for(1, 0), 0);
        assert_eq!(level_for(9, 0), 0);
        assert_eq!(level_for(10, 0), 1);
        assert_eq!(level_for(100, 1), 2);
        assert_eq!(level_for(999, 0), 2);
        assert_eq!(level_for(1000, 0), 3);
        assert_eq!(level_for(1, 4), 4);
        assert_eq!(level_for(1, 2), 0, "levels follow reputation down too");
    }
}
