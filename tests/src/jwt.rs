//! Just enough JWT handling to forge bad tokens: base64url and part surgery.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Unpadded base64url.
pub fn b64url_encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Decodes base64url (padding optional); None on a bad character.
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

/// The decoded JSON payload (claims) of a JWT.
pub fn claims(token: &str) -> serde_json::Value {
    let payload = token
        .split('.')
        .nth(1)
        .unwrap_or_else(|| panic!("not a JWT: {token}"));
    let bytes = b64url_decode(payload).unwrap_or_else(|| panic!("bad base64 in {token}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("JWT payload not JSON: {e}"))
}

/// The same claims with header `{"alg":"none"}` and an empty signature.
pub fn alg_none(token: &str) -> String {
    let payload = token.split('.').nth(1).unwrap_or_default();
    format!(
        "{}.{payload}.",
        b64url_encode(br#"{"alg":"none","typ":"JWT"}"#)
    )
}

/// The same header and payload with one signature character flipped.
pub fn tampered_signature(token: &str) -> String {
    let (rest, sig) = token
        .rsplit_once('.')
        .unwrap_or_else(|| panic!("not a JWT: {token}"));
    let mut sig: Vec<char> = sig.chars().collect();
    let i = sig.len() / 2;
    sig[i] = if sig[i] == 'A' { 'B' } else { 'A' };
    format!("{rest}.{}", sig.into_iter().collect::<String>())
}

/// The original header and signature around a payload with `claim` changed to `value`.
pub fn tampered_claim(token: &str, claim: &str, value: serde_json::Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT: {token}");
    let mut payload = claims(token);
    payload[claim] = value;
    let encoded = b64url_encode(payload.to_string().as_bytes());
    format!("{}.{encoded}.{}", parts[0], parts[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for s in [
            "",
            "f",
            "fo",
            "foo",
            "foob",
            "fooba",
            "foobar",
            "\u{ff}\u{fe}?>",
        ] {
            let enc = b64url_encode(s.as_bytes());
            assert!(!enc.contains('='));
            assert_eq!(b64url_decode(&enc).as_deref(), Some(s.as_bytes()));
        }
        assert_eq!(b64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64url_encode(b"\xfb\xff"), "-_8");
        let t = format!(
            "{}.{}.sig",
            b64url_encode(b"{}"),
            b64url_encode(br#"{"sub":"1"}"#)
        );
        assert_eq!(claims(&t)["sub"], "1");
        assert_eq!(claims(&tampered_claim(&t, "sub", "2".into()))["sub"], "2");
        assert!(alg_none(&t).ends_with('.'));
        assert_ne!(tampered_signature(&t), t);
    }
}
