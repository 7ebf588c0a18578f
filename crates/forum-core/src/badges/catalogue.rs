//! What each badge is called, how hard it is to earn and what earns it.

use forum_db::types::Badge;
use serde::Serialize;

use super::{ANSWER_SCORES, HELPFUL_KUDOS, TAG_SCORES};

/// Bronze, silver or gold: how hard a badge is to earn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

/// What a badge is for, in the badges page's words.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeInfo {
    pub slug: &'static str,
    pub name: &'static str,
    pub tier: Tier,
    pub description: String,
    /// Whether it is earned once per post or tag rather than once.
    pub repeatable: bool,
}

/// Every badge, in the order the badges page lists them.
pub fn catalogue() -> Vec<BadgeInfo> {
    use strum::IntoEnumIterator;
    Badge::iter().map(info).collect()
}

/// One badge's description.
pub fn info(badge: Badge) -> BadgeInfo {
    let (name, tier, description, repeatable) = match badge {
        Badge::FirstQuestion => (
            "First question",
            Tier::Bronze,
            "Asked a first question".into(),
            false,
        ),
        Badge::FirstAnswer => (
            "First answer",
            Tier::Bronze,
            "Answered a question for the first time".into(),
            false,
        ),
        Badge::FirstAcceptedAnswer => (
            "First accepted answer",
            Tier::Bronze,
            "Wrote an answer the asker accepted".into(),
            false,
        ),
        Badge::NiceAnswer => (
            "Nice answer",
            Tier::Bronze,
            format!("An answer scored {} or more", ANSWER_SCORES[0].1),
            true,
        ),
        Badge::GoodAnswer => (
            "Good answer",
            Tier::Silver,
            format!("An answer scored {} or more", ANSWER_SCORES[1].1),
            true,
        ),
        Badge::GreatAnswer => (
            "Great answer",
            Tier::Gold,
            format!("An answer scored {} or more", ANSWER_SCORES[2].1),
            true,
        ),
        Badge::Teacher => (
            "Teacher",
            Tier::Bronze,
            "Answered a question with an answer that scored 1 or more".into(),
            false,
        ),
        Badge::Helpful => (
            "Helpful",
            Tier::Silver,
            format!("Thanked with kudos {HELPFUL_KUDOS} times"),
            false,
        ),
        Badge::GuidelinesRead => (
            "Guidelines read",
            Tier::Bronze,
            "Read and accepted the community guidelines".into(),
            false,
        ),
        Badge::TagBronze => (
            "Tag bronze",
            Tier::Bronze,
            format!(
                "Answers in one tag scored {} or more in total",
                TAG_SCORES[0].1
            ),
            true,
        ),
        Badge::TagSilver => (
            "Tag silver",
            Tier::Silver,
            format!(
                "Answers in one tag scored {} or more in total",
                TAG_SCORES[1].1
            ),
            true,
        ),
        Badge::TagGold => (
            "Tag gold",
            Tier::Gold,
            format!(
                "Answers in one tag scored {} or more in total",
                TAG_SCORES[2].1
            ),
            true,
        ),
        Badge::Champion => (
            "Champion",
            Tier::Gold,
            "Named a community champion by staff".into(),
            false,
        ),
    };
    BadgeInfo {
        slug: badge.as_str(),
        name,
        tier,
        description,
        repeatable,
    }
}
