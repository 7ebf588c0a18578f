//! Registration and sign-in. Passwords are hashed with Argon2id (OWASP minimum parameters).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::models::{NewUser, User};
use forum_db::schema::users;
use forum_db::{time::now, write_tx, AnyConnection, DbError};

use crate::actor::Role;
use crate::email::Email;
use crate::error::{CoreError, CoreResult};
use crate::jobs::Job;

/// Shortest password accepted (NIST 800-63B asks for at least 8; we ask 10).
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password accepted, so hashing cost stays bounded.
pub const MAX_PASSWORD_LEN: usize = 256;

/// What a visitor submits to become a member.
#[derive(Debug, Clone)]
pub struct Registration<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// What a public registration did. An email that already has an account is not an error the
/// visitor sees: telling them would reveal who is registered. The caller answers both outcomes
/// alike, and the owner of the address is told by email instead.
#[derive(Debug, Clone)]
pub enum Registered {
    /// A new member.
    Created(Box<User>),
    /// The address belongs to an existing account; nothing was created.
    EmailInUse,
}

/// Creates a member. Usernames and emails are unique without regard to case; usernames are
/// public, so a taken one is said plainly, but a taken email is not (see [`Registered`]).
pub fn register(conn: &mut AnyConnection, r: &Registration<'_>) -> CoreResult<Registered> {
    validate_username(r.username.trim())?;
    validate_email(r.email.trim())?;
    validate_password(r.password, r.username.trim())?;
    let existing: Option<UserId> = users::table
        .filter(users::email_lower.eq(r.email.trim().to_lowercase()))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(owner) = existing {
        // Spend the time a real registration spends hashing, so timing does not tell either.
        let _ = hash_password(r.password);
        Email::AddressInUse { user: owner }.enqueue(conn)?;
        return Ok(Registered::EmailInUse);
    }
    // A registration racing this one for the same address can still win; the loser is told
    // the same as above, never "taken".
    write_tx(conn, |c| match insert_account(c, r, Role::Member, None)? {
        Ok(u) => {
            Email::ConfirmAddress {
                user: u.id,
                issued_at: now(),
            }
            .enqueue(c)?;
            Ok(Registered::Created(Box::new(u)))
        }
        Err(Taken::Email) => Ok(Registered::EmailInUse),
        Err(taken) => Err(taken.into()),
    })
}

/// Which unique value an account could not have.
#[derive(Debug, Clone, Copy)]
enum Taken {
    Username,
    Email,
    /// A unique index that names neither (not expected with today's schema).
    Either,
}

impl From<Taken> for CoreError {
    fn from(t: Taken) -> CoreError {
        CoreError::Conflict(
            match t {
                Taken::Username => "That username is taken",
                Taken::Email => "An account with that email already exists",
                Taken::Either => "That username or email is taken",
            }
            .into(),
        )
    }
}

/// Creates an account with a given role (the CLI's `user create --role admin`, staff tools,
/// the seed). Its address counts as confirmed: whoever made it vouches for it.
pub fn create_user(conn: &mut AnyConnection, r: &Registration<'_>, role: Role) -> CoreResult<User> {
    insert_account(conn, r, role, Some(now()))?.map_err(CoreError::from)
}

fn insert_account(
    conn: &mut AnyConnection,
    r: &Registration<'_>,
    role: Role,
    email_verified_at: Option<chrono::NaiveDateTime>,
) -> CoreResult<Result<User, Taken>> {
    let username = r.username.trim();
    let email = r.email.trim();
    validate_username(username)?;
    validate_email(email)?;
    validate_password(r.password, username)?;
    let hash = hash_password(r.password)?;
    let username_lower = username.to_lowercase();
    let email_lower = email.to_lowercase();
    let t = now();
    let row = NewUser {
        username,
        username_lower: &username_lower,
        email,
        email_lower: &email_lower,
        password_hash: &hash,
        role,
        created_at: t,
        last_seen_at: t,
        email_verified_at,
    };
    let username_taken: i64 = users::table
        .filter(users::username_lower.eq(&username_lower))
        .count()
        .get_result(conn)?;
    if username_taken > 0 {
        return Ok(Err(Taken::Username));
    }
    let email_taken: i64 = users::table
        .filter(users::email_lower.eq(&email_lower))
        .count()
        .get_result(conn)?;
    if email_taken > 0 {
        return Ok(Err(Taken::Email));
    }
    // A concurrent registration can still win the race; the unique index then decides and the
    // error maps to a conflict without further queries.
    // In a savepoint of its own: a unique violation rolls back to it, and the caller's
    // transaction (PostgreSQL aborts a transaction on any error) stays usable.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(users::table)
            .values(&row)
            .returning(users::all_columns)
            .get_result::<User>(c)
    });
    match inserted.map_err(DbError::Query) {
        Ok(u) => Ok(Ok(u)),
        Err(e) if e.is_unique_violation_on("email") => Ok(Err(Taken::Email)),
        Err(e) if e.is_unique_violation_on("username") => Ok(Err(Taken::Username)),
        Err(e) if e.is_unique_violation() => Ok(Err(Taken::Either)),
        Err(e) => Err(CoreError::Db(e)),
    }
}

/// Checks a username or email and password. The same error for an unknown account and a wrong
/// password, so sign-in does not reveal who is registered.
pub fn authenticate(conn: &mut AnyConnection, login: &str, password: &str) -> CoreResult<User> {
    if login.contains('\0') {
        let _ = verify_password(password, &DUMMY_HASH);
        return Err(CoreError::invalid(
            "login",
            "Wrong username, email or password",
        ));
    }
    let key = login.trim().to_lowercase();
    let user = users::table
        .filter(
            users::username_lower
                .eq(&key)
                .or(users::email_lower.eq(&key)),
        )
        .select(User::as_select())
        .first::<User>(conn)
        .optional()?;
    let bad = || CoreError::invalid("login", "Wrong username, email or password");
    if password.len() > MAX_PASSWORD_LEN || login.contains('\0') || password.contains('\0') {
        let _ = verify_password("", &DUMMY_HASH);
        return Err(bad());
    }
    match user {
        Some(u) if verify_password(password, &u.password_hash) => {
            diesel::update(users::table.find(u.id))
                .set(users::last_seen_at.eq(now()))
                .execute(conn)?;
            Ok(u)
        }
        Some(_) => Err(bad()),
        None => {
            // Spend the same time as a real check so timing does not reveal unknown accounts.
            let _ = verify_password(password, &DUMMY_HASH);
            Err(bad())
        }
    }
}

/// A real hash of a throwaway password, checked against when the account does not exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not-a-real-password").unwrap_or_default());

pub(crate) fn hash_password(password: &str) -> CoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::invalid("password", format!("Cannot hash password: {e}")))
}

pub(crate) fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn validate_username(u: &str) -> CoreResult<()> {
    crate::content::storable_text("username", u)?;
    let len = u.chars().count();
    if !(3..=20).contains(&len) {
        return Err(CoreError::invalid(
            "username",
            "Usernames are 3 to 20 characters",
        ));
    }
    if !u
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    {
        return Err(CoreError::invalid(
            "username",
            "Usernames may use letters, digits, '_', '-' and '.' only",
        ));
    }
    if !u.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Err(CoreError::invalid(
            "username",
            "Usernames start with a letter or digit",
        ));
    }
    Ok(())
}

pub(crate) fn validate_email(e: &str) -> CoreResult<()> {
    crate::content::storable_text("email", e)?;
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && e.matches('@').count() == 1
        // Nothing that could end or extend a mail header or an address list.
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c));
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid("email", "Enter a valid email address"))
    }
}

pub(crate) fn validate_password(p: &str, username: &str) -> CoreResult<()> {
    crate::content::storable_text("password", p)?;
    let len = p.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(CoreError::invalid(
            "password",
            format!("Passwords must be at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    if p.len() > MAX_PASSWORD_LEN {
        return Err(CoreError::invalid("password", "That password is too long"));
    }
    if p.eq_ignore_ascii_case(username) {
        return Err(CoreError::invalid(
            "password",
            "The password must differ from the username",
        ));
    }
    Ok(())
}
