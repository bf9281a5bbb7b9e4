//! Handlers of the record forms: open, list buttons, check, preview, publish (or propose),
//! create, archive. Each reads the form, calls `publish`, renders one page.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;

use super::diff;
use super::error::EditorError;
use super::fiche::{self, FichePage, TopError};
use super::form::{self, ErrorMap, FormErrors, ListAction, Section};
use super::layers::User;
use super::publish::{self, Change, Checked, Published};
use super::views::{render, Frame};
use crate::data::writer::Kind;
use crate::data::{Dataset, Problem};
use crate::scheme::Slug;
use crate::web::reload::Outcome;
use crate::web::AppState;

/// What differs between schemes and structures in the editor.
pub struct KindInfo {
    pub kind: Kind,
    pub sections: &'static [Section],
    pub base: &'static str,
    pub crumb: &'static str,
    pub new_segment: &'static str,
}

pub const SCHEMES: KindInfo = KindInfo {
    kind: Kind::Scheme,
    sections: form::SCHEME,
    base: "/redaction/dispositifs",
    crumb: "Dispositifs",
    new_segment: "nouveau",
};

pub const PLACES: KindInfo = KindInfo {
    kind: Kind::Place,
    sections: form::PLACE,
    base: "/redaction/structures",
    crumb: "Structures",
    new_segment: "nouvelle",
};

/// A record id from the address: a slug, or 400 (`../`, capitals, odd characters).
pub fn slug(raw: &str) -> Result<Slug, EditorError> {
    Slug::parse(raw).ok_or(EditorError::BadId)
}

/// A `structure` account reaches only its own structure.
fn check_access(user: &User, info: &KindInfo, id: Option<&Slug>) -> Result<(), EditorError> {
    if user.is_redaction() {
        return Ok(());
    }
    match (info.kind, id) {
        (Kind::Place, Some(id)) if user.structure() == Some(id.as_str()) => Ok(()),
        _ => Err(EditorError::Forbidden),
    }
}

/// Everything needed to render the form page.
struct FormState<'a> {
    info: &'a KindInfo,
    id: Option<&'a Slug>,
    value: &'a Value,
    base: &'a str,
    errors: ErrorMap,
    top: Vec<TopError>,
    warnings: Vec<String>,
    notice: Option<String>,
}

impl FormState<'_> {
    fn page(self, state: &AppState, user: &User) -> FichePage {
        let engine = state.engine();
        let data: &Dataset = &engine.data;
        let info = self.info;
        let (heading, action, history, public) = match self.id {
            Some(id) => {
                let nom = form::get(self.value, "nom")
                    .map(form::display)
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| id.to_string());
                let public = match info.kind {
                    Kind::Scheme => data.scheme(id.as_str()).map(|s| s.path()),
                    Kind::Place => data.place(id.as_str()).map(|p| p.path()),
                };
                (
                    nom,
                    format!("{}/{id}", info.base),
                    Some(format!("{}/{id}/historique", info.base)),
                    public,
                )
            }
            None => (
                match info.kind {
                    Kind::Scheme => "Nouveau dispositif".to_owned(),
                    Kind::Place => "Nouvelle structure".to_owned(),
                },
                format!("{}/{}", info.base, info.new_segment),
                None,
                None,
            ),
        };
        FichePage {
            frame: Frame::new(&heading, user),
            crumb: info.crumb.to_owned(),
            public_href: public,
            history_href: history,
            action,
            csrf: user.csrf.clone(),
            base: self.base.to_owned(),
            notice: self.notice,
            top_errors: self.top,
            warnings: self.warnings,
            sections: fiche::sections(
                info.sections,
                self.value,
                &self.errors,
                data,
                self.id.is_some(),
            ),
            publish_label: if user.is_redaction() {
                "Publier".into()
            } else {
                "Proposer à l’équipe du Département".into()
            },
            can_preview: true,
            archive_action: match (self.id, user.is_redaction()) {
                (Some(id), true) => Some(format!("{}/{id}/archiver", info.base)),
                _ => None,
            },
            archive_place: info.kind == Kind::Place,
            heading,
        }
    }
}

fn respond(status: StatusCode, page: &impl Template) -> Result<Response, EditorError> {
    Ok((status, render(page)?).into_response())
}

/// Places `check`'s problems and the form's own at their fields and at the top.
fn place_errors(
    info: &KindInfo,
    value: &Value,
    rel: &str,
    problems: &[Problem],
    form_errors: &FormErrors,
) -> (ErrorMap, Vec<TopError>) {
    let mut map = ErrorMap::default();
    let mut top = Vec::new();
    let mut add = |field: Option<String>, message: String, prefix: Option<&str>| {
        let message = match prefix {
            Some(p) => format!("{p} : {message}"),
            None => message,
        };
        match field {
            Some(f) => {
                map.add(&f, message.clone());
                top.push(TopError {
                    href: Some(format!("#{}", fiche::html_id(&f))),
                    label: fiche::label_of(info.sections, &f),
                    message,
                });
            }
            None => top.push(TopError {
                href: None,
                label: String::new(),
                message,
            }),
        }
    };
    for (field, message, _) in form_errors {
        add(
            form::target_in(info.sections, value, field),
            message.clone(),
            None,
        );
    }
    for p in problems {
        if p.file == rel {
            let field = p
                .field
                .as_deref()
                .and_then(|f| form::target_in(info.sections, value, f));
            add(field, p.message.clone(), None);
        } else {
            add(None, p.to_string(), Some("Autre fichier"));
        }
    }
    for (field, _, raw) in form_errors {
        map.raw.insert(field.clone(), raw.clone());
    }
    (map, top)
}

fn warnings_text(warnings: &[Problem]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| match &w.field {
            Some(f) => format!("{f} : {}", w.message),
            None => w.message.clone(),
        })
        .collect()
}

/// Opens a record's form.
pub async fn edit(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    raw_id: &str,
    query: &HashMap<String, String>,
) -> Result<Response, EditorError> {
    let id = slug(raw_id)?;
    check_access(user, info, Some(&id))?;
    let dir = data_dir(state)?;
    let text = publish::current(&dir, info.kind, &id)?.ok_or(EditorError::NotFound)?;
    let base = publish::version_of(Some(&text));
    let (value, top) = match serde_json::from_str::<Value>(&text) {
        Ok(v) => (v, Vec::new()),
        Err(e) => (
            Value::Object(Default::default()),
            vec![TopError {
                href: None,
                label: String::new(),
                message: format!("Le fichier n’est pas du JSON valide ({e}) : corrige-le dans data/ ou remplis la fiche à nouveau."),
            }],
        ),
    };
    let notice = [
        (
            "publie",
            "C’est publié : la page publique montre maintenant cette version.",
        ),
        (
            "archive",
            match info.kind {
                Kind::Scheme => "Archivé : le statut est maintenant « fermé ».",
                Kind::Place => {
                    "Archivée : la structure est maintenant « fermée » et sort des listes."
                }
            },
        ),
        ("restaure", "Version restaurée et publiée."),
        (
            "propose",
            "Proposition envoyée : l’équipe du Département va la relire.",
        ),
    ]
    .iter()
    .find(|(k, _)| query.contains_key(*k))
    .map(|(_, m)| (*m).to_owned());
    let page = FormState {
        info,
        id: Some(&id),
        value: &value,
        base: &base,
        errors: ErrorMap::default(),
        top,
        warnings: Vec::new(),
        notice,
    }
    .page(state, user);
    respond(StatusCode::OK, &page)
}

/// An empty form for a new record (facts checked today, by default).
pub async fn new_form(
    state: &AppState,
    user: &User,
    info: &KindInfo,
) -> Result<Response, EditorError> {
    check_access(user, info, None)?;
    let mut value = Value::Object(Default::default());
    form::set(
        &mut value,
        "mis_a_jour",
        Value::String(state.today().to_string()),
    );
    let page = FormState {
        info,
        id: None,
        value: &value,
        base: publish::NEW,
        errors: ErrorMap::default(),
        top: Vec::new(),
        warnings: Vec::new(),
        notice: None,
    }
    .page(state, user);
    respond(StatusCode::OK, &page)
}

fn data_dir(state: &AppState) -> Result<std::path::PathBuf, EditorError> {
    state
        .editor()
        .map(|e| e.data_dir.clone())
        .ok_or_else(|| EditorError::Unavailable("non configuré".into()))
}

/// Every button of the form: list buttons, check, preview, publish (or propose).
pub async fn submit(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    raw_id: Option<&str>,
    body: &Bytes,
) -> Result<Response, EditorError> {
    let path_id = raw_id.map(slug).transpose()?;
    check_access(user, info, path_id.as_ref())?;
    let fields = form::fields(body);
    let base = form::first(&fields, "base")
        .unwrap_or(publish::NEW)
        .to_owned();
    let action = form::first(&fields, "action")
        .unwrap_or("verifier")
        .to_owned();
    let (mut value, mut form_errors) = match form::first(&fields, "brouillon") {
        Some(draft) => (
            serde_json::from_str::<Value>(draft)
                .map_err(|_| EditorError::BadRequest("Brouillon illisible.".into()))?,
            Vec::new(),
        ),
        None => form::parse(info.sections, &fields),
    };
    let id = match &path_id {
        Some(id) => {
            form::set(&mut value, "id", Value::String(id.to_string()));
            Some(id.clone())
        }
        None => {
            let raw = form::get(&value, "id")
                .map(form::display)
                .unwrap_or_default();
            match Slug::parse(&raw) {
                Some(s) if ["nouveau", "nouvelle"].contains(&s.as_str()) => {
                    form_errors.push((
                        "id".into(),
                        format!("« {s} » est réservé : choisis un autre identifiant"),
                        s.to_string(),
                    ));
                    None
                }
                Some(s) => Some(s),
                None if raw.is_empty() => {
                    form_errors.push((
                        "id".into(),
                        "champ obligatoire absent".into(),
                        String::new(),
                    ));
                    None
                }
                None => {
                    form_errors.push((
                        "id".into(),
                        format!("« {raw} » : seulement a-z, 0-9 et tirets"),
                        raw.clone(),
                    ));
                    None
                }
            }
        }
    };
    let show = |value: &Value,
                errors: ErrorMap,
                top: Vec<TopError>,
                warnings: Vec<String>,
                notice: Option<String>| {
        FormState {
            info,
            id: path_id.as_ref(),
            value,
            base: &base,
            errors,
            top,
            warnings,
            notice,
        }
        .page(state, user)
    };

    if let Some(list) = ListAction::parse(&action, info.sections) {
        let message = list.apply(&mut value);
        let page = show(
            &value,
            ErrorMap::default(),
            Vec::new(),
            Vec::new(),
            Some(message.into()),
        );
        return respond(StatusCode::OK, &page);
    }
    if action == "modifier" {
        let page = show(&value, ErrorMap::default(), Vec::new(), Vec::new(), None);
        return respond(StatusCode::OK, &page);
    }

    form::strip_empty(info.sections, &mut value);
    let dir = data_dir(state)?;
    if path_id.is_none() {
        if let Some(id) = &id {
            if publish::current(&dir, info.kind, id)?.is_some() {
                form_errors.push((
                    "id".into(),
                    format!("« {id} » existe déjà : choisis un autre identifiant"),
                    id.to_string(),
                ));
            }
        }
    }
    // Check with `check`'s rules, even when the form itself has errors, to show them all.
    let check_id = id
        .clone()
        .unwrap_or_else(|| Slug::parse("brouillon-sans-identifiant").expect("slug"));
    let today = state.today();
    let (d, v, k) = (dir.clone(), value.clone(), info.kind);
    let cid = check_id.clone();
    let checked = tokio::task::spawn_blocking(move || publish::check(&d, today, k, &cid, &v))
        .await
        .map_err(EditorError::internal)??;
    let rel = info.kind.rel_path(&check_id);
    let (problems, warnings, text, data) = match checked {
        Checked::Valid {
            data,
            text,
            warnings,
        } => (Vec::new(), warnings, text, Some(data)),
        Checked::Invalid { text, problems } => {
            let (mine, others) = publish::split(&problems, &rel);
            (
                mine.into_iter().chain(others).collect(),
                Vec::new(),
                text,
                None,
            )
        }
    };
    let problems: Vec<Problem> = problems
        .into_iter()
        .filter(|p| id.is_some() || p.field.as_deref() != Some("id"))
        .collect();
    if !problems.is_empty() || !form_errors.is_empty() {
        let (errors, top) = place_errors(info, &value, &rel, &problems, &form_errors);
        let page = show(&value, errors, top, warnings_text(&warnings), None);
        return respond(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (Some(id), Some(data)) = (id, data) else {
        return Err(EditorError::internal("brouillon valide sans identifiant"));
    };
    match action.as_str() {
        "apercu" => {
            let draft = super::preview::Draft {
                info,
                id: &id,
                data: &data,
                text: &text,
                base: &base,
            };
            super::preview::preview(state, user, &draft)
        }
        "publier" if !user.is_redaction() => propose(state, user, info, &id, &text, &base).await,
        "publier" => {
            let change = Change {
                kind: info.kind,
                id: &id,
                text,
                base: &base,
                account: &user.account.id,
                action: if path_id.is_some() {
                    "publication"
                } else {
                    "création"
                },
            };
            finish(
                state,
                user,
                info,
                &id,
                publish::publish(state, &user.store, change).await?,
                &value,
                "publie",
            )
        }
        _ => {
            let page = show(
                &value,
                ErrorMap::default(),
                Vec::new(),
                warnings_text(&warnings),
                Some("Aucune erreur : la fiche peut être publiée.".into()),
            );
            respond(StatusCode::OK, &page)
        }
    }
}

/// The page after a publish attempt.
pub fn finish(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    id: &Slug,
    outcome: Published,
    value: &Value,
    flag: &str,
) -> Result<Response, EditorError> {
    let rel = info.kind.rel_path(id);
    let form_page = |errors, top, notice: Option<String>, base: String| {
        FormState {
            info,
            id: Some(id),
            value,
            base: &base,
            errors,
            top,
            warnings: Vec::new(),
            notice,
        }
        .page(state, user)
    };
    match outcome {
        Published::Done(Outcome::Refused) => {
            let dir = data_dir(state)?;
            let base = publish::version_of(publish::current(&dir, info.kind, id)?.as_deref());
            let top = vec![TopError {
                href: None,
                label: String::new(),
                message: "La fiche est écrite mais le site n’a pas pu recharger les données : l’ancienne version reste en ligne. Voir /healthz.".into(),
            }];
            respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                &form_page(ErrorMap::default(), top, None, base),
            )
        }
        Published::Done(_) => {
            Ok(Redirect::to(&format!("{}/{id}?{flag}=1", info.base)).into_response())
        }
        Published::Unchanged => {
            let dir = data_dir(state)?;
            let base = publish::version_of(publish::current(&dir, info.kind, id)?.as_deref());
            respond(
                StatusCode::OK,
                &form_page(
                    ErrorMap::default(),
                    Vec::new(),
                    Some("Aucune modification : rien à publier.".into()),
                    base,
                ),
            )
        }
        Published::Invalid { problems } => {
            let dir = data_dir(state)?;
            let base = publish::version_of(publish::current(&dir, info.kind, id)?.as_deref());
            let (errors, top) = place_errors(info, value, &rel, &problems, &Vec::new());
            respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(errors, top, None, base),
            )
        }
        Published::Conflict { current, draft } => conflict(user, info, id, current, draft),
    }
}

#[derive(Template)]
#[template(path = "redaction/conflit.html")]
pub struct ConflictPage {
    pub frame: Frame,
    pub action: String,
    pub csrf: String,
    pub base: String,
    pub current: String,
    pub draft: String,
    pub rows: Vec<diff::Row>,
}

/// 409: the file changed since the form was opened; both versions side by side, the
/// editor's version kept in the page so nothing is lost, nothing written.
fn conflict(
    user: &User,
    info: &KindInfo,
    id: &Slug,
    current: Option<String>,
    draft: String,
) -> Result<Response, EditorError> {
    let page = ConflictPage {
        frame: Frame::new("Modifiée entre-temps", user),
        action: format!("{}/{id}", info.base),
        csrf: user.csrf.clone(),
        base: publish::version_of(current.as_deref()),
        rows: diff::rows_of_texts(current.as_deref(), &draft),
        current: current.unwrap_or_else(|| "(fichier supprimé)".into()),
        draft,
    };
    respond(StatusCode::CONFLICT, &page)
}

/// A structure account's change: validated, then waiting for the Département's approval.
async fn propose(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    id: &Slug,
    text: &str,
    base: &str,
) -> Result<Response, EditorError> {
    let dir = data_dir(state)?;
    let current = publish::current(&dir, info.kind, id)?;
    if publish::version_of(current.as_deref()) != base {
        return conflict(user, info, id, current, text.to_owned());
    }
    user.store
        .propose(&user.account.id, id.as_str(), base, text)?;
    Ok(Redirect::to(&format!("{}/{id}?propose=1", info.base)).into_response())
}

/// Sets the status to `ferme` (a scheme) or `fermee` (a structure) and publishes, if the
/// file did not change since `base`.
pub async fn archive(
    state: &AppState,
    user: &User,
    info: &KindInfo,
    raw_id: &str,
    body: &Bytes,
) -> Result<Response, EditorError> {
    let id = slug(raw_id)?;
    check_access(user, info, Some(&id))?;
    let fields = form::fields(body);
    let base = form::first(&fields, "base").unwrap_or_default().to_owned();
    let dir = data_dir(state)?;
    let text = publish::current(&dir, info.kind, &id)?.ok_or(EditorError::NotFound)?;
    let mut value: Value = serde_json::from_str(&text).map_err(EditorError::internal)?;
    let closed = match info.kind {
        Kind::Scheme => "ferme",
        Kind::Place => "fermee",
    };
    form::set(&mut value, "statut", Value::String(closed.into()));
    let draft =
        crate::data::writer::canonical(&value, info.kind.shape()).map_err(EditorError::internal)?;
    let change = Change {
        kind: info.kind,
        id: &id,
        text: draft,
        base: &base,
        account: &user.account.id,
        action: "archivage",
    };
    let outcome = publish::publish(state, &user.store, change).await?;
    finish(state, user, info, &id, outcome, &value, "archive")
}

pub type Params = Query<HashMap<String, String>>;

pub async fn scheme_edit(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    Query(q): Params,
) -> Result<Response, EditorError> {
    edit(&s, &user, &SCHEMES, &id, &q).await
}

pub async fn scheme_submit(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, EditorError> {
    submit(&s, &user, &SCHEMES, Some(&id), &body).await
}

pub async fn scheme_new(State(s): State<AppState>, user: User) -> Result<Response, EditorError> {
    new_form(&s, &user, &SCHEMES).await
}

pub async fn scheme_create(
    State(s): State<AppState>,
    user: User,
    body: Bytes,
) -> Result<Response, EditorError> {
    submit(&s, &user, &SCHEMES, None, &body).await
}

pub async fn scheme_archive(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, EditorError> {
    archive(&s, &user, &SCHEMES, &id, &body).await
}

pub async fn place_edit(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    Query(q): Params,
) -> Result<Response, EditorError> {
    edit(&s, &user, &PLACES, &id, &q).await
}

pub async fn place_submit(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, EditorError> {
    submit(&s, &user, &PLACES, Some(&id), &body).await
}

pub async fn place_archive(
    State(s): State<AppState>,
    user: User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, EditorError> {
    archive(&s, &user, &PLACES, &id, &body).await
}

pub async fn place_new(State(s): State<AppState>, user: User) -> Result<Response, EditorError> {
    new_form(&s, &user, &PLACES).await
}

pub async fn place_create(
    State(s): State<AppState>,
    user: User,
    body: Bytes,
) -> Result<Response, EditorError> {
    submit(&s, &user, &PLACES, None, &body).await
}
