//! The audit log on both databases: staff actions of the champion programme and trust level 4
//! are recorded in their own transaction with who, what, target, why and when; the log reads
//! back newest first with filters (actor, action prefix, target), pages by id, exports CSV, and
//! is for moderators and staff only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::audit::{list, to_csv, Filter};
use forum_core::champions::{grant, revoke, ChampionRules, Grant};
use forum_db::test_util::TestDb;
use forum_db::types::Role;

forum_db::backend_tests!(staff_actions_are_recorded_and_read_back_with_filters);

fn staff_actions_are_recorded_and_read_back_with_filters(t: &TestDb) {
    let c = &mut conn(t);
    let boss = user_with_role(c, "aboss", Role::Staff);
    let moderator = user_with_role(c, "amod", Role::Moderator);
    let member = user(c, "amember");
    let s = actor(c, &boss);
    let now = forum_db::time::now();
    let g = grant(
        c,
        ChampionRules::default(),
        &s,
        &Grant {
            user: member.id,
            categories: vec![],
            ends_at: None,
            perks: vec![],
            auto_renew: false,
            nomination: None,
        },
        now,
    )
    .unwrap();
    revoke(c, &s, g.id, "Stepping back", now).unwrap();
    forum_core::trust::set_leader(c, &s, member.id, true).unwrap();

    let m = actor(c, &moderator);
    let all = list(c, &m, &Filter::default(), 50).unwrap();
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["trust.grant_leader", "champion.revoke", "champion.grant"]
    );
    assert_eq!(all[1].reason, "Stepping back");
    assert_eq!(all[1].actor.as_deref(), Some(boss.username.as_str()));
    assert_eq!(
        (all[1].target_kind.as_str(), all[1].target_id),
        ("user", member.id.0)
    );
    let champions = list(
        c,
        &m,
        &Filter {
            action: Some("champion.".into()),
            ..Filter::default()
        },
        50,
    )
    .unwrap();
    assert_eq!(champions.len(), 2);
    let older = list(
        c,
        &m,
        &Filter {
            before_id: Some(all[0].id),
            ..Filter::default()
        },
        1,
    )
    .unwrap();
    assert_eq!(older[0].action, "champion.revoke");
    let none = list(
        c,
        &m,
        &Filter {
            actor: Some(moderator.id),
            ..Filter::default()
        },
        50,
    )
    .unwrap();
    assert!(none.is_empty());
    assert!(to_csv(&all).contains("\"champion.revoke\",\"user\""));
    let plain = actor(c, &member);
    assert_forbidden(list(c, &plain, &Filter::default(), 50));
}
