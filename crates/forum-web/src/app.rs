//! Building the application: state, middleware (request spans and the access log,
//! compression, security headers, sessions, error pages, refusal of malformed requests, HEAD and
//! 405 handling) and routes; and running the server.

use std::sync::Arc;
use std::time::Duration;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::middleware::{from_fn, Compress, DefaultHeaders, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use forum_core::activity::ActivityRecorder;
use forum_core::links::LinkKey;
use forum_db::Db;
use lettre::message::Mailbox;
use search::SearchIndex;

use crate::access_log::{self, AccessLog};
use crate::anon_cache::AnonCache;
use crate::config::Settings;
use crate::error::{AppError, ErrorKind};
use crate::fragments::Fragments;
use crate::jwt::JwtKeys;
use crate::mail::compose::Sender;
use crate::mail::drafts::Site;
use crate::mail::transport::Mailer;
use crate::mail::EmailWorker;
use crate::rate_limit::Limiters;
use crate::session::FORM_LIMIT;
use crate::state::AppState;
use crate::theme::Theme;
use crate::{api, handlers, jobs, methods, pages, requests, secrets};
use forum_core::queries::ReadCaches;

/// Content-Security-Policy: no inline script or style, no framing, no plugins.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Everything `serve` needs besides the listener, prepared once.
pub struct Prepared {
    pub state: AppState,
    pub session_key: Key,
}

/// Opens the database (migrating), theme, search index and secrets.
pub fn prepare(settings: Settings) -> anyhow::Result<Prepared> {
    let data_dir = settings.server.data_dir.clone();
    std::fs::create_dir_all(&data_dir)?;
    let url = settings.database_url();
    let db = Db::connect(&url, settings.database.pool_size)?;
    let theme = Theme::load(&settings.theme.dir, &settings.theme.name)?;
    let search_dir = data_dir.join("search");
    let search = Arc::new(SearchIndex::open(&search_dir)?);
    let session_secret = secrets::load_or_create(
        &settings.server.session_secret,
        64,
        &data_dir,
        "session.key",
        64,
    )
    .map_err(anyhow::Error::msg)?;
    let jwt_secret =
        secrets::load_or_create(&settings.server.jwt_secret, 32, &data_dir, "jwt.key", 32)
            .map_err(anyhow::Error::msg)?;
    let links = LinkKey::derive(&session_secret);
    let theme = Arc::new(theme);
    let mailer = Mailer::from_settings(&settings)?;
    tracing::info!("email is {}", mailer.describe());
    let worker = EmailWorker {
        db: db.clone(),
        theme: theme.clone(),
        site: Site {
            name: settings.site.name.clone(),
            base_url: settings.base_url(),
            links: links.clone(),
            delay: chrono::Duration::seconds(
                i64::try_from(settings.notifications.email_delay_secs).unwrap_or(i64::MAX / 1000),
            ),
        },
        sender: sender(&settings)?,
        mailer,
    };
    // Every writer on every node computes trust levels from the ladder in the database.
    forum_core::trust::publish(&mut *db.conn()?, &settings.trust_rules())?;
    let activity = Arc::new(ActivityRecorder::default());
    let indexer = jobs::start(
        &db,
        &search,
        Some(&search_dir),
        Some(jobs::ServerJobs {
            mail: worker,
            digest_every: Duration::from_secs(settings.notifications.digest_check_secs.max(1)),
            activity: activity.clone(),
            activity_every: Duration::from_secs(settings.trust.activity_flush_secs.max(1)),
            champions: settings.champion_rules(),
            champions_every: Duration::from_secs(settings.champions.check_secs.max(1)),
            serial_votes: settings.serial_vote_rules(),
        }),
    )?;
    let policy = Arc::new(
        moderation::ContractPolicy::new(settings.posting_limits())
            .with_privileges(settings.privilege_table()),
    );
    let state = AppState {
        policy,
        champions: settings.champion_rules(),
        activity,
        kudos: forum_core::kudos::KudosRules {
            per_day: settings.reputation.kudos_per_day,
        },
        base_url: settings.base_url().into(),
        anon_cache: Arc::new(AnonCache::new(
            Duration::from_secs(settings.server.anon_cache_secs),
            usize::try_from(settings.server.anon_cache_max_bytes).unwrap_or(usize::MAX),
        )),
        reads: Arc::new(ReadCaches::new(
            usize::try_from(settings.server.read_cache_entries).unwrap_or(usize::MAX),
        )),
        fragments: Arc::new(Fragments::new(
            usize::try_from(settings.server.fragment_cache_max_bytes).unwrap_or(usize::MAX),
        )),
        limiters: Arc::new(Limiters::new(&settings)),
        jwt: Arc::new(JwtKeys::new(&jwt_secret, settings.server.jwt_ttl_secs)),
        theme,
        links: Arc::new(links),
        db,
        search,
        indexer,
        settings: Arc::new(settings),
    };
    Ok(Prepared {
        state,
        session_key: Key::derive_from(&session_secret),
    })
}

/// The sender of the forum's email: `email.from`, or the site's name at `noreply@` the base
/// URL's host; the host also ends every Message-ID.
fn sender(settings: &Settings) -> anyhow::Result<Sender> {
    let base = url::Url::parse(&settings.base_url())?;
    let host = base.host_str().unwrap_or("localhost").to_string();
    let from: Mailbox = if settings.email.from.is_empty() {
        let domain = if host.contains('.') {
            host.clone()
        } else {
            format!("{host}.invalid")
        };
        let address = format!("noreply@{domain}")
            .parse()
            .map_err(|e| anyhow::anyhow!("email.from: {e}"))?;
        Mailbox::new(Some(settings.site.name.clone()), address)
    } else {
        settings
            .email
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("email.from '{}': {e}", settings.email.from))?
    };
    Ok(Sender { from, host })
}

/// Serves until SIGINT/SIGTERM; in-flight requests get `shutdown_timeout_secs` to finish.
pub async fn serve(p: Prepared) -> anyhow::Result<()> {
    let settings = p.state.settings.clone();
    let jobs = p.state.indexer.clone();
    let state = web::Data::new(p.state);
    let key = p.session_key;
    let secure = settings.server.cookie_secure;
    let access_log = web::Data::new(AccessLog::new(&settings.log));
    let server =
        HttpServer::new(move || build_app(state.clone(), access_log.clone(), key.clone(), secure))
            .workers(settings.server.workers.max(1))
            .shutdown_timeout(settings.server.shutdown_timeout_secs)
            .client_request_timeout(Duration::from_secs(10))
            .bind(settings.server.bind.as_str())?;
    tracing::info!(bind = %settings.server.bind, "forum is serving");
    let served = server.run().await;
    jobs.stop(Duration::from_secs(settings.server.shutdown_timeout_secs));
    served?;
    tracing::info!("forum stopped");
    Ok(())
}

/// The whole application (configuration, middleware, routes and fallbacks) for one worker:
/// `serve` builds one per worker, and the in-process route tests build the same one, so what
/// they check is what is served.
pub fn build_app(
    state: web::Data<AppState>,
    access_log: web::Data<AccessLog>,
    key: Key,
    secure: bool,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(state.clone())
        .app_data(access_log.clone())
        .app_data(web::PayloadConfig::new(FORM_LIMIT))
        .app_data(web::FormConfig::default().limit(FORM_LIMIT))
        .app_data(
            web::JsonConfig::default()
                .limit(FORM_LIMIT)
                .error_handler(|e, _| json_error(e).into()),
        )
        .app_data(
            web::PathConfig::default().error_handler(|_, _| AppError::not_found("page").into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|e, _| {
            tracing::debug!("query refused: {e}");
            AppError::new(
                ErrorKind::Validation,
                "The address has a parameter this page cannot use.",
            )
            .into()
        }))
        .wrap(from_fn(methods::methods))
        .wrap(from_fn(requests::refuse_malformed))
        .wrap(ErrorHandlers::new().default_handler(pages::error_pages))
        .wrap(
            SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("forum_session".into())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_content_security(CookieContentSecurity::Private)
                .session_lifecycle(
                    PersistentSession::default()
                        .session_ttl(actix_web::cookie::time::Duration::days(14)),
                )
                .build(),
        )
        .wrap(
            DefaultHeaders::new()
                .add(("Content-Security-Policy", CSP))
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
                .add(("X-Frame-Options", "DENY"))
                .add((
                    "Permissions-Policy",
                    "camera=(), microphone=(), geolocation=()",
                )),
        )
        .wrap(Compress::default())
        .wrap(from_fn(access_log::access_log))
        .wrap(tracing_actix_web::TracingLogger::default())
        .configure(api::configure)
        .configure(handlers::configure)
        .default_service(web::to(handlers::not_found))
}

/// A JSON body that could not be taken: too large is 413 like any other over-size body; a body
/// that does not fit the expected shape says why (API clients are programs being written).
fn json_error(e: JsonPayloadError) -> AppError {
    match e {
        JsonPayloadError::Overflow { .. }
        | JsonPayloadError::OverflowKnownLength { .. }
        | JsonPayloadError::Payload(PayloadError::Overflow) => {
            AppError::new(ErrorKind::PayloadTooLarge, "The request body is too large.")
        }
        JsonPayloadError::Deserialize(d) => {
            AppError::new(ErrorKind::Validation, format!("Invalid JSON body: {d}"))
        }
        JsonPayloadError::ContentType => AppError::new(
            ErrorKind::Validation,
            "The body must be JSON (Content-Type: application/json).",
        ),
        _ => AppError::new(ErrorKind::Validation, "The JSON body could not be read."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_size_json_is_413() {
        let known = JsonPayloadError::OverflowKnownLength {
            length: 3 << 20,
            limit: FORM_LIMIT,
        };
        let chunked = JsonPayloadError::Overflow { limit: FORM_LIMIT };
        for e in [known, chunked] {
            assert_eq!(json_error(e).kind, ErrorKind::PayloadTooLarge);
        }
        assert_eq!(
            json_error(JsonPayloadError::ContentType).kind,
            ErrorKind::Validation
        );
    }
}
