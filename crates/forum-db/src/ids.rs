//! Typed ids: each table's key is its own type, so swapping a member's id for a post's (or
//! passing ids in the wrong order) does not compile. Stored as BIGINT on both backends through
//! one backend-generic `ToSql`/`FromSql`; serialised as the bare number.
//!
//! ```compile_fail
//! fn reverse(_post: forum_db::ids::PostId, _actor: forum_db::ids::UserId) {}
//! let (post, actor) = (forum_db::ids::PostId(7), forum_db::ids::UserId(3));
//! reverse(actor, post); // swapped: does not compile
//! ```

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::BigInt;

/// Declares `pub struct $name(pub i64)` as a BIGINT column type.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            AsExpression,
            FromSqlRow,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[diesel(sql_type = BigInt)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl<DB: Backend> ToSql<BigInt, DB> for $name
        where
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.0.to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<BigInt, DB> for $name
        where
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                i64::from_sql(bytes).map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A member (`users.id`).
    UserId
);
id_type!(
    /// A category (`categories.id`).
    CategoryId
);
id_type!(
    /// A tag (`tags.id`).
    TagId
);
id_type!(
    /// A thread (`threads.id`).
    ThreadId
);
id_type!(
    /// A question or answer (`posts.id`).
    PostId
);
id_type!(
    /// A comment (`comments.id`).
    CommentId
);
id_type!(
    /// A reputation ledger event (`reputation_events.id`).
    EventId
);
id_type!(
    /// A notification (`notifications.id`).
    NotificationId
);
id_type!(
    /// A suggested edit (`suggested_edits.id`).
    SuggestedEditId
);
id_type!(
    /// A champion nomination (`champion_nominations.id`).
    NominationId
);
id_type!(
    /// A championship: one member's term as a champion (`champions.id`).
    ChampionId
);
