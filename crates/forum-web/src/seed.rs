//! Demo content for `make run` and load tests: categories, members, realistic threads with
//! answers, votes and one accepted answer. Written through the same services as real use.

use forum_core::accounts::{create_user, Registration};
use forum_core::categories::{create_category, list_categories, CategoryInput, CategoryKind};
use forum_core::lookup::user_by_username;
use forum_core::policy::WritePolicy;
use forum_core::threads::AskInput;
use forum_core::votes::VoteChoice;
use forum_core::{Actor, CoreResult, Role};
use forum_db::{write_tx, AnyConnection, Db};

/// Password of the demo accounts (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "demo-password-1";

const CATEGORIES: &[(&str, &str, &str, CategoryKind)] = &[
    (
        "getting-started",
        "Getting started",
        "Installing, first steps and account setup.",
        CategoryKind::Questions,
    ),
    (
        "billing",
        "Billing",
        "Plans, invoices, payment methods and refunds.",
        CategoryKind::Questions,
    ),
    (
        "integrations",
        "Integrations",
        "APIs, webhooks and connecting other tools.",
        CategoryKind::Questions,
    ),
    (
        "announcements",
        "Announcements",
        "News from the team.",
        CategoryKind::Announcements,
    ),
];

const USERS: &[(&str, Role)] = &[
    ("maria", Role::Member),
    ("devon", Role::Member),
    ("priya", Role::Member),
    ("sam", Role::Staff),
];

struct DemoThread {
    asker: &'static str,
    category: &'static str,
    title: &'static str,
    body: &'static str,
    tags: &'static str,
    answers: &'static [(&'static str, &'static str)],
    accept: Option<usize>,
}

const THREADS: &[DemoThread] = &[
    DemoThread {
        asker: "maria",
        category: "getting-started",
        title: "Import fails with \"invalid header\" on a CSV from Excel",
        body: "I exported my contacts from Excel as CSV and the importer stops at line 1 with `invalid header`.\n\nThe first line looks like `Name;Email;Phone`. What am I doing wrong?",
        tags: "import csv",
        answers: &[
            ("devon", "Excel in many European locales uses **semicolons** as the separator. Save as *CSV UTF-8 (Comma delimited)* instead, or pick `;` in the importer's *Separator* option."),
            ("priya", "Also check for a byte-order mark at the start of the file: older importers read it as part of the first column name."),
        ],
        accept: Some(0),
    },
    DemoThread {
        asker: "devon",
        category: "billing",
        title: "Can I switch from monthly to annual billing mid-cycle?",
        body: "We're on the monthly Team plan and want to move to annual. Do we lose the days left in the current month?",
        tags: "plans invoices",
        answers: &[("sam", "Yes. The unused part of the month is credited pro rata on the first annual invoice. Go to *Settings → Billing → Change plan*.")],
        accept: None,
    },
    DemoThread {
        asker: "priya",
        category: "integrations",
        title: "Webhook signature does not match in Node.js",
        body: "I compute HMAC-SHA256 of `JSON.stringify(req.body)` with our secret, but it never matches the `X-Signature` header. Any idea?",
        tags: "webhooks api",
        answers: &[],
        accept: None,
    },
];

/// True when the database has no categories yet (a fresh install).
pub fn is_empty(conn: &mut AnyConnection) -> CoreResult<bool> {
    Ok(list_categories(conn)?.is_empty())
}

/// Seeds the demo content in one transaction, through the same services and contract as real
/// use (written by the system actor in each demo member's name).
pub fn seed_demo(db: &Db, policy: &dyn WritePolicy) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    write_tx(&mut conn, |c| -> CoreResult<()> {
        for (i, (slug, name, description, kind)) in CATEGORIES.iter().enumerate() {
            create_category(
                c,
                &CategoryInput {
                    slug,
                    name,
                    description,
                    kind: *kind,
                    position: i as i32,
                },
            )?;
        }
        for (name, role) in USERS {
            let email = format!("{name}@example.com");
            create_user(
                c,
                &Registration {
                    username: name,
                    email: &email,
                    password: DEMO_PASSWORD,
                },
                *role,
            )?;
        }
        for t in THREADS {
            let asker = actor(c, t.asker)?;
            let input = AskInput {
                title: t.title,
                body: t.body,
                category_slug: t.category,
                tags: t.tags,
            };
            let thread = forum_core::threads::ask(c, policy, &asker, &input)?;
            let mut answer_ids = Vec::new();
            for (who, text) in t.answers {
                let a = actor(c, who)?;
                answer_ids.push(forum_core::posts::answer(c, policy, &a, thread.id, text)?.id);
            }
            if let Some(&first) = answer_ids.first() {
                let voter = actor(c, if t.asker == "maria" { "priya" } else { "maria" })?;
                forum_core::votes::vote(c, policy, &voter, first, VoteChoice::Up)?;
            }
            if let Some(i) = t.accept {
                forum_core::accept::accept(c, &asker, answer_ids[i])?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// Seeds `n` extra threads and one thread with exactly 30 answers; returns that thread's path.
pub fn seed_bench(
    db: &Db,
    policy: &dyn WritePolicy,
    n: usize,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<String> {
    let mut conn = db.conn()?;
    let path = write_tx(&mut conn, |c| -> CoreResult<String> {
        let users: Vec<Actor> = USERS
            .iter()
            .map(|(u, _)| actor(c, u))
            .collect::<CoreResult<_>>()?;
        let mut bench_path = String::new();
        for i in 0..n {
            let asker = &users[i % 3];
            let title = format!(
                "How do I configure feature {i} for a team of {} people?",
                3 + i % 40
            );
            let body = format!(
                "We are rolling out feature {i} and need it configured for several teams. The docs mention \
                 settings for *workspaces* and *roles* but I cannot find option {}. Is there a way to do this \
                 without an admin account?",
                i % 17
            );
            let cat = ["getting-started", "billing", "integrations"][i % 3];
            let input = AskInput {
                title: &title,
                body: &body,
                category_slug: cat,
                tags: "setup teams",
            };
            let t = forum_core::threads::ask(c, policy, asker, &input)?;
            let answers = if i == 0 { 30 } else { i % 4 };
            for j in 0..answers {
                let who = &users[(i + j + 1) % 4];
                let text = format!("Answer {j}: open *Settings → Teams*, choose the team and enable option {}. It applies at once.", j % 9);
                forum_core::posts::answer(
                    c,
                    policy,
                    if who.id == asker.id { &users[3] } else { who },
                    t.id,
                    &text,
                )?;
            }
            if i == 0 {
                bench_path = format!("/t/{}/{}", t.slug, t.id);
            }
            if i % 500 == 0 {
                progress(i);
            }
        }
        Ok(bench_path)
    })?;
    Ok(path)
}

fn actor(c: &mut AnyConnection, name: &str) -> CoreResult<Actor> {
    Ok(Actor::system_as(&user_by_username(c, name)?))
}
