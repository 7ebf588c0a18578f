//! The single pass over pulldown-cmark's events: user HTML becomes text, bare URLs become
//! links, headings are demoted, URL expansion is budgeted, plain text is collected on the way.

use std::collections::HashMap;

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

/// The rewritten event stream plus the plain text gathered from it and the members mentioned.
pub(super) struct Rewritten<'a> {
    pub(super) events: Vec<Event<'a>>,
    pub(super) text: String,
    pub(super) mentioned: Vec<String>,
}

/// How many bytes of link/image destinations and titles the output may carry. Reference links
/// (`[x]: <long url>` then `[x][x][x]…`) copy the same URL for every use; past this budget
/// further links render as their text only, which keeps the output linear in the input.
fn url_budget(input_len: usize) -> usize {
    input_len.saturating_mul(2).saturating_add(4096)
}

/// Headings are shifted down two levels so user content never competes with
/// the page's own `h1`/`h2`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        HeadingLevel::H4 | HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

fn is_http_url(s: &str) -> bool {
    let b = s.as_bytes();
    let starts = |p: &str| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("http://") || starts("https://")
}

struct Pass<'a, 'k> {
    out: Vec<Event<'a>>,
    text: String,
    /// Text (including converted raw HTML) not yet emitted; adjacent text
    /// events are merged so a URL split by the parser is linkified whole.
    pending: String,
    in_code_block: bool,
    in_html_block: bool,
    link_depth: usize,
    image_depth: usize,
    /// For each open link/image: whether its start was emitted (false once
    /// the URL budget ran out, in which case the end is dropped too).
    open: Vec<bool>,
    budget: usize,
    /// A table cell has started but nothing was emitted yet: it is emitted
    /// when content arrives, or counted as an empty cell if it ends first.
    cell_deferred: bool,
    /// Empty cells seen in the current row and not yet emitted. Emitted
    /// before the next non-empty cell; trailing ones only within
    /// `cell_budget`. pulldown-cmark pads short body rows up to the header's
    /// width, so without this a wide header and many one-byte rows would
    /// multiply the output.
    empty_cells: usize,
    cell_budget: usize,
    /// For each open block container (quote, list, item): whether its tags
    /// were emitted. Past [`MAX_CONTAINER_DEPTH`] they are not, the content
    /// just flows into the enclosing container.
    containers: Vec<bool>,
    /// Known members by lower-cased name → their username, for `@name` links.
    known: Option<&'k HashMap<String, String>>,
    /// Usernames linked so far, each once, in order.
    mentioned: Vec<String>,
}

/// Deepest nesting of block quotes, lists and list items we render. Deeper
/// nesting is flattened: nobody needs it, and html5ever's tree building (in
/// the sanitiser) is quadratic in nesting depth.
const MAX_CONTAINER_DEPTH: usize = 16;

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Item)
}

fn is_container_end(end: &TagEnd) -> bool {
    matches!(end, TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item)
}

impl<'a, 'k> Pass<'a, 'k> {
    fn new(budget: usize, cell_budget: usize, known: Option<&'k HashMap<String, String>>) -> Self {
        Pass {
            out: Vec::new(),
            text: String::new(),
            pending: String::new(),
            in_code_block: false,
            in_html_block: false,
            link_depth: 0,
            image_depth: 0,
            open: Vec::new(),
            budget,
            cell_deferred: false,
            empty_cells: 0,
            cell_budget,
            containers: Vec::new(),
            known,
            mentioned: Vec::new(),
        }
    }

    /// Charge `cost` bytes to the URL budget; false when it is exhausted.
    fn spend(&mut self, cost: usize) -> bool {
        if cost <= self.budget {
            self.budget -= cost;
            true
        } else {
            self.budget = 0;
            false
        }
    }

    fn block_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        if self.in_html_block {
            // Keep the author's line structure of a pasted HTML block.
            let trimmed = pending.trim_end_matches('\n');
            for (i, line) in trimmed.split('\n').enumerate() {
                if i > 0 {
                    self.out.push(Event::HardBreak);
                }
                self.emit_text(line);
            }
        } else {
            self.emit_text(&pending);
        }
    }

    /// Emit text, turning bare http(s) URLs into links unless we are inside
    /// code, a link or an image's alt text.
    fn emit_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.in_code_block || self.link_depth > 0 || self.image_depth > 0 {
            self.out.push(Event::Text(CowStr::from(s.to_owned())));
            return;
        }
        let mut finder = LinkFinder::new();
        finder.kinds(&[LinkKind::Url]).url_must_have_scheme(true);
        for span in finder.spans(s) {
            let piece = span.as_str();
            if span.kind() == Some(&LinkKind::Url) && is_http_url(piece) {
                self.out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: CowStr::from(piece.to_owned()),
                    title: CowStr::from(""),
                    id: CowStr::from(""),
                }));
                self.out.push(Event::Text(CowStr::from(piece.to_owned())));
                self.out.push(Event::End(TagEnd::Link));
            } else {
                self.emit_mentions(piece);
            }
        }
    }

    /// Emit prose, turning `@name` of a known member into a link to their profile (the
    /// sanitiser keeps its `class="mention"`, which link counts leave out).
    fn emit_mentions(&mut self, s: &str) {
        let Some(known) = self.known else {
            self.out.push(Event::Text(CowStr::from(s.to_owned())));
            return;
        };
        let mut from = 0;
        for (range, name) in super::mentions::find(s) {
            let Some(username) = known.get(&name.to_ascii_lowercase()) else {
                continue;
            };
            if range.start > from {
                self.out
                    .push(Event::Text(CowStr::from(s[from..range.start].to_owned())));
            }
            // Usernames are letters, digits, `_`, `-` and `.`: nothing to escape.
            self.out.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"mention\" href=\"/u/{username}\">@{username}</a>"
            ))));
            if !self.mentioned.contains(username) {
                self.mentioned.push(username.clone());
            }
            from = range.end;
        }
        if from < s.len() {
            self.out
                .push(Event::Text(CowStr::from(s[from..].to_owned())));
        }
    }

    fn push_empty_cells(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(Event::Start(Tag::TableCell));
            self.out.push(Event::End(TagEnd::TableCell));
        }
    }

    fn event(&mut self, ev: Event<'a>) {
        if self.cell_deferred {
            self.cell_deferred = false;
            if ev == Event::End(TagEnd::TableCell) {
                self.empty_cells += 1;
                self.text.push(' ');
                return;
            }
            let n = std::mem::take(&mut self.empty_cells);
            self.push_empty_cells(n);
            self.out.push(Event::Start(Tag::TableCell));
        }
        match ev {
            Event::Text(t) => {
                self.text.push_str(&t);
                self.pending.push_str(&t);
            }
            // User HTML is shown literally: it becomes (escaped) text.
            Event::Html(t) | Event::InlineHtml(t) => {
                self.text.push_str(&t);
                self.pending.push_str(&t);
            }
            other => {
                self.flush();
                self.structural(other);
            }
        }
    }

    fn structural(&mut self, ev: Event<'a>) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Code(c) => {
                self.text.push_str(&c);
                self.out.push(Event::Code(c));
            }
            Event::SoftBreak => {
                self.text.push(' ');
                self.out.push(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.text.push('\n');
                self.out.push(Event::HardBreak);
            }
            Event::Rule => {
                self.block_break();
                self.out.push(Event::Rule);
            }
            Event::TaskListMarker(checked) => self.out.push(Event::TaskListMarker(checked)),
            // Math, footnotes and the like are not enabled; show any such
            // content as plain text rather than trusting it.
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => {
                self.text.push_str(&t);
                self.out.push(Event::Text(t));
            }
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.block_break();
                self.out.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Tag::HtmlBlock => {
                self.block_break();
                self.in_html_block = true;
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::CodeBlock(kind) => {
                self.block_break();
                self.in_code_block = true;
                self.out.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.link_depth += 1;
                let ok = self.spend(dest_url.len() + title.len());
                self.open.push(ok);
                if ok {
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.image_depth += 1;
                let ok = self.spend(dest_url.len() + title.len());
                self.open.push(ok);
                if ok {
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Tag::TableCell => self.cell_deferred = true,
            container if is_container(&container) => {
                self.block_break();
                // Once one level is dropped all deeper ones are too, so the
                // stack length is the emitted depth plus the dropped levels.
                let emit = self.containers.len() < MAX_CONTAINER_DEPTH;
                self.containers.push(emit);
                if emit {
                    self.out.push(Event::Start(container));
                }
            }
            other => {
                if is_block(&other) {
                    self.block_break();
                }
                self.out.push(Event::Start(other));
            }
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Heading(level) => {
                self.block_break();
                self.out.push(Event::End(TagEnd::Heading(demote(level))));
            }
            TagEnd::HtmlBlock => {
                self.block_break();
                self.in_html_block = false;
                self.out.push(Event::End(TagEnd::Paragraph));
            }
            TagEnd::CodeBlock => {
                self.block_break();
                self.in_code_block = false;
                self.out.push(Event::End(TagEnd::CodeBlock));
            }
            TagEnd::Link | TagEnd::Image => {
                if end == TagEnd::Link {
                    self.link_depth = self.link_depth.saturating_sub(1);
                } else {
                    self.image_depth = self.image_depth.saturating_sub(1);
                }
                if self.open.pop().unwrap_or(false) {
                    self.out.push(Event::End(end));
                }
            }
            TagEnd::TableRow | TagEnd::TableHead => {
                let n = std::mem::take(&mut self.empty_cells).min(self.cell_budget);
                self.cell_budget -= n;
                self.push_empty_cells(n);
                self.block_break();
                self.out.push(Event::End(end));
            }
            container if is_container_end(&container) => {
                self.block_break();
                if self.containers.pop().unwrap_or(true) {
                    self.out.push(Event::End(container));
                }
            }
            TagEnd::TableCell => {
                self.text.push(' ');
                self.out.push(Event::End(end));
            }
            other => {
                if is_block_end(&other) {
                    self.block_break();
                }
                self.out.push(Event::End(other));
            }
        }
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::Table(_) | Tag::TableHead | Tag::TableRow
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph | TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow
    )
}

/// Run the pass over a parser's events.
pub(super) fn rewrite<'a>(
    events: impl Iterator<Item = Event<'a>>,
    input_len: usize,
    known: Option<&HashMap<String, String>>,
) -> Rewritten<'a> {
    let mut pass = Pass::new(url_budget(input_len), input_len.saturating_add(256), known);
    for ev in events {
        pass.event(ev);
    }
    pass.flush();
    let text = tidy_text(&pass.text);
    Rewritten {
        events: pass.out,
        text,
        mentioned: pass.mentioned,
    }
}

/// Trim each line and drop empty ones so the plain text is compact.
fn tidy_text(raw: &str) -> String {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
