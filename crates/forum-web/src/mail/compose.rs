//! Building the message: plain-text and HTML parts, a Message-ID made from the delivery id (a
//! repeated delivery carries the same one, so mail systems drop it), and for email a member
//! can stop, `List-Unsubscribe` with one-click unsubscribe (RFC 8058). Every header value goes
//! through lettre's encoder, and subjects are also cut to one line, so a thread title with
//! `\r\n` in it can never start a header of its own.

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 140;

/// A rendered email, ready to become a message.
#[derive(Debug, Clone)]
pub struct Draft {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe URL, for email a member can stop.
    pub unsubscribe: Option<String>,
}

/// What the composer needs to know about the site.
#[derive(Debug, Clone)]
pub struct Sender {
    pub from: Mailbox,
    /// The host of Message-IDs.
    pub host: String,
}

/// Builds the message for `draft`, delivery `delivery_id`.
pub fn message(sender: &Sender, draft: &Draft, delivery_id: &str) -> Result<Message, String> {
    let mut builder = Message::builder()
        .from(sender.from.clone())
        .to(draft.to.clone())
        .subject(one_line(&draft.subject))
        .message_id(Some(format!("<{delivery_id}@{}>", sender.host)));
    if let Some(url) = &draft.unsubscribe {
        builder = builder
            .header(ListUnsubscribe(format!("<{url}>")))
            .header(ListUnsubscribePost);
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(draft.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(draft.html.clone()),
                ),
        )
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// A subject on one line: control characters (CR, LF, tabs) become spaces, runs of spaces
/// collapse, and it is cut at [`MAX_SUBJECT`] characters.
pub fn one_line(subject: &str) -> String {
    let flat: String = subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = flat.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= MAX_SUBJECT {
        return joined;
    }
    let cut: String = joined.chars().take(MAX_SUBJECT - 1).collect();
    format!("{}…", cut.trim_end())
}

/// `List-Unsubscribe: <https://…>`.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sender() -> Sender {
        Sender {
            from: "Forum <forum@example.com>".parse().unwrap(),
            host: "example.com".into(),
        }
    }

    fn draft(subject: &str) -> Draft {
        Draft {
            to: "Ann <ann@example.com>".parse().unwrap(),
            subject: subject.into(),
            text: "Hello".into(),
            html: "<p>Hello</p>".into(),
            unsubscribe: Some("https://forum.example.com/unsubscribe?token=u.1.2.answer.ab".into()),
        }
    }

    #[test]
    fn a_title_with_crlf_never_makes_a_header() {
        let m = message(
            &sender(),
            &draft("Help\r\nBcc: victim@example.com\r\n\r\nbody"),
            "d-1",
        )
        .unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        assert!(!text.lines().any(|l| l.starts_with("Bcc:")), "{text}");
        assert!(
            text.contains("Subject: Help Bcc: victim@example.com body"),
            "{text}"
        );
    }

    #[test]
    fn headers_carry_the_delivery_id_and_one_click_unsubscribe() {
        let m = message(&sender(), &draft("Hi"), "d-42").unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        assert!(text.contains("Message-ID: <d-42@example.com>"), "{text}");
        assert!(text.contains("List-Unsubscribe: <https://forum.example.com/unsubscribe?token="));
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(text.contains("Content-Type: text/plain"));
        assert!(text.contains("Content-Type: text/html"));
    }

    #[test]
    fn long_subjects_are_cut() {
        let s = one_line(&"word ".repeat(100));
        assert_eq!(s.chars().count(), MAX_SUBJECT);
        assert!(s.ends_with('…'));
        assert_eq!(one_line("  a\tb\n\nc "), "a b c");
    }
}
