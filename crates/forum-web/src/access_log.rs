//! The access log: a line per request, only the failures, a sample of the successes, or
//! nothing. Under load a line per request is most of the log (hundreds of megabytes in
//! minutes), so the volume is a setting: `log.access` and `log.access_sample`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;
use serde::Deserialize;

use crate::config::LogSettings;

/// Which requests get an access log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessLogMode {
    /// Every failure and every `access_sample`-th success.
    #[default]
    All,
    /// Only answers with a 4xx or 5xx status.
    Errors,
    /// None.
    Off,
}

impl AccessLogMode {
    /// The mode named `s` (as in the config file), if any.
    pub fn parse(s: &str) -> Option<AccessLogMode> {
        match s.trim() {
            "all" => Some(AccessLogMode::All),
            "errors" => Some(AccessLogMode::Errors),
            "off" => Some(AccessLogMode::Off),
            _ => None,
        }
    }
}

/// The access log policy, shared by every worker.
#[derive(Debug)]
pub struct AccessLog {
    mode: AccessLogMode,
    sample: u64,
    successes: AtomicU64,
}

impl AccessLog {
    /// The policy the settings ask for (a sample of 0 counts as 1).
    pub fn new(settings: &LogSettings) -> AccessLog {
        AccessLog {
            mode: settings.access,
            sample: settings.access_sample.max(1),
            successes: AtomicU64::new(0),
        }
    }

    /// Whether an answer with `status` gets a line.
    pub fn wants(&self, status: StatusCode) -> bool {
        match self.mode {
            AccessLogMode::Off => false,
            _ if status.is_client_error() || status.is_server_error() => true,
            AccessLogMode::Errors => false,
            AccessLogMode::All => {
                self.sample == 1
                    || self
                        .successes
                        .fetch_add(1, Ordering::Relaxed)
                        .is_multiple_of(self.sample)
            }
        }
    }
}

/// Middleware: times the request and logs it if the policy wants it. It runs inside the
/// request span, so the line carries the request id and route.
pub async fn access_log(
    log: web::Data<AccessLog>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if log.mode == AccessLogMode::Off {
        return next.call(req).await;
    }
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_string();
    let res = next.call(req).await?;
    let status = res.status();
    if log.wants(status) {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(
            target: "forum_web::access",
            method = %method,
            path = %path,
            status = status.as_u16(),
            ms = format_args!("{ms:.2}"),
            "request"
        );
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(mode: AccessLogMode, sample: u64) -> AccessLog {
        AccessLog::new(&LogSettings {
            access: mode,
            access_sample: sample,
            ..LogSettings::default()
        })
    }

    #[test]
    fn modes_and_sampling() {
        let ok = StatusCode::OK;
        let errors = [StatusCode::NOT_FOUND, StatusCode::INTERNAL_SERVER_ERROR];
        let all = log(AccessLogMode::All, 1);
        assert!((0..5).all(|_| all.wants(ok)));
        let sampled = log(AccessLogMode::All, 3);
        let kept = (0..9).filter(|_| sampled.wants(ok)).count();
        assert_eq!(kept, 3, "one in three successes");
        assert!(errors.iter().all(|s| sampled.wants(*s)), "failures always");
        let only_errors = log(AccessLogMode::Errors, 1);
        assert!(!only_errors.wants(ok) && !only_errors.wants(StatusCode::SEE_OTHER));
        assert!(errors.iter().all(|s| only_errors.wants(*s)));
        let off = log(AccessLogMode::Off, 1);
        assert!(!off.wants(ok) && errors.iter().all(|s| !off.wants(*s)));
        assert!(log(AccessLogMode::All, 0).wants(ok), "a sample of 0 is 1");
        assert_eq!(AccessLogMode::parse("errors"), Some(AccessLogMode::Errors));
        assert_eq!(AccessLogMode::parse("some"), None);
    }
}
