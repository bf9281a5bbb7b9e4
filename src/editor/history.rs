//! The journal pages: a record's history with readable differences and « Restaurer cette
//! version », the latest changes, and the proposals of structure accounts (approve / refuse).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;

use super::diff::{self, Row};
use super::error::EditorError;
use super::form;
use super::layers::User;
use super::publish::{self, Change};
use super::records::{self, KindInfo, PLACES, SCHEMES};
use super::views::{render, Frame};
use crate::data::writer::{self, Kind};
use crate::store::journal::Entry;
use crate::web::AppState;

/// « 1 décembre 2026 à 10 h 05 (UTC) ».
pub fn when(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!(
            "{} à {} h {:02} (UTC)",
            crate::web::views::french_date(t.date()),
            t.hour(),
            t.minute()
        ),
        Err(_) => unix.to_string(),
    }
}

/// One version of a record in its history.
pub struct VersionView {
    pub title: String,
    pub detail: String,
    pub rows: Vec<Row>,
    /// The restore form's fields (journal entry, which side), absent for the version online.
    pub restore: Option<(i64, &'static str)>,
}

#[derive(Template)]
#[template(path = "redaction/historique.html")]
pub struct HistoryPage {
    pub frame: Frame,
    pub heading: String,
    pub form_href: String,
    pub restore_action: String,
    pub csrf: String,
    pub base: String,
    pub versions: Vec<VersionView>,
    pub can_restore: bool,
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The versions of a record, newest first: each published version with what it changed,
/// then the version before the first change made here.
fn versions(entries: &[Entry], current: Option<&str>) -> Vec<VersionView> {
    let mut out: Vec<VersionView> = entries
        .iter()
        .map(|e| VersionView {
            title: format!("{} par {}", capitalise(&e.action), e.account),
            detail: when(e.at),
            rows: diff::rows(e.before.as_deref().map(parse).as_ref(), &parse(&e.after)),
            restore: (Some(e.after.as_str()) != current).then_some((e.id, "apres")),
        })
        .collect();
    if let Some(first) = entries.last() {
        if let Some(before) = &first.before {
            out.push(VersionView {
                title: "Version d’avant le premier changement fait ici".into(),
                detail: "telle qu’elle était dans data/".into(),
                rows: Vec::new(),
                restore: (Some(before.as_str()) != current).then_some((first.id, "avant")),
            });
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

async fn history(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    raw: &str,
) -> Result<Response, EditorError> {
    let id = records::slug(raw)?;
    let own_place = info.kind == Kind::Place && user.structure() == Some(id.as_str());
    if !(user.is_redaction() || own_place) {
        return Err(EditorError::Forbidden);
    }
    let dir = state
        .editor()
        .map(|e| e.data_dir.clone())
        .ok_or_else(|| EditorError::Unavailable("non configuré".into()))?;
    let current = publish::current(&dir, info.kind, &id)?;
    let entries = user
        .store
        .history(publish::record_kind(info.kind), id.as_str())?;
    if current.is_none() && entries.is_empty() {
        return Err(EditorError::NotFound);
    }
    let nom = current
        .as_deref()
        .map(parse)
        .and_then(|v| form::get(&v, "nom").map(form::display))
        .unwrap_or_else(|| id.to_string());
    let page = HistoryPage {
        frame: Frame::new(&format!("Historique : {nom}"), user),
        heading: format!("Historique : {nom}"),
        form_href: format!("{}/{id}", info.base),
        restore_action: format!("{}/{id}/restaurer", info.base),
        csrf: user.csrf.clone(),
        base: publish::version_of(current.as_deref()),
        versions: versions(&entries, current.as_deref()),
        can_restore: user.is_redaction(),
    };
    Ok(render(&page)?.into_response())
}

/// Publishes an older version again (checked like any publish, refused on a conflict).
async fn restore(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    raw: &str,
    body: &Bytes,
) -> Result<Response, EditorError> {
    let id = records::slug(raw)?;
    let fields = form::fields(body);
    let entry_id: i64 = form::first(&fields, "entree")
        .and_then(|e| e.parse().ok())
        .ok_or_else(|| EditorError::BadRequest("Version à restaurer absente.".into()))?;
    let base = form::first(&fields, "base").unwrap_or_default().to_owned();
    let entry = user
        .store
        .entry(entry_id)?
        .filter(|e| e.kind == publish::record_kind(info.kind) && e.record == id.as_str())
        .ok_or(EditorError::NotFound)?;
    let text = match form::first(&fields, "quelle") {
        Some("avant") => entry.before.clone().ok_or(EditorError::NotFound)?,
        _ => entry.after.clone(),
    };
    let value = parse(&text);
    let text = writer::canonical(&value, info.kind.shape()).map_err(EditorError::internal)?;
    let change = Change {
        kind: info.kind,
        id: &id,
        text,
        base: &base,
        account: &user.account.id,
        action: "restauration",
    };
    let outcome = publish::publish(state, &user.store, change).await?;
    records::finish(state, user, info, &id, outcome, &value, "restaure")
}

pub async fn scheme_history(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Response, EditorError> {
    history(&s, &user, &SCHEMES, &id).await
}

pub async fn place_history(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Response, EditorError> {
    history(&s, &user, &PLACES, &id).await
}

pub async fn scheme_restore(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, EditorError> {
    restore(&s, &user, &SCHEMES, &id, &body).await
}

pub async fn place_restore(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, EditorError> {
    restore(&s, &user, &PLACES, &id, &body).await
}

/// A line of the journal.
pub struct JournalLine {
    pub when: String,
    pub account: String,
    pub action: String,
    pub record: String,
    pub href: String,
    pub changes: usize,
}

#[derive(Template)]
#[template(path = "redaction/journal.html")]
pub struct JournalPage {
    pub frame: Frame,
    pub lines: Vec<JournalLine>,
}

pub async fn journal(user: User) -> Result<Response, EditorError> {
    let lines = user
        .store
        .recent_entries(200)?
        .into_iter()
        .map(|e| JournalLine {
            when: when(e.at),
            href: match e.kind {
                crate::store::journal::RecordKind::Scheme => {
                    format!("/redaction/dispositifs/{}/historique", e.record)
                }
                crate::store::journal::RecordKind::Place => {
                    format!("/redaction/structures/{}/historique", e.record)
                }
                crate::store::journal::RecordKind::Synonyms => "/redaction/recherches".into(),
            },
            changes: diff::rows_of_texts(e.before.as_deref(), &e.after).len(),
            account: e.account,
            action: e.action,
            record: format!("{} « {} »", e.kind.slug(), e.record),
        })
        .collect();
    Ok(render(&JournalPage {
        frame: Frame::new("Journal", &user),
        lines,
    })?
    .into_response())
}

/// A pending proposal with what it would change in the file as it is now.
pub struct ProposalView {
    pub id: i64,
    pub record: String,
    pub account: String,
    pub when: String,
    pub rows: Vec<Row>,
    pub stale: bool,
}

#[derive(Template)]
#[template(path = "redaction/propositions.html")]
pub struct ProposalsPage {
    pub frame: Frame,
    pub csrf: String,
    pub proposals: Vec<ProposalView>,
    pub notice: Option<String>,
}

pub async fn proposals(
    State(state): State<AppState>,
    user: User,
    axum::extract::Query(q): records::Params,
) -> Result<Response, EditorError> {
    let dir = state
        .editor()
        .map(|e| e.data_dir.clone())
        .ok_or_else(|| EditorError::Unavailable("non configuré".into()))?;
    let mut views = Vec::new();
    for p in user.store.pending_proposals()? {
        let id = records::slug(&p.record)?;
        let current = publish::current(&dir, Kind::Place, &id)?;
        views.push(ProposalView {
            rows: diff::rows_of_texts(current.as_deref(), &p.content),
            stale: publish::version_of(current.as_deref()) != p.base,
            id: p.id,
            record: p.record,
            account: p.account,
            when: when(p.at),
        });
    }
    let notice = if q.contains_key("approuvee") {
        Some("Proposition approuvée et publiée.".to_owned())
    } else if q.contains_key("refusee") {
        Some("Proposition refusée : rien n’a été publié.".to_owned())
    } else {
        None
    };
    Ok(render(&ProposalsPage {
        frame: Frame::new("Propositions des structures", &user),
        csrf: user.csrf.clone(),
        proposals: views,
        notice,
    })?
    .into_response())
}

/// Approves (publishes, based on the version the structure saw) or refuses a proposal.
pub async fn decide(
    State(state): State<AppState>,
    user: User,
    Path(n): Path<i64>,
    body: Bytes,
) -> Result<Response, EditorError> {
    let fields = form::fields(&body);
    let proposal = user
        .store
        .proposal(n)?
        .filter(|p| p.status == "en-attente")
        .ok_or(EditorError::NotFound)?;
    if form::first(&fields, "action") != Some("approuver") {
        user.store.decide_proposal(n, &user.account.id, false)?;
        return Ok(Redirect::to("/redaction/propositions?refusee=1").into_response());
    }
    let id = records::slug(&proposal.record)?;
    let value = parse(&proposal.content);
    let action = format!("approbation (proposée par {})", proposal.account);
    let change = Change {
        kind: Kind::Place,
        id: &id,
        text: proposal.content.clone(),
        base: &proposal.base,
        account: &user.account.id,
        action: &action,
    };
    let outcome = publish::publish(&state, &user.store, change).await?;
    if matches!(
        outcome,
        publish::Published::Done(_) | publish::Published::Unchanged
    ) {
        user.store.decide_proposal(n, &user.account.id, true)?;
        return Ok(Redirect::to("/redaction/propositions?approuvee=1").into_response());
    }
    records::finish(&state, &user, &PLACES, &id, outcome, &value, "publie")
}
