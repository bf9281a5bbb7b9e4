//! The peer to beat: SQLite FTS5 (rusqlite's bundled SQLite) on the same schemes and the
//! same queries, set up as a careful public-sector site would: `unicode61 remove_diacritics
//! 2`, prefix indexes, BM25 with the engine's field weights, our stop words dropped, every
//! remaining word required and the last one matched as a prefix, the same age and commune
//! filters, 20 results with a snippet of the description, and the total. FTS5 has no
//! French stemmer, no typo tolerance and no synonyms: the result counts show what that
//! costs in relevance, the timings what the engine's extra work costs in speed.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection};

use referentiel_jeunesse::data::Dataset;
use referentiel_jeunesse::scheme::{Scheme, Territory};
use referentiel_jeunesse::search::analyzer::is_stop_word;
use referentiel_jeunesse::text;

use crate::rotation::Query;

/// Columns, in order: the engine's weights (name 10, keywords 5, summary 2, description
/// and details 0.8); ages are stored for the filter, not indexed.
const SCHEMA: &str = "
CREATE VIRTUAL TABLE fts USING fts5(
    nom, mots_cles, resume, description, details,
    age_min UNINDEXED, age_max UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
CREATE TABLE territory(id INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (id, key)) WITHOUT ROWID;
";
const RANK: &str = "bm25(fts, 10.0, 5.0, 2.0, 0.8, 0.8, 0.0, 0.0)";
const SNIPPET: &str = "snippet(fts, 3, '<mark>', '</mark>', '…', 24)";
const LIMIT: usize = 20;

/// An in-memory FTS5 database of a data set; row ids are positions in `data.schemes`
/// plus one (name order, like the engine's `name_rank`).
pub struct Fts5 {
    conn: Connection,
}

fn details(s: &Scheme, data: &Dataset) -> String {
    let themes = s
        .thematiques
        .iter()
        .filter_map(|t| data.theme(t.as_str()).map(|c| c.libelle.as_str()));
    let publics = s
        .publics
        .iter()
        .filter_map(|t| data.public(t.as_str()).map(|c| c.libelle.as_str()));
    let parts: Vec<&str> = s
        .avantages
        .iter()
        .chain(&s.conditions)
        .chain(&s.demarches)
        .map(|t| &**t)
        .chain(std::iter::once(s.porteur.as_str()))
        .chain(themes)
        .chain(publics)
        .collect();
    text::normalize(&parts.join(" · "))
}

impl Fts5 {
    /// Builds the database (one transaction, then FTS5's `optimize` merge, as a read-mostly
    /// index would be shipped).
    pub fn build(data: &Dataset) -> rusqlite::Result<Fts5> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        let tx = conn.transaction()?;
        {
            let mut doc = tx.prepare(
                "INSERT INTO fts(rowid, nom, mots_cles, resume, description, details, age_min, age_max)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut place =
                tx.prepare("INSERT OR IGNORE INTO territory(id, key) VALUES (?1, ?2)")?;
            for (i, s) in data.schemes.iter().enumerate() {
                let id = i as i64 + 1;
                let names: Vec<&str> = std::iter::once(s.nom.as_str())
                    .chain(s.alias.iter().map(String::as_str))
                    .collect();
                doc.execute(params![
                    id,
                    text::normalize(&names.join(" · ")),
                    text::normalize(&s.mots_cles.join(" · ")),
                    text::normalize(&s.resume),
                    text::normalize(&s.description),
                    details(s, data),
                    i64::from(s.ages.min.unwrap_or(0)),
                    i64::from(s.ages.max.unwrap_or(u8::MAX)),
                ])?;
                match &s.territoire {
                    Territory::Local { epci, communes } => {
                        for e in epci {
                            place.execute(params![id, format!("epci:{e}")])?;
                        }
                        for c in communes {
                            place.execute(params![id, format!("commune:{c}")])?;
                        }
                    }
                    _ => {
                        place.execute(params![id, "all"])?;
                    }
                }
            }
        }
        tx.commit()?;
        conn.execute_batch("INSERT INTO fts(fts) VALUES ('optimize');")?;
        Ok(Fts5 { conn })
    }

    /// Runs one search: the top 20 (row id and snippet) and the total.
    pub fn search(&self, q: &Query) -> rusqlite::Result<(Vec<(i64, String)>, usize)> {
        let plan = Plan::of(q);
        let mut top = self.conn.prepare_cached(&plan.top_sql)?;
        let hits = top
            .query_map(params_from_iter(plan.values.iter()), |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut count = self.conn.prepare_cached(&plan.count_sql)?;
        let total: i64 = count.query_row(params_from_iter(plan.values.iter()), |row| row.get(0))?;
        Ok((hits, total as usize))
    }
}

/// The FTS5 query expression: content words (our stop words dropped, unless nothing else
/// is left), each required, the last one as a prefix. `None` when nothing is searchable.
pub fn match_expr(input: &str) -> Option<String> {
    let normalized = text::normalize(input);
    let all: Vec<&str> = normalized
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let content: Vec<&str> = all
        .iter()
        .copied()
        .filter(|w| !is_stop_word(&text::fold(w)))
        .collect();
    let words = if content.is_empty() {
        all.into_iter().filter(|w| w.chars().count() > 1).collect()
    } else {
        content
    };
    let (last, rest) = words.split_last()?;
    let mut expr: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
    expr.push(format!("\"{last}\"*"));
    Some(expr.join(" "))
}

/// SQL and parameters of one query.
struct Plan {
    top_sql: String,
    count_sql: String,
    values: Vec<Value>,
}

impl Plan {
    fn of(q: &Query) -> Plan {
        let mut values = Vec::new();
        let mut conditions = Vec::new();
        let expr = match_expr(q.text);
        if let Some(e) = &expr {
            values.push(Value::Text(e.clone()));
            conditions.push(format!("fts MATCH ?{}", values.len()));
        }
        if let Some(age) = q.age {
            values.push(Value::Integer(i64::from(age)));
            let n = values.len();
            conditions.push(format!("age_min <= ?{n} AND age_max >= ?{n}"));
        }
        if let Some((insee, epci)) = q.commune {
            values.push(Value::Text(format!("commune:{insee}")));
            values.push(Value::Text(format!("epci:{epci}")));
            let n = values.len();
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM territory t WHERE t.id = fts.rowid AND t.key IN ('all', ?{}, ?{n}))",
                n - 1
            ));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        // Without words, FTS5 has no rank and no snippet: name order, like the engine.
        let (snippet, order) = if expr.is_some() {
            (SNIPPET, RANK)
        } else {
            ("''", "rowid")
        };
        Plan {
            top_sql: format!(
                "SELECT rowid, {snippet} FROM fts {filter} ORDER BY {order} LIMIT {LIMIT}"
            ),
            count_sql: format!("SELECT count(*) FROM fts {filter}"),
            values,
        }
    }
}
