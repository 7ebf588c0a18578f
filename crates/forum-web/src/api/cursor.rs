//! The list cursor as clients see it: an opaque token (`?cursor=`) for the core's keyset
//! position ([`ListCursor`]). It names its tab, so a cursor taken from one list is refused on
//! another instead of silently starting a walk from a meaningless place.

use chrono::DateTime;
use forum_core::queries::{ListCursor, Tab};
use forum_db::ids::ThreadId;

use crate::error::{AppError, AppResult, ErrorKind};

const VERSION: &str = "c1";

/// The token for `cursor` in `tab`: hex of `c1:<tab>:<microseconds>:<id>`.
pub fn encode(tab: Tab, cursor: ListCursor) -> String {
    let micros = cursor.at.and_utc().timestamp_micros();
    hex::encode(format!("{VERSION}:{}:{micros}:{}", tab.as_str(), cursor.id))
}

/// The position a token names, for a list of `tab`. Anything else is a 422 `validation`.
pub fn decode(tab: Tab, token: &str) -> AppResult<ListCursor> {
    let invalid = || {
        AppError::new(
            ErrorKind::Validation,
            "Invalid cursor: pass back the next_cursor of the list you are reading.",
        )
    };
    let bytes = hex::decode(token.trim()).map_err(|e| {
        tracing::debug!(error = %e, "cursor is not hex");
        invalid()
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        tracing::debug!(error = %e, "cursor is not text");
        invalid()
    })?;
    let parts: Vec<&str> = text.split(':').collect();
    let [version, tab_name, micros, id] = parts.as_slice() else {
        return Err(invalid());
    };
    if *version != VERSION || *tab_name != tab.as_str() {
        return Err(invalid());
    }
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(invalid)?
        .naive_utc();
    let id = id.parse::<ThreadId>().map_err(|e| {
        tracing::debug!(error = %e, "cursor id is not a number");
        invalid()
    })?;
    Ok(ListCursor { at, id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn cursor() -> ListCursor {
        let at = NaiveDate::from_ymd_opt(2025, 3, 4)
            .unwrap()
            .and_hms_micro_opt(5, 6, 7, 123_456)
            .unwrap();
        ListCursor {
            at,
            id: forum_db::ids::ThreadId(42),
        }
    }

    #[test]
    fn round_trips_to_the_microsecond() {
        for tab in [Tab::Latest, Tab::Unanswered, Tab::Solved] {
            let token = encode(tab, cursor());
            assert_eq!(decode(tab, &token).unwrap(), cursor());
        }
    }

    #[test]
    fn refuses_other_tabs_and_garbage() {
        let token = encode(Tab::Latest, cursor());
        assert!(decode(Tab::Solved, &token).is_err(), "another tab's cursor");
        for bad in [
            "",
            "zz",
            "abc",
            &hex::encode("c1:latest:x:1"),
            &hex::encode("c9:latest:1:1"),
        ] {
            let e = decode(Tab::Latest, bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{bad}");
        }
    }
}
