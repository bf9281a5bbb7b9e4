-- Journal of every publish, restore and approval; proposals from structure accounts.

CREATE TABLE journal (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    account     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('dispositif', 'structure', 'synonymes')),
    record      TEXT NOT NULL,
    action      TEXT NOT NULL,
    before      TEXT,
    after       TEXT NOT NULL
);
CREATE INDEX journal_record ON journal(kind, record, id);

CREATE TABLE proposals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    account     TEXT NOT NULL,
    record      TEXT NOT NULL,
    base        TEXT NOT NULL,
    content     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'en-attente'
                CHECK (status IN ('en-attente', 'approuvee', 'refusee')),
    decided_by  TEXT,
    decided_at  INTEGER
);
CREATE INDEX proposals_status ON proposals(status, id);
