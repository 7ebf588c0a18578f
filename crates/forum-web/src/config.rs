//! Settings, declared once: each key below has its type, default, one `FORUM_*` environment
//! variable and its documentation on one line, and everything else (structs, defaults, the
//! override layers, the README table and `config/forum.toml`) follows from that line.
//!
//! Precedence, lowest first: default < file < settings stored by admins < environment < flags
//! (`Settings::load_layers`). Built once in `main` and passed down; no global.

mod declare;
mod docs;
mod layers;
mod value;

use std::path::PathBuf;

use serde::Deserialize;

use crate::access_log::AccessLogMode;
pub use declare::KeyInfo;
use declare::{declare_settings, redacted};
pub use docs::{readme_table, toml_file, README_END, README_START};
pub use layers::{ConfigError, Layer, Source};
pub use value::{BindAddress, ConfigValue, EmailTransport, LogFormat, OptionalUrl};

declare_settings! {
    /// Listening, secrets, cookies and the page cache.
    [server] ServerSettings {
        bind: BindAddress = BindAddress::default(), "FORUM_BIND",
            "Address to listen on (`forum serve --bind` overrides it).";
        base_url: OptionalUrl = OptionalUrl::default(), "FORUM_BASE_URL",
            "Public http(s) URL for canonical links; empty: `http://{bind}`.";
        data_dir: PathBuf = "data".into(), "FORUM_DATA_DIR",
            "Where the SQLite file, generated secrets and the search index live.";
        workers: usize = 2, "FORUM_WORKERS",
            "HTTP worker threads.";
        session_secret: String = String::new(), "FORUM_SESSION_SECRET",
            "Signs session cookies, at least 64 characters; empty: generated once into `data_dir/session.key`. Set it when running several nodes.";
        jwt_secret: String = String::new(), "FORUM_JWT_SECRET",
            "Signs API tokens (HS256), at least 32 characters; empty: generated once into `data_dir/jwt.key`.";
        jwt_ttl_secs: u64 = 900, "FORUM_JWT_TTL_SECS",
            "API token lifetime in seconds.";
        cookie_secure: bool = false, "FORUM_COOKIE_SECURE",
            "Send cookies over HTTPS only; turn on behind TLS.";
        trust_proxy: bool = false, "FORUM_TRUST_PROXY",
            "Take the client address from the right-most `X-Forwarded-For` entry (the one your proxy appends); only behind a proxy you run.";
        shutdown_timeout_secs: u64 = 30, "FORUM_SHUTDOWN_TIMEOUT_SECS",
            "Seconds in-flight requests get to finish on shutdown.";
        anon_cache_secs: u64 = 10, "FORUM_ANON_CACHE_SECS",
            "Seconds an anonymous reader's page may come from the page cache (any write on the node clears it); 0 turns it off.";
        anon_cache_max_bytes: u64 = 64 * 1024 * 1024, "FORUM_ANON_CACHE_MAX_BYTES",
            "Most bytes the anonymous page cache may hold (64 MiB); over it, expired pages and then the oldest go. Pages are keyed by path plus the `tab`, `sort`, `q` and `page` parameters only.";
        read_cache_entries: u64 = 1000, "FORUM_READ_CACHE_ENTRIES",
            "Thread contents, and as many list pages, kept between requests on SQLite and reused until any write moves the database's data generation (0 reads every page from the database; PostgreSQL always does).";
        fragment_cache_max_bytes: u64 = 32 * 1024 * 1024, "FORUM_FRAGMENT_CACHE_MAX_BYTES",
            "Most bytes of rendered posts kept for reuse on members' pages (32 MiB; least recently used go first); 0 renders every post every time. A stored post is reused only while everything it shows is unchanged.";
    }
    /// Which database; the URL scheme picks the backend.
    [database] DatabaseSettings {
        url: String = String::new(), "FORUM_DATABASE_URL",
            "`sqlite://PATH`, a bare path, or `postgres://...` (`--database-url` overrides it); empty: `sqlite://{data_dir}/forum.sqlite3`.";
        pool_size: u32 = 8, "FORUM_POOL_SIZE",
            "Database connections.";
    }
    /// How the site names itself.
    [site] SiteSettings {
        name: String = "Support Community".into(), "FORUM_SITE_NAME",
            "Shown in the header and page titles.";
        description: String = "Customers helping customers: ask, answer, and find solved questions.".into(),
            "FORUM_SITE_DESCRIPTION", "Shown in the footer and in the description and link-preview tags.";
    }
    /// Where themes live and which is active; the active theme overrides `default` file by file.
    [theme] ThemeSettings {
        dir: PathBuf = "themes".into(), "FORUM_THEME_DIR",
            "Where themes live.";
        name: String = "default".into(), "FORUM_THEME",
            "Active theme; it overrides `default` file by file.";
    }
    /// Abuse limits.
    [limits] LimitSettings {
        login_per_minute: u32 = 10, "FORUM_LOGIN_PER_MINUTE",
            "Sign-in and token attempts per client address per minute.";
        register_per_hour: u32 = 5, "FORUM_REGISTER_PER_HOUR",
            "Registrations per client address per hour.";
        new_user_posts_per_window: u32 = 5, "FORUM_NEW_USER_POSTS_PER_WINDOW",
            "Posts a new (TL0) member may make per `new_user_window_secs`.";
        new_user_window_secs: u64 = 600, "FORUM_NEW_USER_WINDOW_SECS",
            "Length in seconds of a new member's posting window.";
        new_user_max_links: usize = 2, "FORUM_NEW_USER_MAX_LINKS",
            "Links a new (TL0) member may put in one post.";
        new_user_max_images: usize = 1, "FORUM_NEW_USER_MAX_IMAGES",
            "Images a new (TL0) member may put in one post.";
        new_user_max_mentions: usize = 2, "FORUM_NEW_USER_MAX_MENTIONS",
            "Members a new (TL0) member may `@mention` in one post (each is notified).";
        max_mentions: usize = 10, "FORUM_MAX_MENTIONS",
            "Members anyone else may `@mention` in one post (moderators and staff are not limited).";
        member_posts_per_window: u32 = 30, "FORUM_MEMBER_POSTS_PER_WINDOW",
            "Posts a TL1 or TL2 member may make per `member_window_secs` (TL3 and up: no limit).";
        member_window_secs: u64 = 600, "FORUM_MEMBER_WINDOW_SECS",
            "Length in seconds of a member's posting window.";
    }
    /// Reputation, kudos and privileges.
    [reputation] ReputationSettings {
        kudos_per_day: u32 = 10, "FORUM_KUDOS_PER_DAY",
            "Kudos (thank-yous, +2 reputation each to the author) one member may give in any 24 hours.";
        serial_vote_threshold: u32 = 5, "FORUM_SERIAL_VOTE_THRESHOLD",
            "Votes by one member on another member's posts within `serial_vote_window_hours` that count as serial voting (withdrawn, their reputation reversed).";
        serial_vote_window_hours: u32 = 24, "FORUM_SERIAL_VOTE_WINDOW_HOURS",
            "The window serial voting is looked for in; the check runs once every window.";
    }
    /// Trust levels 1–3: a member holds a level when they meet its requirements and those of
    /// every level below (TL4 is granted by staff).
    [trust] TrustSettings {
        tl1_reputation: u64 = 10, "FORUM_TRUST_TL1_REPUTATION",
            "Reputation trust level 1 needs.";
        tl1_days_visited: u64 = 0, "FORUM_TRUST_TL1_DAYS_VISITED",
            "Days visited trust level 1 needs.";
        tl1_posts_read: u64 = 0, "FORUM_TRUST_TL1_POSTS_READ",
            "Posts read trust level 1 needs.";
        tl1_answers: u64 = 0, "FORUM_TRUST_TL1_ANSWERS",
            "Answers posted (not deleted) trust level 1 needs.";
        tl1_accepted_answers: u64 = 0, "FORUM_TRUST_TL1_ACCEPTED_ANSWERS",
            "Answers accepted on others' questions trust level 1 needs.";
        tl1_flags_agreed: u64 = 0, "FORUM_TRUST_TL1_FLAGS_AGREED",
            "Flags raised that moderators agreed with trust level 1 needs.";
        tl2_reputation: u64 = 100, "FORUM_TRUST_TL2_REPUTATION",
            "Reputation trust level 2 needs.";
        tl2_days_visited: u64 = 5, "FORUM_TRUST_TL2_DAYS_VISITED",
            "Days visited trust level 2 needs.";
        tl2_posts_read: u64 = 30, "FORUM_TRUST_TL2_POSTS_READ",
            "Posts read trust level 2 needs.";
        tl2_answers: u64 = 3, "FORUM_TRUST_TL2_ANSWERS",
            "Answers posted (not deleted) trust level 2 needs.";
        tl2_accepted_answers: u64 = 1, "FORUM_TRUST_TL2_ACCEPTED_ANSWERS",
            "Answers accepted on others' questions trust level 2 needs.";
        tl2_flags_agreed: u64 = 0, "FORUM_TRUST_TL2_FLAGS_AGREED",
            "Flags raised that moderators agreed with trust level 2 needs.";
        tl3_reputation: u64 = 1000, "FORUM_TRUST_TL3_REPUTATION",
            "Reputation trust level 3 needs.";
        tl3_days_visited: u64 = 20, "FORUM_TRUST_TL3_DAYS_VISITED",
            "Days visited trust level 3 needs.";
        tl3_posts_read: u64 = 200, "FORUM_TRUST_TL3_POSTS_READ",
            "Posts read trust level 3 needs.";
        tl3_answers: u64 = 20, "FORUM_TRUST_TL3_ANSWERS",
            "Answers posted (not deleted) trust level 3 needs.";
        tl3_accepted_answers: u64 = 5, "FORUM_TRUST_TL3_ACCEPTED_ANSWERS",
            "Answers accepted on others' questions trust level 3 needs.";
        tl3_flags_agreed: u64 = 0, "FORUM_TRUST_TL3_FLAGS_AGREED",
            "Flags raised that moderators agreed with trust level 3 needs.";
        activity_flush_secs: u64 = 15, "FORUM_TRUST_ACTIVITY_FLUSH_SECS",
            "How often each node writes the visits and posts read it noted (they count towards trust levels).";
    }
    /// The trust level (0–4) each privilege needs; moderators and staff hold them all.
    [privileges] PrivilegeSettings {
        links_and_images: u32 = 1, "FORUM_PRIVILEGE_LINKS_AND_IMAGES",
            "Post links and images beyond the new-member limits.";
        comment_everywhere: u32 = 0, "FORUM_PRIVILEGE_COMMENT_EVERYWHERE",
            "Comment on any post (below it: on one's own posts and in one's own threads).";
        downvote: u32 = 1, "FORUM_PRIVILEGE_DOWNVOTE",
            "Vote down.";
        flag: u32 = 1, "FORUM_PRIVILEGE_FLAG",
            "Flag posts for moderators.";
        retag: u32 = 2, "FORUM_PRIVILEGE_RETAG",
            "Retag others' questions.";
        edit_others: u32 = 3, "FORUM_PRIVILEGE_EDIT_OTHERS",
            "Edit others' posts directly.";
        close_reopen: u32 = 3, "FORUM_PRIVILEGE_CLOSE_REOPEN",
            "Vote to close and reopen questions.";
        review_queue: u32 = 3, "FORUM_PRIVILEGE_REVIEW_QUEUE",
            "See the review queue.";
        trusted_flags: u32 = 3, "FORUM_PRIVILEGE_TRUSTED_FLAGS",
            "Flags that act at once.";
    }
    /// The champion programme.
    [champions] ChampionSettings {
        term_months: u32 = 6, "FORUM_CHAMPIONS_TERM_MONTHS",
            "Length of a programme term in months (1, 2, 3, 4, 6 or 12; terms start on 1 January): members nominate once per term, grants run to the term's end by default, a renewal adds a term.";
        check_secs: u64 = 3600, "FORUM_CHAMPIONS_CHECK_SECS",
            "How often the server runs the term clock (notices a week before a term ends, renewals and lapses at its end).";
    }
    /// Log output.
    [log] LogSettings {
        format: LogFormat = LogFormat::Text, "FORUM_LOG_FORMAT",
            "`text` or `json`.";
        level: String = "info".into(), "FORUM_LOG_LEVEL",
            "A tracing filter, e.g. `info,forum_web=debug`; `RUST_LOG` wins when set.";
        access: AccessLogMode = AccessLogMode::All, "FORUM_LOG_ACCESS",
            "Which requests get an access log line (target `forum_web::access`): `all`, `errors` (4xx and 5xx) or `off`.";
        access_sample: u64 = 1, "FORUM_LOG_ACCESS_SAMPLE",
            "With `all`: one line per this many successful requests (failures always); 1 = each.";
    }
    /// Outgoing email: confirmations, password resets, notifications and digests.
    [email] EmailSettings {
        transport: EmailTransport = EmailTransport::File, "FORUM_EMAIL_TRANSPORT",
            "`smtp` (sent through `smtp_url`), `file` (each message written as an `.eml` file into `file_dir`, for development) or `off` (nothing is sent).";
        smtp_url: String = String::new(), "FORUM_SMTP_URL",
            "SMTP server for `transport = \"smtp\"`: `smtp://host:25` (add `?tls=required` for STARTTLS), `smtps://user:pass@host:465` (TLS).";
        from: String = String::new(), "FORUM_EMAIL_FROM",
            "Sender of the forum's email, e.g. `Support Community <forum@example.com>`; empty: the site name at `noreply@` the base URL's host.";
        file_dir: PathBuf = PathBuf::new(), "FORUM_EMAIL_FILE_DIR",
            "Where `transport = \"file\"` writes messages; empty: `{data_dir}/mail`.";
    }
    /// How members hear of things.
    [notifications] NotificationSettings {
        email_delay_secs: u64 = 300, "FORUM_EMAIL_DELAY_SECS",
            "Seconds a notification email waits; a notification read on the site meanwhile is not emailed.";
        digest_check_secs: u64 = 60, "FORUM_DIGEST_CHECK_SECS",
            "How often the digest scheduler looks for daily (08:00 local) and weekly (Monday 08:00) digests that are due.";
    }
    /// The account lifecycle.
    [accounts] AccountSettings {
        require_verified_email: bool = false, "FORUM_REQUIRE_VERIFIED_EMAIL",
            "Whether members must confirm their address before their posts are published; when on, an unconfirmed member's posts wait (visible to them) until they confirm.";
        email_links_per_hour: u32 = 5, "FORUM_EMAIL_LINKS_PER_HOUR",
            "Password-reset and confirmation emails one client address may ask for per hour.";
    }
    /// Outgoing webhooks (used by the webhook features; read by nothing yet).
    [webhooks] WebhookSettings {
        allow_private_targets: bool = false, "FORUM_WEBHOOKS_ALLOW_PRIVATE_TARGETS",
            "Allow webhook URLs that resolve to loopback or private addresses (for tests and intranets).";
    }
}

impl Settings {
    /// What counts as serial voting, from `reputation.serial_vote_*`.
    pub fn serial_vote_rules(&self) -> forum_core::serial_votes::SerialVoteRules {
        forum_core::serial_votes::SerialVoteRules {
            threshold: usize::try_from(self.reputation.serial_vote_threshold).unwrap_or(5),
            window: chrono::Duration::hours(i64::from(
                self.reputation.serial_vote_window_hours.max(1),
            )),
        }
    }

    /// The champion programme's rules, from `champions.*`.
    pub fn champion_rules(&self) -> forum_core::champions::ChampionRules {
        forum_core::champions::ChampionRules {
            term_months: self.champions.term_months,
        }
    }

    /// The trust ladder in force, from `trust.*`.
    pub fn trust_rules(&self) -> forum_core::trust::TrustRules {
        let t = &self.trust;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let level = |level, r: [u64; 6]| forum_core::trust::Requirements {
            level,
            reputation: n(r[0]),
            days_visited: n(r[1]),
            posts_read: n(r[2]),
            answers: n(r[3]),
            accepted_answers: n(r[4]),
            flags_agreed: n(r[5]),
        };
        forum_core::trust::TrustRules {
            levels: [
                level(
                    1,
                    [
                        t.tl1_reputation,
                        t.tl1_days_visited,
                        t.tl1_posts_read,
                        t.tl1_answers,
                        t.tl1_accepted_answers,
                        t.tl1_flags_agreed,
                    ],
                ),
                level(
                    2,
                    [
                        t.tl2_reputation,
                        t.tl2_days_visited,
                        t.tl2_posts_read,
                        t.tl2_answers,
                        t.tl2_accepted_answers,
                        t.tl2_flags_agreed,
                    ],
                ),
                level(
                    3,
                    [
                        t.tl3_reputation,
                        t.tl3_days_visited,
                        t.tl3_posts_read,
                        t.tl3_answers,
                        t.tl3_accepted_answers,
                        t.tl3_flags_agreed,
                    ],
                ),
            ],
        }
    }

    /// The privilege table in force, from `privileges.*`.
    pub fn privilege_table(&self) -> forum_core::privileges::PrivilegeTable {
        use forum_db::types::TrustLevel;
        // Levels above 4 (nobody) are read as 4: staff-granted members only.
        let level = |n: u32| TrustLevel(i32::try_from(n.min(4)).unwrap_or(4));
        let p = &self.privileges;
        forum_core::privileges::PrivilegeTable {
            links_and_images: level(p.links_and_images),
            comment_everywhere: level(p.comment_everywhere),
            downvote: level(p.downvote),
            flag: level(p.flag),
            retag: level(p.retag),
            edit_others: level(p.edit_others),
            close_reopen: level(p.close_reopen),
            review_queue: level(p.review_queue),
            trusted_flags: level(p.trusted_flags),
        }
    }

    /// The social contract's posting limits in force, all from `limits.*`.
    pub fn posting_limits(&self) -> moderation::limits::PostingLimits {
        let l = &self.limits;
        moderation::limits::PostingLimits {
            new_user_max_links: l.new_user_max_links,
            new_user_max_images: l.new_user_max_images,
            new_user_max_mentions: l.new_user_max_mentions,
            max_mentions: l.max_mentions,
            new_user_posts_per_window: l.new_user_posts_per_window,
            new_user_window_secs: l.new_user_window_secs,
            member_posts_per_window: l.member_posts_per_window,
            member_window_secs: l.member_window_secs,
            require_confirmed_email: self.accounts.require_verified_email,
        }
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("forum.sqlite3").display()
            )
        } else {
            self.database.url.clone()
        }
    }

    /// Where the file transport writes messages.
    pub fn email_file_dir(&self) -> PathBuf {
        if self.email.file_dir.as_os_str().is_empty() {
            self.server.data_dir.join("mail")
        } else {
            self.email.file_dir.clone()
        }
    }

    /// The public base URL, defaulting to the bind address.
    pub fn base_url(&self) -> String {
        if self.server.base_url.is_empty() {
            format!("http://{}", self.server.bind)
        } else {
            self.server
                .base_url
                .as_str()
                .trim_end_matches('/')
                .to_string()
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
