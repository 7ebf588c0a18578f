// One schema for both backends: only portable SQL types (BigInt, Integer, Text, Bool, Timestamp).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_lower -> Text,
        email -> Text,
        email_lower -> Text,
        password_hash -> Text,
        role -> Text,
        reputation -> BigInt,
        trust_level -> Integer,
        bio -> Text,
        token_version -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        email_verified_at -> Nullable<Timestamp>,
        email_undeliverable_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    champion_standing (user_id) {
        user_id -> BigInt,
        scope -> Text,
        perks -> Integer,
    }
}

diesel::table! {
    champion_nominations (id) {
        id -> BigInt,
        nominee_id -> BigInt,
        nominator_id -> BigInt,
        term -> Text,
        reason -> Text,
        by_staff -> Bool,
        state -> Text,
        reviewer_id -> Nullable<BigInt>,
        reviewed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    champions (id) {
        id -> BigInt,
        user_id -> BigInt,
        all_categories -> Bool,
        perks -> Text,
        auto_renew -> Bool,
        state -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        granted_by -> Nullable<BigInt>,
        nomination_id -> Nullable<BigInt>,
        notice_sent_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    champion_categories (champion_id, category_id) {
        champion_id -> BigInt,
        category_id -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        kind -> Text,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        category_id -> BigInt,
        author_id -> BigInt,
        title -> Text,
        slug -> Text,
        accepted_post_id -> Nullable<BigInt>,
        score -> BigInt,
        answer_count -> BigInt,
        created_at -> Timestamp,
        bumped_at -> Timestamp,
        solved_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    kudos (id) {
        id -> BigInt,
        post_id -> BigInt,
        giver_id -> BigInt,
        receiver_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    thread_tags (thread_id, tag_id) {
        thread_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> BigInt,
        is_question -> Bool,
        body_raw -> Text,
        body_html -> Text,
        body_text -> Text,
        cook_version -> Integer,
        score -> BigInt,
        revision -> Integer,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<BigInt>,
        kudos_count -> BigInt,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        post_id -> BigInt,
        author_id -> BigInt,
        body_raw -> Text,
        body_html -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        actor_id -> Nullable<BigInt>,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        subject_key -> Text,
        message -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_counts (user_id) {
        user_id -> BigInt,
        unread -> BigInt,
    }
}

diesel::table! {
    held_posts (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        title -> Text,
        body -> Text,
        category -> Text,
        tags -> Text,
        created_at -> Timestamp,
        failed -> Nullable<Text>,
    }
}

diesel::table! {
    member_settings (user_id) {
        user_id -> BigInt,
        display_name -> Text,
        time_zone -> Text,
    }
}

diesel::table! {
    notification_prefs (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        frequency -> Text,
    }
}

diesel::table! {
    email_digests (user_id, period) {
        user_id -> BigInt,
        period -> Text,
        covered_until -> Timestamp,
    }
}

diesel::table! {
    watches (user_id, target, target_id) {
        user_id -> BigInt,
        target -> Text,
        target_id -> BigInt,
        level -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    votes (id) {
        id -> BigInt,
        post_id -> BigInt,
        user_id -> BigInt,
        value -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reputation_events (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        nominal -> BigInt,
        delta -> BigInt,
        post_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        reverses_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> BigInt,
        post_id -> BigInt,
        revision -> Integer,
        editor_id -> BigInt,
        title -> Nullable<Text>,
        body_raw -> Text,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        topic -> Text,
        payload -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        available_at -> Timestamp,
        processed_at -> Nullable<Timestamp>,
        delivery_id -> Text,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        dead_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_pruned (topic) {
        topic -> Text,
        through_id -> BigInt,
        pruned_at -> Timestamp,
    }
}

diesel::table! {
    member_activity (user_id) {
        user_id -> BigInt,
        days_visited -> BigInt,
        last_visited_at -> Nullable<Timestamp>,
        posts_read -> BigInt,
        flags_agreed -> BigInt,
    }
}

diesel::table! {
    thread_reads (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        posts_seen -> BigInt,
    }
}

diesel::table! {
    trust_requirements (level) {
        level -> Integer,
        reputation -> BigInt,
        days_visited -> BigInt,
        posts_read -> BigInt,
        answers -> BigInt,
        accepted_answers -> BigInt,
        flags_agreed -> BigInt,
    }
}

diesel::table! {
    suggested_edits (id) {
        id -> BigInt,
        post_id -> BigInt,
        suggester_id -> BigInt,
        base_revision -> Integer,
        title -> Nullable<Text>,
        body_raw -> Text,
        reason -> Text,
        state -> Text,
        reviewer_id -> Nullable<BigInt>,
        reviewed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    badge_awards (id) {
        id -> BigInt,
        user_id -> BigInt,
        badge -> Text,
        subject_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_kind -> Text,
        target_id -> BigInt,
        reason -> Text,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        generation -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(threads -> categories (category_id));
diesel::joinable!(threads -> users (author_id));
diesel::joinable!(thread_tags -> threads (thread_id));
diesel::joinable!(thread_tags -> tags (tag_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(posts -> threads (thread_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(votes -> posts (post_id));
diesel::joinable!(notifications -> threads (thread_id));
diesel::joinable!(notification_counts -> users (user_id));
diesel::joinable!(post_revisions -> users (editor_id));

diesel::joinable!(notification_prefs -> users (user_id));
diesel::joinable!(member_settings -> users (user_id));
diesel::joinable!(held_posts -> users (user_id));
diesel::joinable!(kudos -> posts (post_id));
diesel::joinable!(badge_awards -> users (user_id));
diesel::joinable!(reputation_events -> users (user_id));
diesel::joinable!(reputation_events -> posts (post_id));
diesel::joinable!(champions -> users (user_id));
diesel::joinable!(champion_standing -> users (user_id));
diesel::joinable!(champion_categories -> champions (champion_id));
diesel::joinable!(champion_categories -> categories (category_id));
diesel::joinable!(suggested_edits -> posts (post_id));
diesel::joinable!(email_digests -> users (user_id));
diesel::joinable!(member_activity -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    kudos,
    member_activity,
    audit_log,
    champion_nominations,
    champions,
    champion_categories,
    champion_standing,
    badge_awards,
    suggested_edits,
    thread_reads,
    trust_requirements,
    member_settings,
    held_posts,
    notification_prefs,
    email_digests,
    categories,
    tags,
    threads,
    thread_tags,
    posts,
    comments,
    votes,
    reputation_events,
    post_revisions,
    outbox,
    outbox_pruned,
    sessions,
    notifications,
    notification_counts,
    watches,
);
