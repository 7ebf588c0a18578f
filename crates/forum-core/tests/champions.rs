//! The champion programme on both databases, with a controllable clock: nominations (one per
//! member per term, never oneself, parallel requests counted once), grants by staff only with a
//! scope (the flair shows in scope only) and perks (held as privileges), the notice a week
//! before the term ends, renewal and lapse at the end, revocation with a reason, and the impact
//! report over the term and scope.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, NaiveDateTime};
use common::*;
use forum_core::champions::{
    self, grant, impact, nominate, renew, revoke, run_terms, ChampionRules, Grant, TermsRun,
};
use forum_core::edit::{EditInput, Edited};
use forum_core::kudos::{give, KudosRules};
use forum_core::policy::NoContract;
use forum_core::privileges::Privilege;
use forum_core::CoreError;
use forum_db::models::User;
use forum_db::test_util::TestDb;
use forum_db::types::{ChampionState, Role};
use forum_db::AnyConnection;

forum_db::backend_tests!(
    members_nominate_once_per_term_and_never_themselves,
    staff_grant_a_scope_and_perks,
    terms_give_notice_then_renew_or_lapse,
    staff_revoke_with_a_reason,
    the_impact_report_counts_the_term_and_scope,
    a_kept_thread_page_shows_the_flair_once_granted,
);

const RULES: ChampionRules = ChampionRules { term_months: 6 };

fn t0() -> NaiveDateTime {
    forum_db::time::now()
}

fn staff(c: &mut AnyConnection) -> forum_core::Actor {
    let s = user_with_role(c, "cstaff", Role::Staff);
    actor(c, &s)
}

fn plain_grant(user: &User) -> Grant {
    Grant {
        user: user.id,
        categories: vec![],
        ends_at: None,
        perks: vec![],
        auto_renew: false,
        nomination: None,
    }
}

fn members_nominate_once_per_term_and_never_themselves(t: &TestDb) {
    let c = &mut conn(t);
    let member = user(c, "nominator");
    let a = user(c, "candidate_a");
    let b = user(c, "candidate_b");
    let m = actor(c, &member);
    let why = "Answers every billing question within the hour.";
    assert_forbidden(nominate(c, RULES, &m, member.id, why, t0()));
    let short = nominate(c, RULES, &m, a.id, "great", t0());
    assert_eq!(invalid_field(short), "reason");
    nominate(c, RULES, &m, a.id, why, t0()).unwrap();
    let again = nominate(c, RULES, &m, b.id, why, t0());
    assert!(matches!(again, Err(CoreError::Conflict(_))), "{again:?}");
    // Next term, a new nomination.
    let next_term = RULES.term_end(t0()) + Duration::days(1);
    nominate(c, RULES, &m, b.id, why, next_term).unwrap();
    // Staff nominate freely.
    let s = staff(c);
    nominate(c, RULES, &s, a.id, why, t0()).unwrap();
    nominate(c, RULES, &s, b.id, why, t0()).unwrap();
    let pending = champions::pending_nominations(c, &s).unwrap();
    assert_eq!(pending.len(), 4);
    assert_forbidden(champions::pending_nominations(c, &m));
    // Parallel nominations by one member in a fresh term: one succeeds.
    let racer = user(c, "racer");
    let r = actor(c, &racer);
    let later = next_term + Duration::days(200);
    let results: Vec<bool> = std::thread::scope(|sc| {
        let handles: Vec<_> = [a.id, b.id, a.id, b.id]
            .into_iter()
            .map(|nominee| {
                let r = r.clone();
                sc.spawn(move || {
                    let mut c = conn(t);
                    nominate(&mut c, RULES, &r, nominee, why, later).is_ok()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
}

fn staff_grant_a_scope_and_perks(t: &TestDb) {
    let c = &mut conn(t);
    let inside = category(c, "questions");
    let outside = category(c, "questions");
    let champ = user(c, "champ");
    let asker = user(c, "gasker");
    let member = user(c, "gmember");
    let m = actor(c, &member);
    let g = Grant {
        categories: vec![inside.id],
        perks: vec![Privilege::EditOthers],
        ..plain_grant(&champ)
    };
    assert_forbidden(grant(c, RULES, &m, &g, t0()));
    let s = staff(c);
    let nomination = nominate(c, RULES, &m, champ.id, "Helps everyone with exports.", t0())
        .unwrap()
        .id;
    let granted = grant(
        c,
        RULES,
        &s,
        &Grant {
            nomination: Some(nomination),
            ..g.clone()
        },
        t0(),
    )
    .unwrap();
    assert_eq!(granted.state, ChampionState::Active);
    assert_eq!(granted.categories.len(), 1);
    assert_eq!(granted.ends_at, RULES.term_end(t0()));
    assert!(champions::pending_nominations(c, &s).unwrap().is_empty());
    let twice = grant(c, RULES, &s, &g, t0());
    assert!(matches!(twice, Err(CoreError::Conflict(_))), "{twice:?}");
    assert_eq!(
        forum_core::badges::held_by(c, champ.id).unwrap()[0]
            .badge
            .slug,
        "champion"
    );
    // The flair: in scope only.
    let in_thread = ask_in(c, &asker, &inside);
    let out_thread = ask_in(c, &asker, &outside);
    answer_by(c, &champ, &in_thread);
    answer_by(c, &champ, &out_thread);
    let page = forum_core::queries::thread_page(c, in_thread.id, None).unwrap();
    assert!(page.answers[0].author_is_champion);
    assert!(!page.question.author_is_champion);
    let page = forum_core::queries::thread_page(c, out_thread.id, None).unwrap();
    assert!(!page.answers[0].author_is_champion);
    // The perk: a TL0 champion edits others' posts directly.
    let ca = actor(c, &champ);
    assert_eq!(ca.trust_level.0, 0);
    let question = question_of(c, &in_thread);
    let edited = forum_core::edit::edit(
        c,
        &NoContract,
        &ca,
        question.id,
        &EditInput {
            title: None,
            body: "A clearer version of the question, by a champion.",
            reason: "clarity",
        },
    )
    .unwrap();
    assert!(matches!(edited, Edited::Applied(_)));
}

fn terms_give_notice_then_renew_or_lapse(t: &TestDb) {
    let c = &mut conn(t);
    let s = staff(c);
    let lapsing = user(c, "lapsing");
    let renewing = user(c, "renewing");
    let start = t0();
    let end = start + Duration::days(30);
    let g = |u: &User, auto_renew| Grant {
        ends_at: Some(end),
        auto_renew,
        perks: vec![Privilege::Retag],
        ..plain_grant(u)
    };
    let l = grant(c, RULES, &s, &g(&lapsing, false), start).unwrap();
    let r = grant(c, RULES, &s, &g(&renewing, true), start).unwrap();
    assert_eq!(
        run_terms(c, RULES, end - Duration::days(8)).unwrap(),
        TermsRun::default()
    );
    let noticed = run_terms(c, RULES, end - Duration::days(7)).unwrap();
    assert_eq!(noticed.noticed, 2);
    assert_eq!(
        run_terms(c, RULES, end - Duration::days(6))
            .unwrap()
            .noticed,
        0
    );
    let told = forum_core::notifications::list(c, lapsing.id, 1).unwrap().0;
    assert!(told[0].notification.message.contains("ends on"), "{told:?}");
    assert_eq!(actor(c, &lapsing).perks, Privilege::Retag.bit());
    let at_end = run_terms(c, RULES, end + Duration::seconds(1)).unwrap();
    assert_eq!((at_end.renewed, at_end.lapsed), (1, 1));
    assert_eq!(
        champions::by_id(c, l.id).unwrap().state,
        ChampionState::Lapsed
    );
    assert_eq!(actor(c, &lapsing).perks, 0, "perks end with the term");
    let renewed = champions::by_id(c, r.id).unwrap();
    assert_eq!(renewed.state, ChampionState::Active);
    assert_eq!(renewed.ends_at, RULES.one_term_after(end));
    assert_eq!(
        run_terms(c, RULES, end + Duration::days(1)).unwrap(),
        TermsRun::default()
    );
    // A renewal by staff moves the end on by a term.
    let again = renew(c, RULES, &s, r.id, None, end + Duration::days(2)).unwrap();
    assert_eq!(again.ends_at, RULES.one_term_after(renewed.ends_at));
    let lapsed_renewal = renew(c, RULES, &s, l.id, None, end + Duration::days(2));
    assert!(matches!(lapsed_renewal, Err(CoreError::Conflict(_))));
}

fn staff_revoke_with_a_reason(t: &TestDb) {
    let c = &mut conn(t);
    let s = staff(c);
    let champ = user(c, "revoked");
    let other = user(c, "rother");
    let g = grant(c, RULES, &s, &plain_grant(&champ), t0()).unwrap();
    let o = actor(c, &other);
    assert_forbidden(revoke(c, &o, g.id, "no", t0()));
    assert_eq!(invalid_field(revoke(c, &s, g.id, "  ", t0())), "reason");
    let done = revoke(c, &s, g.id, "Repeated rudeness (clause 2)", t0()).unwrap();
    assert_eq!(done.state, ChampionState::Revoked);
    assert_eq!(done.end_reason, "Repeated rudeness (clause 2)");
    let told = forum_core::notifications::list(c, champ.id, 1).unwrap().0;
    assert!(told[0].notification.message.contains("Repeated rudeness"));
    assert!(champions::current(c, champ.id).unwrap().is_none());
    // Granted again later: a new term.
    grant(c, RULES, &s, &plain_grant(&champ), t0()).unwrap();
    assert_eq!(champions::history(c, champ.id).unwrap().len(), 2);
}

fn the_impact_report_counts_the_term_and_scope(t: &TestDb) {
    let c = &mut conn(t);
    let s = staff(c);
    let inside = category(c, "questions");
    let outside = category(c, "questions");
    let champ = user(c, "impact");
    let asker = user(c, "iasker");
    let early = user(c, "early");
    let start = t0() - Duration::minutes(1);
    let g = grant(
        c,
        RULES,
        &s,
        &Grant {
            categories: vec![inside.id],
            ..plain_grant(&champ)
        },
        start,
    )
    .unwrap();
    let q1 = ask_in(c, &asker, &inside);
    let q2 = ask_in(c, &asker, &inside);
    let q3 = ask_in(c, &asker, &outside);
    let first = answer_by(c, &champ, &q1);
    answer_by(c, &early, &q2);
    answer_by(c, &champ, &q2);
    answer_by(c, &champ, &q3);
    let a = actor(c, &asker);
    forum_core::accept::accept(c, &a, first.id).unwrap();
    give(c, KudosRules::default(), &a, first.id).unwrap();
    let report = impact(c, &s, g.id, t0() + Duration::minutes(1)).unwrap();
    assert_eq!(report.answers, 2, "the out-of-scope answer is not counted");
    assert_eq!(report.accepted_answers, 1);
    assert_eq!(
        report.first_responses, 1,
        "q2 was answered first by someone else"
    );
    assert!(report.median_first_response_hours.is_some());
    assert_eq!(report.kudos_received, 1);
    let me = actor(c, &champ);
    impact(c, &me, g.id, t0()).unwrap();
    let stranger = actor(c, &early);
    assert_forbidden(impact(c, &stranger, g.id, t0()));
}

fn a_kept_thread_page_shows_the_flair_once_granted(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "kasker");
    let helper = user(c, "khelper");
    let thread = ask_in(c, &asker, &cat);
    answer_by(c, &helper, &thread);
    let reads = forum_core::queries::ReadCaches::new(10);
    let before = reads.thread_page(c, thread.id, None).unwrap();
    assert!(!before.answers[0].author_is_champion);
    let s = staff(c);
    let g = grant(c, RULES, &s, &plain_grant(&helper), t0()).unwrap();
    let after = reads.thread_page(c, thread.id, None).unwrap();
    assert!(
        after.answers[0].author_is_champion,
        "the kept page was read again"
    );
    revoke(c, &s, g.id, "Stepping back", t0()).unwrap();
    let ended = reads.thread_page(c, thread.id, None).unwrap();
    assert!(!ended.answers[0].author_is_champion);
}
