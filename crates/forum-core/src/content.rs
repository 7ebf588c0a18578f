//! Length rules for titles and bodies, slugs, and cooking a body for storage.

use crate::error::{CoreError, CoreResult};
use std::collections::HashMap;

use diesel::prelude::*;
use forum_db::schema::users;
use forum_db::AnyConnection;

use crate::markup::{cook, mention_candidates, CookOptions, Cooked};
use forum_db::types::TrustLevel;

/// Shortest and longest question title, in characters.
pub const TITLE_CHARS: (usize, usize) = (8, 150);
/// Shortest and longest question or answer body, in characters.
pub const BODY_CHARS: (usize, usize) = (10, 30_000);
/// Shortest and longest comment, in characters.
pub const COMMENT_CHARS: (usize, usize) = (2, 1_000);
/// Longest edit reason.
pub const REASON_CHARS: usize = 300;

/// Trims and checks a title.
pub fn validate_title(title: &str) -> CoreResult<String> {
    storable_text("title", title)?;
    let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    check_len("title", &t, TITLE_CHARS)?;
    Ok(t)
}

/// Below this trust level an author's links carry `rel="nofollow"`.
pub const FOLLOWED_LINKS_TRUST_LEVEL: TrustLevel = TrustLevel(2);

/// Checks a body and cooks it: links get `nofollow` when the post's *author* (not an editor)
/// has low trust, and `@name` of a member that exists links to their profile (one lookup of
/// the names the text may mention).
pub fn cook_body(
    conn: &mut AnyConnection,
    field: &'static str,
    body: &str,
    limits: (usize, usize),
    author_trust_level: TrustLevel,
) -> CoreResult<Cooked> {
    check_len(field, body.trim(), limits)?;
    let members = members_named(conn, &mention_candidates(body))?;
    Ok(cook(
        body,
        CookOptions {
            nofollow: author_trust_level < FOLLOWED_LINKS_TRUST_LEVEL,
            members: Some(&members),
        },
    ))
}

/// The members among `names` (lower-cased), by lower-cased name → username.
fn members_named(
    conn: &mut AnyConnection,
    names: &[String],
) -> CoreResult<HashMap<String, String>> {
    if names.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<(String, String)> = users::table
        .filter(users::username_lower.eq_any(names))
        .select((users::username_lower, users::username))
        .load(conn)?;
    Ok(found.into_iter().collect())
}

/// Checks an edit reason.
pub fn validate_reason(reason: &str) -> CoreResult<String> {
    storable_text("reason", reason)?;
    let r = reason.trim();
    if r.chars().count() > REASON_CHARS {
        return Err(CoreError::invalid(
            "reason",
            format!("The edit reason is limited to {REASON_CHARS} characters"),
        ));
    }
    Ok(r.to_string())
}

/// Refuses text the databases cannot store: PostgreSQL rejects NUL in text columns, and no
/// reader needs one, so both backends refuse it as invalid input.
pub fn storable_text(field: &'static str, s: &str) -> CoreResult<()> {
    if s.contains('\0') {
        return Err(CoreError::invalid(
            field,
            format!("The {field} contains a NUL character, which is not allowed"),
        ));
    }
    Ok(())
}

/// A URL slug for a title; never empty.
pub fn thread_slug(title: &str) -> String {
    let s: String = slug::slugify(title).chars().take(80).collect();
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "thread".into()
    } else {
        s
    }
}

fn check_len(field: &'static str, s: &str, (min, max): (usize, usize)) -> CoreResult<()> {
    // Counting is cheap; the byte bound first keeps a 2 MB body from costing even that.
    if s.len() > max.saturating_mul(4) {
        return Err(CoreError::invalid(
            field,
            format!("The {field} is limited to {max} characters"),
        ));
    }
    storable_text(field, s)?;
    let n = s.chars().count();
    if n == 0 {
        return Err(CoreError::invalid(
            field,
            format!("The {field} cannot be empty"),
        ));
    }
    if n < min {
        return Err(CoreError::invalid(
            field,
            format!("The {field} must be at least {min} characters (it has {n})"),
        ));
    }
    if n > max {
        return Err(CoreError::invalid(
            field,
            format!("The {field} is limited to {max} characters (it has {n})"),
        ));
    }
    Ok(())
}
