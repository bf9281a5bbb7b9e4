//! The professionals' view: a dense, sortable table of every scheme with filters, full
//! conditions and steps per row, and CSV/JSON export of the current selection.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::html::Page;
use super::params::{self, SearchParams};
use super::views::{FormState, Layout};
use super::AppState;
use crate::data::Dataset;
use crate::scheme::Scheme;
use crate::search::Engine;
use crate::text;

/// Most rows a table or an export holds.
const MAX_ROWS: usize = 2000;

/// Columns the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Relevance,
    Name,
    Age,
    Status,
    Carrier,
}

impl Order {
    fn parse(raw: &str) -> Option<Order> {
        match raw {
            "" | "pertinence" => Some(Order::Relevance),
            "nom" => Some(Order::Name),
            "age" => Some(Order::Age),
            "statut" => Some(Order::Status),
            "porteur" => Some(Order::Carrier),
            _ => None,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Order::Relevance => "pertinence",
            Order::Name => "nom",
            Order::Age => "age",
            Order::Status => "statut",
            Order::Carrier => "porteur",
        }
    }
}

/// The selection and its order from a query string.
fn selection<'a>(
    engine: &'a Engine,
    raw: Option<&str>,
    today: time::Date,
) -> Result<(SearchParams, Order, Vec<&'a Scheme>), AppError> {
    let mut order = Order::Relevance;
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params::pairs(raw) {
        if k == "ordre" {
            order = Order::parse(v.trim()).ok_or_else(|| {
                AppError::BadRequest(
                    "Cet ordre de tri n’existe pas : choisis nom, age, statut ou porteur."
                        .to_owned(),
                )
            })?;
        } else if k != "page" && k != "par_page" {
            rest.append_pair(&k, &v);
        }
    }
    let rest = rest.finish();
    let p = params::search(Some(&rest), &engine.data)
        .map_err(|e| AppError::BadRequest(e.message.clone()))?;
    let req = p.first(MAX_ROWS, today);
    let results = engine.search(&req).map_err(AppError::internal)?;
    let mut schemes: Vec<&Scheme> = results.hits.iter().map(|h| h.scheme).collect();
    match order {
        Order::Relevance => {}
        Order::Name => schemes.sort_by_key(|s| text::fold(&s.nom)),
        Order::Age => schemes.sort_by_key(|s| {
            (
                s.ages.min.unwrap_or(0),
                s.ages.max.unwrap_or(u8::MAX),
                text::fold(&s.nom),
            )
        }),
        Order::Status => {
            schemes.sort_by_key(|s| (s.availability(today).rank(), text::fold(&s.nom)))
        }
        Order::Carrier => schemes.sort_by_key(|s| (text::fold(&s.porteur), text::fold(&s.nom))),
    }
    Ok((p, order, schemes))
}

/// A row of the table.
pub struct Row {
    pub url: String,
    pub nom: String,
    pub resume: String,
    pub themes: String,
    pub ages: String,
    pub publics: String,
    pub territoire: &'static str,
    pub statut: &'static str,
    pub statut_css: &'static str,
    pub porteur: String,
    pub conditions: Vec<crate::scheme::Text>,
    pub demarches: Vec<crate::scheme::Text>,
    pub contact: Vec<String>,
}

fn labels(slugs: &[crate::scheme::Slug], find: impl Fn(&str) -> Option<String>) -> String {
    slugs
        .iter()
        .filter_map(|s| find(s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(s: &Scheme, data: &Dataset, today: time::Date) -> Row {
    let a = s.availability(today);
    let mut contact = Vec::new();
    if let Some(v) = &s.contact.site {
        contact.push(v.clone());
    }
    if let Some(v) = &s.contact.email {
        contact.push(v.clone());
    }
    if let Some(v) = &s.contact.telephone {
        contact.push(v.clone());
    }
    Row {
        url: s.path(),
        nom: s.nom.clone(),
        resume: s.resume.clone(),
        themes: labels(&s.thematiques, |t| data.theme(t).map(|c| c.libelle.clone())),
        ages: s.ages.label().unwrap_or_else(|| "—".to_owned()),
        publics: labels(&s.publics, |t| data.public(t).map(|c| c.libelle.clone())),
        territoire: s.territoire.label(),
        statut: a.label(),
        statut_css: a.css(),
        porteur: s.porteur.clone(),
        conditions: s.conditions.clone(),
        demarches: s.demarches.clone(),
        contact,
    }
}

/// A sortable column header.
pub struct Column {
    pub label: &'static str,
    pub href: String,
    pub sort: &'static str,
}

#[derive(Template)]
#[template(path = "pro.html")]
pub struct ProPage {
    pub layout: Layout,
    pub form: FormState,
    pub rows: Vec<Row>,
    pub columns: Vec<Column>,
    pub csv_href: String,
    pub json_href: String,
    pub order: &'static str,
}

pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    state
        .blocking(state.engine(), move |state, engine| {
            page_of(state, engine, raw.as_deref())
        })
        .await
}

fn page_of(state: &AppState, engine: &Engine, raw: Option<&str>) -> Result<Response, AppError> {
    let (p, order, schemes) = selection(engine, raw, state.today())?;
    let data = &engine.data;
    let today = state.today();
    let qs = p.query_string(None);
    let with = |extra: &str| {
        if qs.is_empty() {
            extra.to_owned()
        } else if extra.is_empty() {
            qs.clone()
        } else {
            format!("{qs}&{extra}")
        }
    };
    let columns = [
        ("Dispositif", Order::Name),
        ("Âges", Order::Age),
        ("Statut", Order::Status),
        ("Porteur", Order::Carrier),
    ]
    .into_iter()
    .map(|(label, o)| Column {
        label,
        href: format!("/pro?{}", with(&format!("ordre={}", o.slug()))),
        sort: if o == order { "ascending" } else { "none" },
    })
    .collect();
    let mut layout = Layout::new(
        "Espace professionnels",
        "Tableau de tous les dispositifs jeunesse du Pas-de-Calais, avec filtres et exports.",
        state.base_url(),
        "/pro",
    );
    layout.noindex = !qs.is_empty();
    let page = ProPage {
        layout,
        form: FormState::new(&p, data, &[]),
        rows: schemes.iter().map(|s| row(s, data, today)).collect(),
        columns,
        csv_href: format!(
            "/pro/export.csv?{}",
            with(&format!("ordre={}", order.slug()))
        ),
        json_href: format!("/api/dispositifs?{}", with("par_page=100")),
        order: order.slug(),
    };
    Ok(Page(page).into_response())
}

/// Columns of the CSV exports (one row per scheme, lists joined by « | »).
pub const CSV_HEADER: [&str; 17] = [
    "id",
    "nom",
    "resume",
    "thematiques",
    "publics",
    "age_min",
    "age_max",
    "territoire",
    "porteur",
    "avantages",
    "conditions",
    "demarches",
    "site",
    "statut",
    "mots_cles",
    "sources",
    "mis_a_jour",
];

/// A cell as written to CSV: a value a spreadsheet would run as a formula (`=HYPERLINK(…)`,
/// `+`, `-`, `@`, tab, carriage return) gets the usual leading apostrophe, so it stays text.
fn cell(value: &str) -> std::borrow::Cow<'_, str> {
    if crate::data::validate::looks_like_formula(value) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Writes schemes as CSV, every cell neutralised against spreadsheet formulas.
pub fn csv_of(schemes: &[&Scheme]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for s in schemes {
        fn join<T: std::borrow::Borrow<str>>(v: &[T]) -> String {
            v.join(" | ")
        }
        let slugs = |v: &[crate::scheme::Slug]| {
            v.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(" | ")
        };
        let territoire = match &s.territoire {
            crate::scheme::Territory::Local { epci, communes } => {
                format!(
                    "local: {}",
                    epci.iter()
                        .chain(communes)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            other => serde_json::to_value(other)
                .ok()
                .and_then(|v| v["niveau"].as_str().map(str::to_owned))
                .unwrap_or_default(),
        };
        let sources: Vec<String> = s
            .sources
            .iter()
            .map(|x| {
                x.url
                    .clone()
                    .or_else(|| x.section.clone())
                    .unwrap_or_default()
            })
            .collect();
        let record = [
            s.id.as_str(),
            &s.nom,
            &s.resume,
            &slugs(&s.thematiques),
            &slugs(&s.publics),
            &s.ages.min.map(|a| a.to_string()).unwrap_or_default(),
            &s.ages.max.map(|a| a.to_string()).unwrap_or_default(),
            &territoire,
            &s.porteur,
            &join(&s.avantages),
            &join(&s.conditions),
            &join(&s.demarches),
            s.contact.site.as_deref().unwrap_or(""),
            s.statut.slug(),
            &join(&s.mots_cles),
            &join(&sources),
            &s.mis_a_jour.to_string(),
        ];
        w.write_record(record.map(cell).iter().map(|c| c.as_bytes()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A CSV download response.
pub fn csv_response(body: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /pro/export.csv`: the current selection as CSV (written off the async workers).
pub async fn export_csv(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let body = state
        .blocking(state.engine(), move |state, engine| {
            let (_, _, schemes) = selection(engine, raw.as_deref(), state.today())?;
            csv_of(&schemes).map_err(AppError::internal)
        })
        .await?;
    Ok(csv_response(body, "dispositifs-selection.csv"))
}
