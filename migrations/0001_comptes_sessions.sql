-- Accounts, server-side sessions and failed logins (espace rédaction).

CREATE TABLE accounts (
    id          TEXT PRIMARY KEY NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('redaction', 'structure')),
    structure   TEXT,
    hash        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    CHECK ((role = 'structure') = (structure IS NOT NULL))
);

-- A session is stored under the SHA-256 of its cookie value: a copy of the database does not
-- give usable cookies. `account` is NULL before login (the login form's CSRF token).
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY NOT NULL,
    account     TEXT REFERENCES accounts(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX sessions_last_seen ON sessions(last_seen);

-- One row per failed login, keyed by account (`compte:ID`) and by client address (`adresse:IP`).
CREATE TABLE login_failures (
    key         TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
