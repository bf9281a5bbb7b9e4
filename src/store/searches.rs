//! Anonymous search counts: normalised text per day and nothing else. Text that looks like
//! personal data is never stored; counts are kept 13 months; a text is shown only once it was
//! searched `MIN_SHOWN` times.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rusqlite::params;
use time::Date;

use super::{Store, StoreError};

/// A search is shown to editors only from this many occurrences.
pub const MIN_SHOWN: i64 = 3;
/// Counts older than this many months are deleted.
pub const KEEP_MONTHS: u8 = 13;
/// Longest text counted (longer searches are not stored at all).
pub const MAX_CHARS: usize = 80;
/// Counts are written at least this often, or when this many texts are waiting.
const FLUSH_EVERY: Duration = Duration::from_secs(300);
const FLUSH_SIZE: usize = 500;

/// Counts gathered in memory between two writes, so a search never waits for the database.
#[derive(Debug)]
pub struct Pending {
    counts: HashMap<(Date, String), i64>,
    since: Instant,
}

impl Default for Pending {
    fn default() -> Pending {
        Pending {
            counts: HashMap::new(),
            since: Instant::now(),
        }
    }
}

/// Where the public search records what was typed (a trait so the web layer does not depend
/// on SQLite, and a site without a state database records nothing).
pub trait SearchLog: Send + Sync {
    fn record(&self, day: Date, query: &str);
}

/// The text as it is counted: folded, single spaces; `None` when it must not be stored
/// (empty, too long, or looking like personal data: e-mail, phone number, long digit run).
pub fn normalise(query: &str) -> Option<String> {
    let folded = crate::text::fold(query);
    let text = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() || text.chars().count() > MAX_CHARS || looks_personal(&text) {
        return None;
    }
    Some(text)
}

/// E-mail addresses, web addresses, and runs of 6 or more digits (phone numbers, social
/// security or bank numbers), even split by spaces, dots or dashes. Postal and INSEE codes
/// (5 digits) stay: young people search « mission locale 62000 ».
pub fn looks_personal(text: &str) -> bool {
    if text.contains('@') || text.contains("http") || text.contains("www") {
        return true;
    }
    let mut run = 0;
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            gap = false;
            if run >= 6 {
                return true;
            }
        } else if matches!(c, ' ' | '.' | '-' | '/' | '+') && run > 0 && !gap {
            gap = true;
        } else {
            run = 0;
            gap = false;
        }
    }
    false
}

/// A text searched at least `MIN_SHOWN` times in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub query: String,
    pub count: i64,
}

impl SearchLog for Store {
    fn record(&self, day: Date, query: &str) {
        let Some(text) = normalise(query) else {
            return;
        };
        let due = {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            *p.counts.entry((day, text)).or_default() += 1;
            p.counts.len() >= FLUSH_SIZE || p.since.elapsed() >= FLUSH_EVERY
        };
        if due {
            if let Err(e) = self.flush_searches(day) {
                tracing::warn!(error = %e, "comptes de recherche non enregistrés");
            }
        }
    }
}

impl Store {
    /// Writes the counts waiting in memory and deletes those older than 13 months.
    pub fn flush_searches(&self, today: Date) -> Result<(), StoreError> {
        let batch = {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            p.since = Instant::now();
            std::mem::take(&mut p.counts)
        };
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for ((day, query), n) in &batch {
            tx.execute(
                "INSERT INTO search_counts (day, query, n) VALUES (?1, ?2, ?3)
                 ON CONFLICT(day, query) DO UPDATE SET n = n + excluded.n",
                params![day.to_string(), query, n],
            )?;
        }
        tx.execute(
            "DELETE FROM search_counts WHERE day < ?1",
            [oldest_kept(today).to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The texts searched at least `MIN_SHOWN` times since `since`, most frequent first.
    pub fn frequent_searches(
        &self,
        today: Date,
        since: Date,
        limit: i64,
    ) -> Result<Vec<Counted>, StoreError> {
        self.flush_searches(today)?;
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT query, SUM(n) AS total FROM search_counts WHERE day >= ?1
             GROUP BY query HAVING total >= ?2 ORDER BY total DESC, query LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![since.to_string(), MIN_SHOWN, limit], |r| {
            Ok(Counted {
                query: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every stored row (day, text, count): what the « Données personnelles » page promises
    /// can be checked against it.
    pub fn all_search_rows(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT day, query, n FROM search_counts ORDER BY day, query")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The first day kept on `today`: the same day 13 months earlier (clamped to the month's end).
pub fn oldest_kept(today: Date) -> Date {
    months_before(today, KEEP_MONTHS)
}

/// The same day `n` months before `today` (clamped to the month's end).
pub fn months_before(today: Date, n: u8) -> Date {
    let months = today.year() * 12 + (today.month() as i32 - 1) - i32::from(n);
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) as u8 + 1);
    let month = time::Month::try_from(month).unwrap_or(time::Month::January);
    let day = today.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_looking_text_is_not_stored() {
        assert_eq!(
            normalise("  Mission  Locale LENS "),
            Some("mission locale lens".into())
        );
        assert_eq!(
            normalise("mission locale 62300"),
            Some("mission locale 62300".into())
        );
        assert_eq!(normalise("jean.dupont@mail.fr"), None);
        assert_eq!(normalise("06 12 34 56 78"), None);
        assert_eq!(normalise("0612345678"), None);
        assert_eq!(normalise("1 85 05 62 041 123"), None);
        assert_eq!(normalise(""), None);
        assert_eq!(normalise(&"a".repeat(81)), None);
    }

    #[test]
    fn thirteen_months_back() {
        use time::macros::date;
        assert_eq!(oldest_kept(date!(2026 - 12 - 01)), date!(2025 - 11 - 01));
        assert_eq!(oldest_kept(date!(2026 - 03 - 31)), date!(2025 - 02 - 28));
        assert_eq!(oldest_kept(date!(2026 - 01 - 15)), date!(2024 - 12 - 15));
    }
}
