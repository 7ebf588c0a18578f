//! In-process route tests: the real application (`app::build_app`, the same routes,
//! middleware, sessions and error pages `serve` runs) over a `TestDb` and a temporary data
//! directory, driven through actix's test service with a client that keeps cookies and the
//! CSRF token. No port, no child process: a test that needs the binary (start-up, signals,
//! a browser) belongs in the end-to-end crate.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod client;

use std::rc::Rc;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use actix_web::web;
use forum_core::testing::{category, user_with_role};
use forum_core::Role;
use forum_db::models::{Category, User};
use forum_db::test_util::TestDb;
use forum_db::Backend;
use forum_web::access_log::AccessLog;
use forum_web::app;
use forum_web::config::Settings;
use futures_util::future::LocalBoxFuture;

pub use client::{Client, Resp};
pub use forum_core::testing::PASSWORD;

/// The application under test, type-erased so the harness can hold it.
pub type AppService = Rc<dyn Fn(test::TestRequest) -> LocalBoxFuture<'static, Resp>>;

/// One application over its own database and data directory, dropped with the test.
pub struct TestApp {
    call: AppService,
    pub state: web::Data<forum_web::state::AppState>,
    /// Kept so the database outlives the application's pool.
    pub db: TestDb,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    /// The application on `backend`, with the repository's themes and a fresh data directory.
    pub async fn new(backend: Backend) -> TestApp {
        let db = TestDb::new(backend);
        let data_dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::default();
        settings.server.data_dir = data_dir.path().to_path_buf();
        settings.server.base_url =
            forum_web::config::ConfigValue::parse_value("http://localhost").expect("a base URL");
        settings.server.anon_cache_secs = 0;
        settings.database.url = db.url.clone();
        settings.database.pool_size = 4;
        settings.theme.dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../themes").into();
        let prepared = app::prepare(settings).unwrap();
        let state = web::Data::new(prepared.state);
        let access_log = web::Data::new(AccessLog::new(&state.settings.log));
        let service = test::init_service(app::build_app(
            state.clone(),
            access_log,
            prepared.session_key,
            false,
        ))
        .await;
        let service = Rc::new(service);
        let call: AppService = Rc::new(move |req| {
            let service = service.clone();
            Box::pin(async move {
                let res: ServiceResponse<_> = match service.call(req.to_request()).await {
                    Ok(res) => res,
                    Err(e) => panic!("the application failed a request: {e:?}"),
                };
                Resp::read(res).await
            })
        });
        TestApp {
            call,
            state,
            db,
            _data_dir: data_dir,
        }
    }

    /// A client with no cookies yet (an anonymous visitor).
    pub fn client(&self) -> Client {
        Client::new(self.call.clone())
    }

    /// A pooled connection to the test database, for factories and checks.
    pub fn conn(&self) -> forum_db::DbConn {
        self.db.db.conn().unwrap()
    }

    /// A new account with `role`, and a client signed in as it.
    pub async fn with_user(&self, prefix: &str, role: Role) -> (User, Client) {
        let u = user_with_role(&mut self.conn(), prefix, role);
        let mut c = self.client();
        let page = c.login(&u.username, PASSWORD).await;
        assert_eq!(page.status, 303, "login as {}: {}", u.username, page.body);
        (u, c)
    }

    /// A questions category with a unique slug.
    pub fn category(&self) -> Category {
        category(&mut self.conn(), "questions")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.state.indexer.stop(std::time::Duration::from_secs(5));
    }
}

/// Generates one async test per backend for each named `async fn(TestApp)`:
/// `route_tests!(home)` makes `sqlite::home` and `postgres::home`.
#[macro_export]
macro_rules! route_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_web::test] async fn $name() {
                super::$name($crate::common::TestApp::new(forum_db::Backend::Sqlite).await).await
            } )*
        }
        mod postgres {
            $( #[actix_web::test] async fn $name() {
                super::$name($crate::common::TestApp::new(forum_db::Backend::Postgres).await).await
            } )*
        }
    };
}
