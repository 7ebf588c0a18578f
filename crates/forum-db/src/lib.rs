//! Storage for the forum: one diesel schema for SQLite and PostgreSQL, a pool whose backend is
//! chosen by the URL scheme, embedded migrations run at start-up, row structs, and the outbox.
//! Nothing here knows HTTP or the domain's rules.

pub mod connection;
pub mod error;
pub mod generation;
pub mod ids;
pub mod lock;
pub mod migrations;
pub mod models;
pub mod outbox;
pub mod paginate;
pub mod pool;
pub mod schema;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod time;
pub mod types;

pub use connection::{AnyConnection, Backend, QueryCounter};
pub use error::{DbError, TransientError};
pub use pool::{in_transaction, write_tx, Db, DbConn};
