//! Server-side sessions: a random cookie value, stored hashed, with its CSRF token, an idle
//! expiry and an absolute expiry. Login always creates a new session (new id).

use rusqlite::{params, OptionalExtension};

use super::accounts::Account;
use super::{random_hex, sha256_hex, Store, StoreError};

/// A logged-in session ends after this long without a request.
pub const IDLE_SECONDS: i64 = 8 * 3600;
/// …and this long after login, whatever the activity.
pub const ABSOLUTE_SECONDS: i64 = 24 * 3600;
/// A session before login (it only carries the login form's CSRF token).
pub const ANONYMOUS_SECONDS: i64 = 3600;
/// `last_seen` is written at most this often (fewer writes per request).
const TOUCH_SECONDS: i64 = 60;

/// A session as the editor sees it.
#[derive(Debug, Clone)]
pub struct Session {
    /// The cookie value (never stored as is).
    pub token: String,
    /// The logged-in account, or `None` before login.
    pub account: Option<Account>,
    /// The synchroniser token every state-changing form carries.
    pub csrf: String,
}

impl Store {
    /// Creates a session (anonymous when `account` is `None`) and returns it.
    pub fn create_session(&self, account: Option<Account>) -> Result<Session, StoreError> {
        let token = random_hex(32)?;
        let csrf = random_hex(32)?;
        let now = self.now();
        let conn = self.conn();
        conn.execute(
            "DELETE FROM sessions WHERE last_seen < ?1 OR (account IS NULL AND last_seen < ?2)
             OR created_at < ?3",
            params![
                now - IDLE_SECONDS,
                now - ANONYMOUS_SECONDS,
                now - ABSOLUTE_SECONDS
            ],
        )?;
        conn.execute(
            "INSERT INTO sessions (id_hash, account, csrf, created_at, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![
                sha256_hex(token.as_bytes()),
                account.as_ref().map(|a| a.id.as_str()),
                csrf,
                now
            ],
        )?;
        Ok(Session {
            token,
            account,
            csrf,
        })
    }

    /// The live session of a cookie value; expired sessions are deleted and give `None`, and
    /// so do sessions of an account disabled meanwhile.
    pub fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let id_hash = sha256_hex(token.as_bytes());
        let now = self.now();
        let row: Option<(Option<String>, String, i64, i64)> = self
            .conn()
            .query_row(
                "SELECT account, csrf, created_at, last_seen FROM sessions WHERE id_hash = ?1",
                [&id_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((account_id, csrf, created, seen)) = row else {
            return Ok(None);
        };
        let idle = if account_id.is_some() {
            IDLE_SECONDS
        } else {
            ANONYMOUS_SECONDS
        };
        let expired = now - seen > idle || now - created > ABSOLUTE_SECONDS || now < created;
        let account = match &account_id {
            Some(id) => self.account(id)?,
            None => None,
        };
        if expired || (account_id.is_some() && account.is_none()) {
            self.delete_session(token)?;
            return Ok(None);
        }
        if now - seen >= TOUCH_SECONDS {
            self.conn().execute(
                "UPDATE sessions SET last_seen = ?1 WHERE id_hash = ?2",
                params![now, id_hash],
            )?;
        }
        Ok(Some(Session {
            token: token.to_owned(),
            account,
            csrf,
        }))
    }

    pub fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "DELETE FROM sessions WHERE id_hash = ?1",
            [sha256_hex(token.as_bytes())],
        )?;
        Ok(())
    }
}
