//! Keeping the référentiel true: « À revoir » (stale, past dates, to confirm, no official
//! source), the anonymous search counts with the searches that find nothing, and adding a
//! synonym from one of those through the same validation as `check`.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;

use super::error::EditorError;
use super::form;
use super::layers::User;
use super::publish::{self, File, Published};
use super::records::Params;
use super::views::{render, Frame};
use crate::data::writer;
use crate::scheme::{SourceKind, Status};
use crate::store::journal::RecordKind;
use crate::store::searches::{months_before, MIN_SHOWN};
use crate::web::AppState;

/// A record is « à revoir » when its facts were checked longer ago than this.
pub const STALE_MONTHS: u8 = 6;

/// A record to look at again, with why.
pub struct ReviewLine {
    pub nom: String,
    pub href: String,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "redaction/a-revoir.html")]
pub struct ReviewPage {
    pub frame: Frame,
    pub lines: Vec<ReviewLine>,
    pub stale_since: String,
}

pub async fn to_review(State(state): State<AppState>, user: User) -> Result<Response, EditorError> {
    let engine = state.engine();
    let data = &engine.data;
    let today = state.today();
    let limit = months_before(today, STALE_MONTHS);
    let mut lines = Vec::new();
    for s in &data.schemes {
        let mut reasons = Vec::new();
        if s.mis_a_jour < limit {
            reasons.push(format!(
                "faits vérifiés le {}",
                crate::web::views::french_date(s.mis_a_jour)
            ));
        }
        for (what, d) in [
            ("date de fin", s.calendrier.fin),
            ("date limite", s.calendrier.date_limite),
        ] {
            if let Some(d) = d.filter(|d| *d < today) {
                reasons.push(format!(
                    "{what} passée ({})",
                    crate::web::views::french_date(d)
                ));
            }
        }
        if s.statut == Status::ToConfirm {
            reasons.push("statut « à confirmer »".into());
        } else if s.statut == Status::Open && !s.availability(today).is_usable() {
            reasons.push("« ouvert » sans page lue depuis moins de 12 mois".into());
        }
        if !s.sources.is_empty() && s.sources.iter().all(|x| x.kind != SourceKind::Official) {
            reasons.push("aucune source officielle".into());
        }
        if !reasons.is_empty() {
            lines.push(ReviewLine {
                nom: s.nom.clone(),
                href: format!("/redaction/dispositifs/{}", s.id),
                reasons,
            });
        }
    }
    for p in data.open_places() {
        let mut reasons = Vec::new();
        if p.mis_a_jour < limit {
            reasons.push(format!(
                "faits vérifiés le {}",
                crate::web::views::french_date(p.mis_a_jour)
            ));
        }
        if !p.sources.is_empty() && p.sources.iter().all(|x| x.kind != SourceKind::Official) {
            reasons.push("aucune source officielle".into());
        }
        if !reasons.is_empty() {
            lines.push(ReviewLine {
                nom: p.nom.clone(),
                href: format!("/redaction/structures/{}", p.id),
                reasons,
            });
        }
    }
    render(&ReviewPage {
        frame: Frame::new("À revoir", &user),
        lines,
        stale_since: crate::web::views::french_date(limit),
    })
    .map(IntoResponse::into_response)
}

/// Counts public searches (first result page only), in front of the response cache so that a
/// search answered from memory is counted too. Text only, per day: nothing about the visitor.
pub async fn count_searches(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/recherche" {
        let query = req.uri().query().unwrap_or_default();
        let mut q = None;
        let mut first_page = true;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "q" => q = Some(v.into_owned()),
                "page" => first_page = v == "1",
                _ => {}
            }
        }
        if let (Some(q), true) = (q, first_page) {
            state.log_search(&q);
        }
    }
    next.run(req).await
}

/// A search typed at least `MIN_SHOWN` times, with what it finds today.
pub struct SearchLine {
    pub query: String,
    pub count: i64,
    pub results: usize,
    pub href: String,
    /// The synonym form, filled with this search.
    pub synonym_href: String,
}

#[derive(Template)]
#[template(path = "redaction/recherches.html")]
pub struct SearchesPage {
    pub frame: Frame,
    pub csrf: String,
    pub base: String,
    pub since: String,
    pub min_shown: i64,
    pub empty: Vec<SearchLine>,
    pub frequent: Vec<SearchLine>,
    pub notice: Option<String>,
    pub errors: Vec<String>,
    pub de: String,
    pub vers: String,
}

fn synonyms_text(state: &AppState) -> Result<Option<String>, EditorError> {
    let dir = state
        .editor()
        .map(|e| e.data_dir.clone())
        .ok_or_else(|| EditorError::Unavailable("non configuré".into()))?;
    match std::fs::read_to_string(dir.join("synonymes.json")) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EditorError::internal(e)),
    }
}

async fn searches_page(
    state: &AppState,
    user: &User,
    notice: Option<String>,
    errors: Vec<String>,
    de: String,
    vers: String,
) -> Result<SearchesPage, EditorError> {
    let today = state.today();
    let since = months_before(today, 3);
    let counted = user.store.frequent_searches(today, since, 300)?;
    let engine = state.engine();
    let mut empty = Vec::new();
    let mut frequent = Vec::new();
    for c in counted {
        let raw = format!(
            "q={}",
            form_urlencoded::byte_serialize(c.query.as_bytes()).collect::<String>()
        );
        let results = crate::web::params::search(Some(&raw), &engine.data)
            .ok()
            .and_then(|p| engine.search(&p.request(false, today)).ok())
            .map_or(0, |r| r.total);
        let line = SearchLine {
            synonym_href: format!(
                "/redaction/recherches?de={}#synonyme",
                raw.trim_start_matches("q=")
            ),
            href: format!("/recherche?{raw}"),
            query: c.query,
            count: c.count,
            results,
        };
        if results == 0 {
            empty.push(line);
        } else if frequent.len() < 50 {
            frequent.push(line);
        }
    }
    Ok(SearchesPage {
        frame: Frame::new("Ce que cherchent les jeunes", user),
        csrf: user.csrf.clone(),
        base: publish::version_of(synonyms_text(state)?.as_deref()),
        since: crate::web::views::french_date(since),
        min_shown: MIN_SHOWN,
        empty,
        frequent,
        notice,
        errors,
        de,
        vers,
    })
}

pub async fn searches(
    State(state): State<AppState>,
    user: User,
    axum::extract::Query(q): Params,
) -> Result<Response, EditorError> {
    let notice = q
        .contains_key("ajoute")
        .then(|| "Synonyme ajouté : la recherche en tient compte dès maintenant.".to_owned());
    let de = q.get("de").cloned().unwrap_or_default();
    let page = searches_page(&state, &user, notice, Vec::new(), de, String::new()).await?;
    render(&page).map(IntoResponse::into_response)
}

/// Adds `de` → `vers` to `synonymes.json` (one-way expansion), validated like `check`.
pub async fn add_synonym(
    State(state): State<AppState>,
    user: User,
    body: Bytes,
) -> Result<Response, EditorError> {
    let fields = form::fields(&body);
    let de = form::first(&fields, "de")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let vers_raw = form::first(&fields, "vers").unwrap_or_default().to_owned();
    let vers: Vec<String> = vers_raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let base = form::first(&fields, "base").unwrap_or_default().to_owned();
    let current = synonyms_text(&state)?;
    let mut value: Value = match &current {
        Some(t) => serde_json::from_str(t).map_err(EditorError::internal)?,
        None => serde_json::json!({}),
    };
    let expansions = value
        .as_object_mut()
        .ok_or_else(|| EditorError::internal("synonymes.json n’est pas un objet"))?
        .entry("expansions")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = expansions {
        list.push(serde_json::json!({ "de": de, "vers": vers }));
    }
    let text = writer::canonical(&value, &writer::SYNONYMS).map_err(EditorError::internal)?;
    let file = File {
        rel: "synonymes.json".into(),
        kind: RecordKind::Synonyms,
        record: "synonymes",
    };
    let outcome = publish::publish_file(
        &state,
        &user.store,
        &file,
        text,
        &base,
        &user.account.id,
        "ajout de synonyme",
    )
    .await?;
    let errors: Vec<String> = match outcome {
        Published::Done(_) | Published::Unchanged => {
            return Ok(Redirect::to("/redaction/recherches?ajoute=1").into_response())
        }
        Published::Invalid { problems } => problems
            .iter()
            .filter(|p| p.severity == crate::data::Severity::Error)
            .map(|p| match (&p.field, p.file == "synonymes.json") {
                (Some(f), true) if f.starts_with("expansions") => {
                    format!("Synonyme : {}", p.message)
                }
                _ => p.to_string(),
            })
            .collect(),
        Published::Conflict { .. } => {
            vec!["synonymes.json a changé entre-temps : rien n’a été écrit, recommence.".into()]
        }
    };
    let page = searches_page(&state, &user, None, errors, de, vers_raw).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}
