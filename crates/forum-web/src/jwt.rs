//! API bearer tokens: HS256 JWTs with the algorithm pinned, short expiry, audience and issuer
//! checked, and a per-user `token_version` so tokens can be revoked.

use forum_db::ids::UserId;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "forum";
const AUDIENCE: &str = "forum-api";

/// The claims of an API token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub iss: String,
    pub aud: String,
    /// Must equal the user's `token_version`, so bumping it revokes every token.
    pub ver: i32,
}

/// Signing and verification keys plus the token lifetime.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_secs: u64,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys")
    }
}

impl JwtKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn new(secret: &[u8], ttl_secs: u64) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 30;
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "aud", "iss", "sub"]);
        validation.validate_nbf = true;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    /// Issues a token for a user.
    pub fn issue(
        &self,
        user_id: UserId,
        token_version: i32,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            exp: now + self.ttl_secs as i64,
            iat: now,
            nbf: now,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            ver: token_version,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature, algorithm, expiry, audience and issuer.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        if token.len() > 4096 {
            return None;
        }
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tampering() {
        let k = JwtKeys::new(&[7u8; 32], 900);
        let t = k.issue(forum_db::ids::UserId(42), 0).unwrap();
        assert_eq!(k.verify(&t).unwrap().sub, "42");
        let other = JwtKeys::new(&[8u8; 32], 900);
        assert!(other.verify(&t).is_none(), "another key");
        let mut parts: Vec<&str> = t.split('.').collect();
        let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
        parts[0] = none_header;
        assert!(
            k.verify(&format!("{}.{}.", parts[0], parts[1])).is_none(),
            "alg none"
        );
    }

    #[test]
    fn expired_tokens_are_refused() {
        let k = JwtKeys::new(&[7u8; 32], 900);
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "1".into(),
            exp: now - 120,
            iat: now - 1000,
            nbf: now - 1000,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            ver: 0,
        };
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(k.verify(&t).is_none());
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &Claims {
                exp: now + 100,
                ..claims
            },
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(k.verify(&hs512).is_none(), "algorithm pinned");
    }
}
