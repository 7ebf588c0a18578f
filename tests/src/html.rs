//! Tiny HTML helpers by plain string search. They assume the server's own well-formed,
//! double-quoted markup; they are not a general parser.

/// Every opening tag `<name ...>` (the whole tag text, including `<` and `>`).
pub fn open_tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!("<{name}");
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let boundary = after
            .chars()
            .next()
            .is_some_and(|c| c.is_whitespace() || c == '>');
        match after.find('>') {
            Some(end) if boundary => {
                tags.push(&rest[i..i + needle.len() + end + 1]);
                rest = &after[end + 1..];
            }
            Some(_) => rest = after,
            None => break,
        }
    }
    tags
}

/// The value of attribute `name` in one tag (double or single quoted), unescaped.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    for quote in ['"', '\''] {
        let needle = format!("{name}={quote}");
        let mut search = tag;
        while let Some(i) = search.find(&needle) {
            let preceded_ok =
                i == 0 || search[..i].ends_with(|c: char| c.is_whitespace() || c == '<');
            let value_start = &search[i + needle.len()..];
            if preceded_ok {
                let end = value_start.find(quote)?;
                return Some(unescape(&value_start[..end]));
            }
            search = value_start;
        }
    }
    None
}

/// Whether the tag's `class` attribute contains the class token `class`.
pub fn has_class(tag: &str, class: &str) -> bool {
    attr(tag, "class").is_some_and(|c| c.split_whitespace().any(|t| t == class))
}

/// The hidden `csrf_token` value of the first form on the page.
pub fn csrf_token(html: &str) -> Option<String> {
    open_tags(html, "input")
        .into_iter()
        .find(|t| attr(t, "name").as_deref() == Some("csrf_token"))
        .and_then(|t| attr(t, "value"))
        .filter(|v| !v.is_empty())
}

/// `href`s of `<a class="thread-link">` elements, in page order.
pub fn thread_links(html: &str) -> Vec<String> {
    open_tags(html, "a")
        .into_iter()
        .filter(|t| has_class(t, "thread-link"))
        .filter_map(|t| attr(t, "href"))
        .collect()
}

/// A post on a thread page: `<article id="post-ID" class="post ...">…</article>`.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    /// The opening tag.
    pub tag: String,
    /// Everything from the opening tag to the matching `</article>`.
    pub html: String,
}

impl Article {
    pub fn has_class(&self, class: &str) -> bool {
        has_class(&self.tag, class)
    }
}

/// Every `<article id="post-N">` on the page, in page order.
pub fn articles(html: &str) -> Vec<Article> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<article") {
        rest = &rest[i..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..=tag_end];
        // Nested <article>s (if any) are ignored: scan to the first matching close tag by depth.
        let mut depth = 0usize;
        let mut pos = 0usize;
        let mut end = rest.len();
        while pos < rest.len() {
            let open = rest[pos..].find("<article").map(|j| j + pos);
            let close = rest[pos..].find("</article>").map(|j| j + pos);
            match (open, close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    pos = o + 8;
                }
                (_, Some(c)) => {
                    depth = depth.saturating_sub(1);
                    pos = c + 10;
                    if depth == 0 {
                        end = pos;
                        break;
                    }
                }
                _ => break,
            }
        }
        let id = attr(tag, "id").and_then(|id| id.strip_prefix("post-")?.parse::<i64>().ok());
        if let Some(id) = id {
            out.push(Article {
                id,
                tag: tag.to_string(),
                html: rest[..end].to_string(),
            });
            rest = &rest[end.min(rest.len())..];
        } else {
            rest = &rest[tag_end + 1..];
        }
    }
    out
}

/// The post whose HTML contains `text`.
pub fn article_containing(html: &str, text: &str) -> Option<Article> {
    articles(html).into_iter().find(|a| a.html.contains(text))
}

/// The visible text of the first element whose class list contains `class`.
pub fn text_of_class(html: &str, class: &str) -> Option<String> {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let tag_end = rest.find('>')?;
        let tag = &rest[..=tag_end];
        if !tag.starts_with("</") && has_class(tag, class) {
            let name: String = tag[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let inner = &rest[tag_end + 1..];
            let close = inner.find(&format!("</{name}")).unwrap_or(inner.len());
            return Some(text(&inner[..close]));
        }
        rest = &rest[tag_end + 1..];
    }
    None
}

/// Tags stripped, entities unescaped, whitespace collapsed.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The common HTML entities (enough for the server's escaping).
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

/// The reputation shown on a profile page: the text of an element with a class containing
/// `reputation`, else the first integer within 40 characters after the word "reputation".
pub fn profile_reputation(html: &str) -> Option<i64> {
    let by_class = open_tags_any(html)
        .into_iter()
        .find(|t| attr(t, "class").is_some_and(|c| c.contains("reputation")))
        .and_then(|t| {
            let class = attr(t, "class")?;
            let token = class
                .split_whitespace()
                .find(|c| c.contains("reputation"))?
                .to_string();
            text_of_class(html, &token)
        })
        .and_then(|t| first_int(&t));
    by_class.or_else(|| {
        let page = text(html);
        let lower = page.to_ascii_lowercase();
        lower.match_indices("reputation").find_map(|(i, w)| {
            let after: String = page[i + w.len()..].chars().take(40).collect();
            first_int(&after)
        })
    })
}

fn open_tags_any(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        tags.push(&rest[..=end]);
        rest = &rest[end + 1..];
    }
    tags
}

/// The first (optionally signed) integer in `s`.
pub fn first_int(s: &str) -> Option<i64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    let negative = s[..start].ends_with(['-', '−']);
    let n: i64 = digits.replace(',', "").parse().ok()?;
    Some(if negative { -n } else { n })
}

/// A short excerpt for assertion messages.
pub fn excerpt(s: &str, max: usize) -> String {
    let t = text(s);
    if t.chars().count() <= max {
        t
    } else {
        format!("{}…", t.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_csrf_articles_and_links() {
        let html = r#"<form><input type="hidden" name="csrf_token" value="a&amp;b"></form>
            <a class="thread-link big" href="/t/x/1">x</a><a href="/u/y">y</a>
            <article id="post-7" class="post question"><p>Q</p></article>
            <article id="post-9" class="post answer accepted"><p>A <b>1</b></p></article>
            <span class="badge badge-solved">Solved</span>
            <dl><dt>Reputation</dt><dd class="user-reputation">1,026</dd></dl>"#;
        assert_eq!(csrf_token(html).as_deref(), Some("a&b"));
        assert_eq!(thread_links(html), vec!["/t/x/1".to_string()]);
        let posts = articles(html);
        assert_eq!(posts.iter().map(|a| a.id).collect::<Vec<_>>(), vec![7, 9]);
        assert!(posts[1].has_class("accepted") && !posts[0].has_class("accepted"));
        assert_eq!(article_containing(html, "<b>1</b>").map(|a| a.id), Some(9));
        assert_eq!(
            text_of_class(html, "badge-solved").as_deref(),
            Some("Solved")
        );
        assert_eq!(profile_reputation(html), Some(1026));
        assert_eq!(profile_reputation("<p>Reputation: <b>26</b></p>"), Some(26));
        assert_eq!(first_int("score -3 x"), Some(-3));
    }
}
