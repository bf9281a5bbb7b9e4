//! Failed-login throttling: at most `MAX_FAILURES` per account and per client address in a
//! sliding window; past that, logins are refused until the oldest failure leaves the window.

use rusqlite::params;

use super::{Store, StoreError};

/// Failures allowed in the window, per key.
pub const MAX_FAILURES: i64 = 5;
/// The sliding window, in seconds.
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// The throttling key of an account identifier (normalised like logins are).
pub fn account_key(id: &str) -> String {
    format!("compte:{}", id.trim().to_lowercase())
}

/// The throttling key of a client address.
pub fn address_key(addr: &str) -> String {
    format!("adresse:{addr}")
}

impl Store {
    /// Seconds to wait before another try when any of `keys` is over the limit.
    pub fn login_blocked_for(&self, keys: &[String]) -> Result<Option<i64>, StoreError> {
        let now = self.now();
        let conn = self.conn();
        conn.execute(
            "DELETE FROM login_failures WHERE at <= ?1",
            [now - WINDOW_SECONDS],
        )?;
        let mut wait: Option<i64> = None;
        for key in keys {
            let (count, oldest): (i64, Option<i64>) = conn.query_row(
                "SELECT COUNT(*), MIN(at) FROM (SELECT at FROM login_failures
                 WHERE key = ?1 AND at > ?2 ORDER BY at DESC LIMIT ?3)",
                params![key, now - WINDOW_SECONDS, MAX_FAILURES],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if count >= MAX_FAILURES {
                let until = oldest.unwrap_or(now) + WINDOW_SECONDS - now;
                wait = Some(wait.unwrap_or(0).max(until.max(1)));
            }
        }
        Ok(wait)
    }

    pub fn record_login_failure(&self, keys: &[String]) -> Result<(), StoreError> {
        let now = self.now();
        let conn = self.conn();
        for key in keys {
            conn.execute(
                "INSERT INTO login_failures (key, at) VALUES (?1, ?2)",
                params![key, now],
            )?;
        }
        Ok(())
    }

    /// Forgets an account's failures after a successful login (the address's remain).
    pub fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        self.conn()
            .execute("DELETE FROM login_failures WHERE key = ?1", [key])?;
        Ok(())
    }
}
