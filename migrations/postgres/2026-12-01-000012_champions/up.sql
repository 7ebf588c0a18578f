-- The champion programme. A nomination (by staff, or by a member: one per member per programme
-- term, with a reason) waits for staff review; a grant makes a champion for a scope (every
-- category, or some), until a term end, with perks (named extra privileges); at the term end
-- a champion renews (auto_renew) or lapses, with a notice a week before; staff may revoke with
-- a reason. Rows are never deleted, so every term can be reported on.
CREATE TABLE champion_nominations (
    id BIGSERIAL PRIMARY KEY,
    nominee_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    nominator_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_staff BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    reviewer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reviewed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
-- One member nomination per member per term (staff nominate freely).
CREATE UNIQUE INDEX champion_nominations_once ON champion_nominations (nominator_id, term) WHERE by_staff = FALSE;
CREATE INDEX champion_nominations_state ON champion_nominations (state, id);
CREATE TABLE champions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    all_categories BOOLEAN NOT NULL,
    perks TEXT NOT NULL,
    auto_renew BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    granted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    nomination_id BIGINT REFERENCES champion_nominations(id) ON DELETE SET NULL,
    notice_sent_at TIMESTAMP,
    ended_at TIMESTAMP,
    end_reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
-- At most one active championship per member.
CREATE UNIQUE INDEX champions_active ON champions (user_id) WHERE state = 'active';
CREATE INDEX champions_state_end ON champions (state, ends_at);
-- The categories a scoped championship covers.
CREATE TABLE champion_categories (
    champion_id BIGINT NOT NULL REFERENCES champions(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    PRIMARY KEY (champion_id, category_id)
);
-- One row per active champion, read with the member on every page that shows them: the scope
-- ('*' for every category, else comma-separated category ids) and the perks as a bit set of
-- privileges. Written only by the champion service, next to the championship it mirrors.
CREATE TABLE champion_standing (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    perks INTEGER NOT NULL
);
