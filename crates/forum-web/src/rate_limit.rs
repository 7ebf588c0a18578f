//! Per-address limits on abuse paths (sign-in, registration, token issue), GCRA via governor.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Settings;
use crate::error::{AppError, AppResult, ErrorKind};

/// Checks between two prunes of the keyed state: every address ever seen keeps an entry until
/// pruned, so without this a crawl from many addresses would grow the maps without bound.
const PRUNE_EVERY: u64 = 1024;

/// One keyed limiter per abuse path.
pub struct Limiters {
    pub login: DefaultKeyedRateLimiter<IpAddr>,
    pub register: DefaultKeyedRateLimiter<IpAddr>,
    /// Password-reset and confirmation emails asked for (each sends mail to someone).
    pub email_links: DefaultKeyedRateLimiter<IpAddr>,
    trust_proxy: bool,
    checks: AtomicU64,
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
            email_links: RateLimiter::keyed(quota(
                settings.accounts.email_links_per_hour,
                Duration::from_secs(3600),
            )),
            trust_proxy: settings.server.trust_proxy,
            checks: AtomicU64::new(0),
        }
    }

    /// The client's address: the socket peer, or, when we run behind a trusted proxy, the
    /// right-most `X-Forwarded-For` entry (the one that proxy appended; everything to its left
    /// came from the client and may be forged). The peer when that entry is missing or garbled.
    pub fn client_ip(&self, req: &HttpRequest) -> IpAddr {
        let forwarded = if self.trust_proxy {
            forwarded_for(req)
        } else {
            None
        };
        forwarded
            .or_else(|| req.peer_addr().map(|a| a.ip()))
            .unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    /// Takes one unit from `limiter` for this client, or answers 429 with `Retry-After`.
    pub fn check(
        &self,
        limiter: &DefaultKeyedRateLimiter<IpAddr>,
        req: &HttpRequest,
    ) -> AppResult<()> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.prune();
        }
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

    /// Forgets every address whose limit has fully recovered (its entry says nothing a fresh
    /// one would not) and gives the memory back.
    pub fn prune(&self) {
        for limiter in [&self.login, &self.register, &self.email_links] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Addresses currently remembered, over both limiters.
    pub fn tracked(&self) -> usize {
        self.login.len() + self.register.len() + self.email_links.len()
    }
}

/// The last entry of the last `X-Forwarded-For` line (several lines read as one list).
fn forwarded_for(req: &HttpRequest) -> Option<IpAddr> {
    let line = req.headers().get_all("x-forwarded-for").last()?;
    let entry = line.to_str().ok()?.rsplit(',').next()?.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
#[path = "rate_limit_tests.rs"]
mod tests;
