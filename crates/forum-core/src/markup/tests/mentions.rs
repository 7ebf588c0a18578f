//! `@name` mentions: linked for known members only, never in code or links or email addresses,
//! reported once each, not counted as links, and the sanitiser keeps only our own mark.

use std::collections::HashMap;

use super::super::{cook, mention_candidates, CookOptions, Cooked};

fn known() -> HashMap<String, String> {
    HashMap::from([
        ("maria".to_string(), "Maria".to_string()),
        ("devon.k".to_string(), "devon.k".to_string()),
    ])
}

fn cooked(md: &str) -> Cooked {
    let members = known();
    cook(
        md,
        CookOptions {
            nofollow: true,
            members: Some(&members),
        },
    )
}

#[test]
fn known_names_link_to_profiles_and_are_reported_once() {
    let c = cooked("Thanks @maria and @MARIA, also @devon.k. And @nobody here.");
    assert_eq!(
        c.html
            .matches("<a class=\"mention\" href=\"/u/Maria\"")
            .count(),
        2,
        "{}",
        c.html
    );
    assert!(c.html.contains("href=\"/u/devon.k\""), "{}", c.html);
    assert!(
        c.html.contains(">@devon.k</a>. And"),
        "the sentence's dot stays out"
    );
    assert!(c.html.contains("@nobody here"), "unknown names stay text");
    assert_eq!(c.mentions, vec!["Maria", "devon.k"]);
    assert_eq!(c.link_count, 0, "mentions are not links for the link limit");
}

#[test]
fn code_links_and_emails_are_not_mentions() {
    let c = cooked(
        "Mail maria@example.com or see `@maria` and\n\n```\n@maria\n```\n\n[@maria](https://example.com)",
    );
    assert!(!c.html.contains("<a class=\"mention\""), "{}", c.html);
    assert!(c.mentions.is_empty());
    assert_eq!(c.link_count, 1, "the real link still counts");
}

#[test]
fn without_members_nothing_is_linked() {
    let c = cook("Hi @maria", CookOptions::default());
    assert!(!c.html.contains("<a"));
    assert!(c.mentions.is_empty());
}

#[test]
fn the_sanitiser_keeps_only_the_mention_mark() {
    // Raw HTML from the author is text; a Markdown link gets no class.
    let c = cooked("<a class=\"mention\" href=\"/u/x\">x</a> [y](/u/y)");
    assert!(!c.html.contains("<a class="), "{}", c.html);
    assert!(c.html.contains("&lt;a class"), "shown as text: {}", c.html);
    assert_eq!(c.link_count, 1);
}

#[test]
fn candidates_are_bounded_lowercased_and_distinct() {
    assert_eq!(
        mention_candidates("@Maria @maria @devon.k. a@b.com @x @toolongnameeeeeeeeeee1"),
        vec!["maria", "devon.k"]
    );
    let many: String = (0..200).map(|i| format!("@member{i} ")).collect();
    assert_eq!(
        mention_candidates(&many).len(),
        super::super::MAX_CANDIDATES
    );
}
