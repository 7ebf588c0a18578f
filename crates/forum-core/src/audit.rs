//! The audit log: every moderator and staff action, recorded by the service that performs it,
//! in the same transaction (so an action and its entry commit together), and read back with
//! filters for the moderation pages, the API and CSV export.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::{audit_log as al, users};
use forum_db::{time::now, AnyConnection};
use serde::Serialize;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

/// What one action did, as its service describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// A stable name: `post.hide`, `thread.close`, `sanction.apply`, `champion.grant`, ...
    pub action: &'a str,
    /// What it acted on: `post`, `thread`, `user`, ...
    pub target_kind: &'a str,
    pub target_id: i64,
    pub reason: &'a str,
    /// The action's own facts, e.g. `kind=silence days=7`.
    pub details: &'a str,
}

/// Records `entry` as done by `actor` now, in the caller's transaction.
pub fn record(conn: &mut AnyConnection, actor: &Actor, entry: &Entry<'_>) -> CoreResult<()> {
    diesel::insert_into(al::table)
        .values((
            al::actor_id.eq(Some(actor.id)),
            al::action.eq(entry.action),
            al::target_kind.eq(entry.target_kind),
            al::target_id.eq(entry.target_id),
            al::reason.eq(entry.reason),
            al::details.eq(entry.details),
            al::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// One recorded action, with the actor's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub id: i64,
    /// None when the account was removed since.
    pub actor: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub reason: String,
    pub details: String,
    pub created_at: NaiveDateTime,
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub actor: Option<UserId>,
    /// An action name, or a prefix ending in `.` (`sanction.`).
    pub action: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// Entries older than this id (the next page), newest first.
    pub before_id: Option<i64>,
}

/// Most entries one read returns.
pub const MAX_PAGE: i64 = 500;

/// Entries matching `filter`, newest first, at most `limit` (≤ [`MAX_PAGE`]). Moderators and
/// staff only.
pub fn list(
    conn: &mut AnyConnection,
    viewer: &Actor,
    filter: &Filter,
    limit: i64,
) -> CoreResult<Vec<Recorded>> {
    if !viewer.role.can_moderate() {
        return Err(CoreError::forbidden(
            "Only moderators and staff read the audit log",
        ));
    }
    let mut q = al::table
        .left_join(users::table.on(users::id.nullable().eq(al::actor_id)))
        .select((
            al::id,
            users::username.nullable(),
            al::action,
            al::target_kind,
            al::target_id,
            al::reason,
            al::details,
            al::created_at,
        ))
        .order(al::id.desc())
        .limit(limit.clamp(1, MAX_PAGE))
        .into_boxed();
    if let Some(actor) = filter.actor {
        q = q.filter(al::actor_id.eq(Some(actor)));
    }
    if let Some(action) = &filter.action {
        q = if action.ends_with('.') {
            q.filter(al::action.like(format!("{action}%")))
        } else {
            q.filter(al::action.eq(action.clone()))
        };
    }
    if let Some(kind) = &filter.target_kind {
        q = q.filter(al::target_kind.eq(kind.clone()));
    }
    if let Some(id) = filter.target_id {
        q = q.filter(al::target_id.eq(id));
    }
    if let Some(since) = filter.since {
        q = q.filter(al::created_at.ge(since));
    }
    if let Some(until) = filter.until {
        q = q.filter(al::created_at.lt(until));
    }
    if let Some(before) = filter.before_id {
        q = q.filter(al::id.lt(before));
    }
    type Row = (
        i64,
        Option<String>,
        String,
        String,
        i64,
        String,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Row> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, actor, action, target_kind, target_id, reason, details, created_at)| Recorded {
                id,
                actor,
                action,
                target_kind,
                target_id,
                reason,
                details,
                created_at,
            },
        )
        .collect())
}

/// The entries as CSV (RFC 4180: every field quoted, quotes doubled), with a header row. A
/// field starting with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet never runs
/// it as a formula.
pub fn to_csv(entries: &[Recorded]) -> String {
    let mut out = String::from("id,when,actor,action,target_kind,target_id,reason,details\r\n");
    for e in entries {
        let fields = [
            e.id.to_string(),
            e.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            e.actor.clone().unwrap_or_default(),
            e.action.clone(),
            e.target_kind.clone(),
            e.target_id.to_string(),
            e.reason.clone(),
            e.details.clone(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

fn quote(field: &str) -> String {
    let safe = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_string()
    };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_every_field_and_defuses_formulas() {
        let e = Recorded {
            id: 7,
            actor: Some("mod".into()),
            action: "sanction.apply".into(),
            target_kind: "user".into(),
            target_id: 3,
            reason: "said \"hi\", rudely".into(),
            details: "=HYPERLINK(\"x\")".into(),
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
                .and_then(|d| d.and_hms_opt(3, 4, 5))
                .expect("a time"),
        };
        let csv = to_csv(&[e]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "id,when,actor,action,target_kind,target_id,reason,details"
        );
        assert_eq!(
            lines[1],
            r#""7","2026-01-02T03:04:05Z","mod","sanction.apply","user","3","said ""hi"", rudely","'=HYPERLINK(""x"")""#
        );
    }
}
