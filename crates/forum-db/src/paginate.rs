//! `LIMIT n OFFSET m` written as literals. diesel binds LIMIT/OFFSET as parameters, and SQLite
//! re-prepares a statement whose LIMIT is a bound parameter every time it runs (its planner
//! looks at the value); list pages paid for every query twice. The numbers are `i64`s computed
//! by the caller, never user text, so writing them into the SQL is safe.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// A query with a literal limit and offset appended.
#[derive(Debug, Clone, Copy)]
pub struct Paginated<T> {
    query: T,
    limit: i64,
    offset: i64,
}

/// Adds `.paginate(limit, offset)` to any query that has no limit of its own.
pub trait Paginate: Sized {
    /// The query with `LIMIT limit OFFSET offset` appended as literals.
    fn paginate(self, limit: i64, offset: i64) -> Paginated<Self> {
        Paginated {
            query: self,
            limit: limit.max(0),
            offset: offset.max(0),
        }
    }
}

impl<T> Paginate for T {}

impl<T: QueryId> QueryId for Paginated<T> {
    type QueryId = ();
    // The numbers are part of the SQL text, so the statement must not be cached by type alone.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T: Query> Query for Paginated<T> {
    type SqlType = T::SqlType;
}

impl<T, Conn> RunQueryDsl<Conn> for Paginated<T> {}

impl<T, DB> QueryFragment<DB> for Paginated<T>
where
    DB: Backend,
    T: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(&format!(" LIMIT {} OFFSET {}", self.limit, self.offset));
        Ok(())
    }
}
