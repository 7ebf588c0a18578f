//! Values stored as text but typed in Rust: roles, category kinds and ledger event kinds. Each is
//! a strum enum (its snake_case name is the stored text) with one backend-generic `ToSql` and
//! `FromSql`, so a row with an unknown name fails to load loudly instead of becoming a default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Integer, Text};

/// Implements `ToSql<Text>`/`FromSql<Text>` for a strum enum through its stored name.
macro_rules! text_column {
    ($t:ty) => {
        impl<DB: Backend> ToSql<Text, DB> for $t
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                let name: &'static str = self.into();
                name.to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $t
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let name = String::from_sql(bytes)?;
                name.parse()
                    .map_err(|e| format!("unknown {} '{name}': {e}", stringify!($t)).into())
            }
        }
    };
}

/// Declares a stored enum: strum names in snake_case are the stored text, with `as_str` and
/// the column impls.
macro_rules! stored_enum {
    ($(#[$doc:meta])* pub enum $name:ident { $($(#[$vdoc:meta])* $variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            AsExpression,
            FromSqlRow,
            strum::EnumString,
            strum::IntoStaticStr,
            strum::EnumIter,
            serde::Serialize,
        )]
        #[diesel(sql_type = Text)]
        #[strum(serialize_all = "snake_case")]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),*
        }

        impl $name {
            /// The stored name.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }

        text_column!($name);
    };
}

stored_enum! {
    /// A member's role; staff powers grow down the list.
    pub enum Role {
        Member,
        Moderator,
        Staff,
        Admin,
    }
}

impl Role {
    /// Moderators, staff and admins may edit and delete any post and accept on any question.
    pub fn can_moderate(self) -> bool {
        self >= Role::Moderator
    }

    /// Staff and admins may post in staff-only categories (announcements, knowledge).
    pub fn is_staff(self) -> bool {
        self >= Role::Staff
    }
}

stored_enum! {
    /// What a category is for; announcements and knowledge are staff-only to start threads in.
    pub enum CategoryKind {
        Questions,
        Discussion,
        Ideas,
        Announcements,
        Knowledge,
    }
}

impl CategoryKind {
    /// True when only staff may start threads in a category of this kind.
    pub fn is_staff_only(self) -> bool {
        matches!(self, CategoryKind::Announcements | CategoryKind::Knowledge)
    }
}

stored_enum! {
    /// What a notification is about; the member's preferences are per kind.
    pub enum NotificationKind {
        /// An answer to the member's question.
        Answer,
        /// A comment on the member's post.
        Comment,
        /// The member's answer was accepted.
        Accepted,
        /// The member was mentioned with `@name`.
        Mention,
        /// A reply in a thread the member watches.
        WatchedReply,
        /// A new thread where the member watches (a category or a tag).
        NewThread,
        /// Someone thanked the member for a post with kudos.
        Kudos,
        /// The member earned a badge (`message` names it).
        Badge,
        /// Anything else a feature tells a member (badges, moderation notices): `message`.
        Notice,
    }
}

stored_enum! {
    /// A badge: recognition for a kind of help, awarded by a rule (`forum_core::badges`).
    pub enum Badge {
        FirstQuestion,
        FirstAnswer,
        FirstAcceptedAnswer,
        NiceAnswer,
        GoodAnswer,
        GreatAnswer,
        Teacher,
        Helpful,
        GuidelinesRead,
        TagBronze,
        TagSilver,
        TagGold,
        Champion,
    }
}

stored_enum! {
    /// Where a champion nomination stands.
    pub enum NominationState {
        Pending,
        Granted,
        Declined,
    }
}

stored_enum! {
    /// Where a championship stands: active until its term ends (then renewed or lapsed) or it
    /// is revoked.
    pub enum ChampionState {
        Active,
        Lapsed,
        Revoked,
    }
}

stored_enum! {
    /// Where a suggested edit stands.
    pub enum SuggestionState {
        Pending,
        Approved,
        Rejected,
    }
}

stored_enum! {
    /// What a watch is on.
    pub enum WatchTarget {
        Thread,
        Category,
        Tag,
    }
}

stored_enum! {
    /// How closely a member follows something.
    pub enum WatchLevel {
        /// Hear of every new answer (a thread) or new thread (a category or tag).
        Watch,
        /// The default: only what is addressed to the member.
        Normal,
        /// Nothing about it, whatever else applies.
        Mute,
    }
}

stored_enum! {
    /// The kinds of reputation ledger event and their nominal amounts (Stack Exchange's rules).
    pub enum EventKind {
        /// +10 to an answer's author.
        AnswerUpvoted,
        /// +5 to a question's author.
        QuestionUpvoted,
        /// −2 to a post's author.
        PostDownvoted,
        /// −1 to a member who downvotes an answer.
        DownvoteCast,
        /// +15 to the author of an accepted answer.
        AnswerAccepted,
        /// +2 to an asker who accepts someone else's answer.
        AcceptedAnAnswer,
        /// +2 to a post's author thanked with kudos.
        KudosReceived,
    }
}

impl EventKind {
    /// The rule's amount before caps and floors.
    pub fn nominal(self) -> i64 {
        match self {
            EventKind::AnswerUpvoted => 10,
            EventKind::QuestionUpvoted => 5,
            EventKind::PostDownvoted => -2,
            EventKind::DownvoteCast => -1,
            EventKind::AnswerAccepted => 15,
            EventKind::AcceptedAnAnswer => 2,
            EventKind::KudosReceived => 2,
        }
    }

    /// Upvote earnings count against the daily cap; acceptance does not.
    pub fn is_capped(self) -> bool {
        matches!(self, EventKind::AnswerUpvoted | EventKind::QuestionUpvoted)
    }
}

/// A member's trust level, 0–4: derived from reputation (0–3) or granted by staff (4). Typed so a
/// trust level is never confused with another small number (a role, a count).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    AsExpression,
    FromSqlRow,
    serde::Serialize,
)]
#[diesel(sql_type = Integer)]
#[serde(transparent)]
pub struct TrustLevel(pub i32);

impl TrustLevel {
    /// A new member: may ask and answer at once, with few links and at a bounded pace.
    pub const NEW: TrustLevel = TrustLevel(0);
    /// Granted by staff only, never derived from reputation.
    pub const LEADER: TrustLevel = TrustLevel(4);
}

impl std::fmt::Display for TrustLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<DB: Backend> ToSql<Integer, DB> for TrustLevel
where
    i32: ToSql<Integer, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.0.to_sql(out)
    }
}

impl<DB: Backend> FromSql<Integer, DB> for TrustLevel
where
    i32: FromSql<Integer, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        i32::from_sql(bytes).map(TrustLevel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn stored_names_round_trip() {
        for r in Role::iter() {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(r));
        }
        for k in CategoryKind::iter() {
            assert_eq!(k.as_str().parse::<CategoryKind>().ok(), Some(k));
        }
        for k in EventKind::iter() {
            assert_eq!(k.as_str().parse::<EventKind>().ok(), Some(k));
        }
        assert_eq!(EventKind::AcceptedAnAnswer.as_str(), "accepted_an_answer");
        assert_eq!(Role::Moderator.as_str(), "moderator");
        assert!("root".parse::<Role>().is_err());
    }
}

stored_enum! {
    /// How a member hears of a kind of notification by email.
    pub enum EmailFrequency {
        /// One email per notification, after a short delay (none when read on the site first).
        Immediately,
        /// Gathered into the daily digest.
        Daily,
        /// Gathered into the weekly digest.
        Weekly,
        /// Only on the site.
        Never,
    }
}

stored_enum! {
    /// Which digest: the daily or the weekly one.
    pub enum DigestPeriod {
        Daily,
        Weekly,
    }
}
