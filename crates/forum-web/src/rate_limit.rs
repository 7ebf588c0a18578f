//! Per-address limits on abuse paths (sign-in, registration, token issue), GCRA via governor.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Settings;
use crate::error::{AppError, AppResult, ErrorKind};

/// One keyed limiter per abuse path.
pub struct Limiters {
    pub login: DefaultKeyedRateLimiter<IpAddr>,
    pub register: DefaultKeyedRateLimiter<IpAddr>,
    trust_proxy: bool,
}

impl std::fmt::Debug for Limiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limiters")
    }
}

fn quota(count: u32, period: Duration) -> Quota {
    let n = NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period / n.get())
        .unwrap_or_else(|| Quota::per_second(n))
        .allow_burst(n)
}

impl Limiters {
    /// Limiters with the configured rates.
    pub fn new(settings: &Settings) -> Limiters {
        Limiters {
            login: RateLimiter::keyed(quota(
                settings.limits.login_per_minute,
                Duration::from_secs(60),
            )),
            register: RateLimiter::keyed(quota(
                settings.limits.register_per_hour,
                Duration::from_secs(3600),
            )),
            trust_proxy: settings.server.trust_proxy,
        }
    }

    /// The client's address: the socket peer, or the proxy's `X-Forwarded-For` when trusted.
    pub fn client_ip(&self, req: &HttpRequest) -> IpAddr {
        let info = req.connection_info();
        let raw = if self.trust_proxy {
            info.realip_remote_addr()
        } else {
            info.peer_addr()
        };
        raw.and_then(|s| {
            s.parse::<IpAddr>()
                .ok()
                .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        })
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    /// Takes one unit from `limiter` for this client, or answers 429 with `Retry-After`.
    pub fn check(
        &self,
        limiter: &DefaultKeyedRateLimiter<IpAddr>,
        req: &HttpRequest,
    ) -> AppResult<()> {
        let ip = self.client_ip(req);
        limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1);
            AppError {
                retry_after: Some(wait),
                ..AppError::new(
                    ErrorKind::RateLimited,
                    format!("Too many attempts. Try again in {wait} seconds."),
                )
            }
        })
    }
}
