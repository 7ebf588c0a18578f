//! Flag scoring: pure functions over numbers, tested without a database. Each flag weighs by
//! its flagger's trust level and past accuracy (flags moderators agreed with against those
//! they disagreed with), so a few flags from trusted, accurate members hide a post while a
//! pile-on by new accounts or habitual bad flaggers does not. The decision carries its own
//! explanation, which moderators see: "hidden: 2 flags from TL2+, score 8.3 ≥ 8".

use forum_db::types::TrustLevel;

/// What moderators know about one flagger when their flag is weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flagger {
    pub trust_level: TrustLevel,
    /// Their earlier flags moderators agreed with, and disagreed with.
    pub agreed: u32,
    pub disagreed: u32,
}

/// The weights and the threshold (settings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlagRules {
    /// The weight of a flag at each trust level 0–4 before accuracy.
    pub level_weights: [f64; 5],
    /// A post is hidden when the score of its open flags reaches this...
    pub hide_threshold: f64,
    /// ...from at least this many members (a trusted flag, which acts at once, is the
    /// privilege's business, not the score's).
    pub min_flags: usize,
}

impl Default for FlagRules {
    /// A TL0 flag weighs 1, TL1 2, TL2 3, TL3 5, TL4 6; hidden at 8: two accurate TL3 flags,
    /// or three TL2 flags, or a crowd of new accounts — never one member alone.
    fn default() -> Self {
        FlagRules {
            level_weights: [1.0, 2.0, 3.0, 5.0, 6.0],
            hide_threshold: 8.0,
            min_flags: 2,
        }
    }
}

impl FlagRules {
    /// One flag's weight: the level's weight times an accuracy factor between 0.5 (every
    /// earlier flag disagreed with) and 1.5 (every one agreed with), 1 for a first flag. The
    /// factor is smoothed ((agreed + 1) / (agreed + disagreed + 2)), so one early mistake
    /// does not silence a member.
    pub fn weight(&self, f: &Flagger) -> f64 {
        let level = usize::try_from(f.trust_level.0.clamp(0, 4)).unwrap_or(0);
        let accuracy =
            (f64::from(f.agreed) + 1.0) / (f64::from(f.agreed) + f64::from(f.disagreed) + 2.0);
        self.level_weights[level] * (0.5 + accuracy)
    }

    /// Weighs the open flags on a post and says whether it is hidden, and why.
    pub fn decide(&self, flags: &[Flagger]) -> FlagDecision {
        let score: f64 = flags.iter().map(|f| self.weight(f)).sum();
        // Rounded to one decimal for the explanation and the comparison alike, so what the
        // moderator reads is what was compared.
        let score = (score * 10.0).round() / 10.0;
        let hide = flags.len() >= self.min_flags.max(1) && score >= self.hide_threshold;
        let lowest = flags.iter().map(|f| f.trust_level.0).min().unwrap_or(0);
        let from = if lowest > 0 {
            format!(" from TL{lowest}+")
        } else {
            String::new()
        };
        let n = flags.len();
        let flags_word = if n == 1 { "flag" } else { "flags" };
        let threshold = trim(self.hide_threshold);
        let explanation = if hide {
            format!("hidden: {n} {flags_word}{from}, score {score:.1} ≥ {threshold}")
        } else if score >= self.hide_threshold {
            format!(
                "visible: {n} {flags_word}{from}, score {score:.1} ≥ {threshold} but fewer than {} flaggers",
                self.min_flags
            )
        } else {
            format!("visible: {n} {flags_word}{from}, score {score:.1} < {threshold}")
        };
        FlagDecision {
            hide,
            score,
            explanation,
        }
    }
}

/// Whether a post's flags hide it, its score and the sentence moderators see.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagDecision {
    pub hide: bool,
    pub score: f64,
    pub explanation: String,
}

/// `8` rather than `8.0`, `7.5` as is.
fn trim(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(level: i32, agreed: u32, disagreed: u32) -> Flagger {
        Flagger {
            trust_level: TrustLevel(level),
            agreed,
            disagreed,
        }
    }

    #[test]
    fn weight_follows_level_and_accuracy() {
        let r = FlagRules::default();
        assert_eq!(r.weight(&at(0, 0, 0)), 1.0);
        assert_eq!(r.weight(&at(3, 0, 0)), 5.0);
        assert!(r.weight(&at(2, 8, 0)) > r.weight(&at(2, 0, 0)));
        assert!(r.weight(&at(2, 0, 8)) < r.weight(&at(2, 0, 0)));
        assert!(r.weight(&at(4, 1000, 0)) < 6.0 * 1.5 + 1e-9);
        assert!(r.weight(&at(4, 0, 1000)) > 6.0 * 0.5 - 1e-9);
        assert_eq!(r.weight(&at(9, 0, 0)), 6.0, "levels above 4 count as 4");
    }

    #[test]
    fn hidden_exactly_at_the_threshold_with_an_explanation() {
        let r = FlagRules::default();
        // Two first flags from TL2 (3 each) and one from TL1 (2): 8.
        let at_threshold = r.decide(&[at(2, 0, 0), at(2, 0, 0), at(1, 0, 0)]);
        assert!(at_threshold.hide);
        assert_eq!(
            at_threshold.explanation,
            "hidden: 3 flags from TL1+, score 8.0 ≥ 8"
        );
        let below = r.decide(&[at(2, 0, 0), at(2, 0, 0), at(0, 0, 0)]);
        assert!(!below.hide);
        assert_eq!(below.explanation, "visible: 3 flags, score 7.0 < 8");
        let alone = r.decide(&[at(4, 50, 0)]);
        assert!(!alone.hide, "one member alone never hides a post");
        assert!(
            alone.explanation.ends_with("but fewer than 2 flaggers"),
            "{alone:?}"
        );
        assert!(!r.decide(&[]).hide);
        let trusted = r.decide(&[at(3, 9, 0), at(2, 4, 1)]);
        assert!(trusted.hide, "{trusted:?}");
        assert!(trusted
            .explanation
            .starts_with("hidden: 2 flags from TL2+, score"));
    }
}
