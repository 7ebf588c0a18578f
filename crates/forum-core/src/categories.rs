//! Categories and tags: where threads live and how they are labelled.

use diesel::prelude::*;
use forum_db::ids::{TagId, ThreadId};
use forum_db::models::{Category, NewCategory};
use forum_db::schema::{categories, tags, thread_tags};
pub use forum_db::types::CategoryKind;
use forum_db::{time::now, AnyConnection};

use crate::error::{CoreError, CoreResult};

/// Most tags a thread may carry.
pub const MAX_TAGS: usize = 5;

/// What an admin submits to create a category.
#[derive(Debug, Clone)]
pub struct CategoryInput<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub kind: CategoryKind,
    pub position: i32,
}

/// Creates a category (admin tooling and the demo seed).
pub fn create_category(conn: &mut AnyConnection, c: &CategoryInput<'_>) -> CoreResult<Category> {
    let slug = slug::slugify(c.slug);
    if slug.is_empty() || c.name.trim().is_empty() {
        return Err(CoreError::invalid(
            "name",
            "A category needs a name and a slug",
        ));
    }
    let row = NewCategory {
        slug: &slug,
        name: c.name.trim(),
        description: c.description.trim(),
        kind: c.kind,
        position: c.position,
        created_at: now(),
    };
    Ok(diesel::insert_into(categories::table)
        .values(&row)
        .returning(categories::all_columns)
        .get_result(conn)?)
}

/// Every category in display order.
pub fn list_categories(conn: &mut AnyConnection) -> CoreResult<Vec<Category>> {
    Ok(categories::table
        .order((categories::position.asc(), categories::id.asc()))
        .select(Category::as_select())
        .load(conn)?)
}

/// Splits user tag input on spaces and commas, lower-cases, de-duplicates and validates it.
pub fn parse_tags(input: &str) -> CoreResult<Vec<String>> {
    crate::content::storable_text("tags", input)?;
    let mut out: Vec<String> = Vec::new();
    for raw in input
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let t = raw.trim_start_matches('#').to_lowercase();
        let ok = (1..=25).contains(&t.chars().count())
            && t.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '+' | '#' | '_'));
        if !ok {
            return Err(CoreError::invalid(
                "tags",
                format!(
                    "'{raw}' is not a valid tag (1-25 letters, digits, '-', '.', '+', '#', '_')"
                ),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(CoreError::invalid(
            "tags",
            format!("At most {MAX_TAGS} tags"),
        ));
    }
    Ok(out)
}

/// Creates a tag, or finds the one a parallel writer just created: on PostgreSQL two askers may
/// both see the name missing; the second insert then fails on the unique name inside its own
/// savepoint (the transaction stays usable) and reads the winner's row instead.
fn create_tag(conn: &mut AnyConnection, name: &str) -> CoreResult<TagId> {
    let inserted = conn.transaction(|c| {
        diesel::insert_into(tags::table)
            .values((tags::name.eq(name), tags::created_at.eq(now())))
            .returning(tags::id)
            .get_result::<TagId>(c)
    });
    match inserted {
        Ok(id) => Ok(id),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(tags::table
            .filter(tags::name.eq(name))
            .select(tags::id)
            .first(conn)?),
        Err(e) => Err(e.into()),
    }
}

/// Replaces a thread's tags, creating tags that do not exist yet.
pub fn set_thread_tags(
    conn: &mut AnyConnection,
    thread_id: ThreadId,
    names: &[String],
) -> CoreResult<()> {
    diesel::delete(thread_tags::table.filter(thread_tags::thread_id.eq(thread_id)))
        .execute(conn)?;
    for name in names {
        let existing: Option<TagId> = tags::table
            .filter(tags::name.eq(name))
            .select(tags::id)
            .load(conn)?
            .into_iter()
            .next();
        let tag_id = match existing {
            Some(id) => id,
            None => create_tag(conn, name)?,
        };
        diesel::insert_into(thread_tags::table)
            .values((
                thread_tags::thread_id.eq(thread_id),
                thread_tags::tag_id.eq(tag_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}
