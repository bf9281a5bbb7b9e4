//! The journal (who, when, which record, before, after) and the proposals of structure accounts.

use rusqlite::{params, OptionalExtension, Row};

use super::{Store, StoreError};

/// Which kind of file a journal entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Scheme,
    Place,
    Synonyms,
}

impl RecordKind {
    pub fn slug(self) -> &'static str {
        match self {
            RecordKind::Scheme => "dispositif",
            RecordKind::Place => "structure",
            RecordKind::Synonyms => "synonymes",
        }
    }

    fn parse(raw: &str) -> RecordKind {
        match raw {
            "structure" => RecordKind::Place,
            "synonymes" => RecordKind::Synonyms,
            _ => RecordKind::Scheme,
        }
    }
}

/// One journal entry: the file's text before (absent for a creation) and after.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub account: String,
    pub kind: RecordKind,
    pub record: String,
    /// What happened, in French (« publication », « création », « archivage », « restauration »,
    /// « approbation »).
    pub action: String,
    pub before: Option<String>,
    pub after: String,
}

/// A change a structure account proposed.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: i64,
    pub at: i64,
    pub account: String,
    pub record: String,
    /// The version (file hash) the proposal was based on.
    pub base: String,
    pub content: String,
    /// `en-attente`, `approuvee` or `refusee`.
    pub status: String,
    pub decided_by: Option<String>,
}

fn entry(r: &Row) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        account: r.get(2)?,
        kind: RecordKind::parse(&r.get::<_, String>(3)?),
        record: r.get(4)?,
        action: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
    })
}

fn proposal(r: &Row) -> rusqlite::Result<Proposal> {
    Ok(Proposal {
        id: r.get(0)?,
        at: r.get(1)?,
        account: r.get(2)?,
        record: r.get(3)?,
        base: r.get(4)?,
        content: r.get(5)?,
        status: r.get(6)?,
        decided_by: r.get(7)?,
    })
}

const ENTRY_COLUMNS: &str = "id, at, account, kind, record, action, before, after";
const PROPOSAL_COLUMNS: &str = "id, at, account, record, base, content, status, decided_by";

impl Store {
    /// Records a change; returns the entry's id.
    pub fn journal(
        &self,
        account: &str,
        kind: RecordKind,
        record: &str,
        action: &str,
        before: Option<&str>,
        after: &str,
    ) -> Result<i64, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO journal (at, account, kind, record, action, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                self.now(),
                account,
                kind.slug(),
                record,
                action,
                before,
                after
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// The entries of one record, newest first.
    pub fn history(&self, kind: RecordKind, record: &str) -> Result<Vec<Entry>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM journal WHERE kind = ?1 AND record = ?2 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map(params![kind.slug(), record], entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest entries of every record, newest first.
    pub fn recent_entries(&self, limit: i64) -> Result<Vec<Entry>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM journal ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn entry(&self, id: i64) -> Result<Option<Entry>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} FROM journal WHERE id = ?1"),
                [id],
                entry,
            )
            .optional()?)
    }

    pub fn propose(
        &self,
        account: &str,
        record: &str,
        base: &str,
        content: &str,
    ) -> Result<i64, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO proposals (at, account, record, base, content) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![self.now(), account, record, base, content],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Pending proposals, oldest first.
    pub fn pending_proposals(&self) -> Result<Vec<Proposal>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE status = 'en-attente' ORDER BY id"
        ))?;
        let rows = stmt.query_map([], proposal)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The proposals of one record, newest first.
    pub fn proposals_for(&self, record: &str) -> Result<Vec<Proposal>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE record = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([record], proposal)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn proposal(&self, id: i64) -> Result<Option<Proposal>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = ?1"),
                [id],
                proposal,
            )
            .optional()?)
    }

    /// Marks a pending proposal approved or refused; `false` when it was no longer pending.
    pub fn decide_proposal(&self, id: i64, by: &str, approved: bool) -> Result<bool, StoreError> {
        let status = if approved { "approuvee" } else { "refusee" };
        let n = self.conn().execute(
            "UPDATE proposals SET status = ?1, decided_by = ?2, decided_at = ?3
             WHERE id = ?4 AND status = 'en-attente'",
            params![status, by, self.now(), id],
        )?;
        Ok(n == 1)
    }
}
