//! HTML handlers: each reads its parameters, calls the search service, renders one template.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::explain::SchemeWords;
use super::html::Page;
use super::params::extract::SearchForm;
use super::params::{self, SearchParams};
use super::views::{
    Card, ErrorPage, FormState, HelplineView, HomePage, Layout, Link, ResultsPage, SchemePage,
    SchemeView,
};
use super::{next_step, selection, AppState};
use crate::data::Dataset;
use crate::search::Engine;

fn theme_links(data: &Dataset) -> Vec<Link> {
    data.themes
        .iter()
        .map(|t| Link {
            href: format!("/thematiques/{}", t.slug),
            label: t.libelle.clone(),
            detail: t.description.clone(),
        })
        .collect()
}

pub async fn home(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let data = &engine.data;
    let page = HomePage {
        layout: Layout::new(
            "Aides et activités pour les jeunes",
            "Tous les dispositifs pour les jeunes du Pas-de-Calais : vacances, permis, stages, engagement, culture, sport.",
            state.base_url(),
            "/",
        ),
        themes: theme_links(data),
        publics: data
            .publics
            .iter()
            .map(|p| Link {
                href: format!("/publics/{}", p.slug),
                label: p.libelle.clone(),
                detail: p.description.clone(),
            })
            .collect(),
        total: data.schemes.len(),
    };
    Ok(Page(page))
}

/// What a results page is about: a free search, a theme or a public.
pub struct Listing {
    pub heading: String,
    pub path: String,
    pub description: String,
}

/// The address of `path` with the parameters `p` (first page).
fn listing_href(path: &str, p: &SearchParams) -> String {
    match p.query_string(None) {
        qs if qs.is_empty() => path.to_owned(),
        qs => format!("{path}?{qs}"),
    }
}

/// The active filters as chips, each a link to the same listing without it; removing the theme
/// or public a listing is about leads to the search of everything.
fn chips(p: &SearchParams, path: &str, data: &Dataset) -> Vec<Link> {
    let chip = |label: String, without: SearchParams, path: &str| Link {
        href: listing_href(path, &without),
        label,
        detail: String::new(),
    };
    let mut out = Vec::new();
    if let Some(a) = p.age {
        let mut q = p.clone();
        q.age = None;
        out.push(chip(format!("{a}\u{a0}ans"), q, path));
    }
    if let Some(c) = &p.commune {
        let mut q = p.clone();
        q.commune = None;
        q.commune_input.clear();
        out.push(chip(c.nom.clone(), q, path));
    }
    for t in &p.themes {
        if let Some(c) = data.theme(t) {
            let mut q = p.clone();
            q.themes.retain(|x| x != t);
            let own = path == format!("/thematiques/{t}");
            out.push(chip(
                c.libelle.clone(),
                q,
                if own { "/recherche" } else { path },
            ));
        }
    }
    for t in &p.publics {
        if let Some(c) = data.public(t) {
            let mut q = p.clone();
            q.publics.retain(|x| x != t);
            let own = path == format!("/publics/{t}");
            out.push(chip(
                c.libelle.clone(),
                q,
                if own { "/recherche" } else { path },
            ));
        }
    }
    out
}

fn results_page(
    state: &AppState,
    engine: &Engine,
    listing: Listing,
    parsed: Result<SearchParams, Box<params::ParamError>>,
) -> Result<Response, AppError> {
    let data = &engine.data;
    // An unresolved commune is a note above unfiltered results; other problems are a 400.
    let only_commune = matches!(&parsed, Err(e) if e.only_commune);
    let (p, alert, choices) = match parsed {
        Ok(p) => (p, None, Vec::new()),
        Err(e) => {
            let choices = e
                .choices
                .iter()
                .map(|(code, nom)| {
                    let mut fixed = e.partial.clone();
                    fixed.commune_input = code.clone();
                    Link {
                        href: format!("{}?{}", listing.path, fixed.query_string(None)),
                        label: nom.clone(),
                        detail: String::new(),
                    }
                })
                .collect();
            let mut partial = e.partial.clone();
            partial.commune = None;
            let mut alert = super::error::bounded_message(&e.message);
            if only_commune {
                alert.push_str(" Les résultats ne tiennent pas compte de la commune.");
            }
            (partial, Some(alert), choices)
        }
    };
    let blocking = alert.is_some() && !only_commune;
    let status = if blocking {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let req = p.request(true, state.today());
    let results = if blocking {
        None
    } else {
        Some(engine.search(&req).map_err(AppError::internal)?)
    };
    let today = state.today();
    let unmatched = results
        .as_ref()
        .map(|r| r.words_without_match.clone())
        .unwrap_or_default();
    // This page's own address: where a scheme page goes back to, and what is shared.
    let back = match p.query_string(Some(p.page)) {
        qs if qs.is_empty() => listing.path.clone(),
        qs => format!("{}?{qs}", listing.path),
    };
    let way_back = next_step::Return::to(&back);
    let (total, cards, counts, dym) = match &results {
        Some(r) => (
            r.total,
            r.hits
                .iter()
                .map(|h| {
                    let mut card = Card::from_hit(h, data, today);
                    card.url = way_back.at(&card.url);
                    card
                })
                .collect(),
            r.theme_counts.clone(),
            r.did_you_mean.clone(),
        ),
        None => (0, Vec::new(), Vec::new(), None),
    };
    // Help first when the search signals distress; every line on the health theme and when
    // nothing was found.
    // A search that signals distress gets its own helplines, and only those: the right
    // number first. Otherwise the health theme and a page without answers show them all.
    let signalled = data.urgency.for_query(&p.q);
    let health = p.themes.iter().any(|t| t == HEALTH_THEME);
    let urgence_en_tete = !signalled.is_empty() || health;
    let helplines = if !signalled.is_empty() {
        signalled
    } else if health || (total == 0 && !p.q.is_empty()) {
        data.urgency.all()
    } else {
        Vec::new()
    };
    let page_url = |n: usize| format!("{}?{}", listing.path, p.query_string(Some(n)));
    let pages = total.div_ceil(p.per_page).max(1);
    let chips = chips(&p, &listing.path, data);
    let active_filters = chips.iter().map(|c| c.label.clone()).collect();
    let share_url = format!("{}{back}", state.base_url());
    let mut layout = Layout::new(
        &listing.heading,
        &listing.description,
        state.base_url(),
        &listing.path,
    );
    layout.noindex = !p.q.is_empty() || alert.is_some();
    let page = ResultsPage {
        layout,
        heading: listing.heading,
        form: FormState::new(&p, data, &counts),
        total,
        total_label: match total {
            0 => "Aucun dispositif trouvé".to_owned(),
            1 => "1 dispositif trouvé".to_owned(),
            n => format!("{n} dispositifs trouvés"),
        },
        cards,
        did_you_mean: dym.map(|d| {
            let mut fixed = p.clone();
            fixed.q = d.clone();
            Link {
                href: format!("{}?{}", listing.path, fixed.query_string(None)),
                label: d,
                detail: String::new(),
            }
        }),
        alert,
        choices,
        previous: (p.page > 1).then(|| page_url(p.page - 1)),
        next: (p.page < pages).then(|| page_url(p.page + 1)),
        page_label: format!("Page {} sur {pages}", p.page.min(pages)),
        themes: theme_links(data),
        active_filters,
        chips,
        sms_href: selection::sms_href(&format!("Des dispositifs pour les jeunes : {share_url}")),
        share_url,
        urgence: HelplineView::all(helplines),
        urgence_en_tete,
        unmatched: unmatched
            .iter()
            .map(|w| format!("« {w} »"))
            .collect::<Vec<_>>()
            .join(", "),
        places: super::places::views::PlacesBlock::new(data, &p),
    };
    Ok((status, Page(page)).into_response())
}

pub async fn search(
    State(state): State<AppState>,
    SearchForm(parsed): SearchForm,
) -> Result<Response, AppError> {
    let engine = state.engine();
    let heading = match &parsed {
        Ok(p) if !p.q.is_empty() => {
            format!("Résultats pour « {} »", super::views::shown_text(&p.q))
        }
        _ => "Tous les dispositifs".to_owned(),
    };
    let listing = Listing {
        heading,
        path: "/recherche".to_owned(),
        description: "Rechercher un dispositif jeunesse dans le Pas-de-Calais.".to_owned(),
    };
    state
        .blocking(engine, move |state, engine| {
            results_page(state, engine, listing, parsed)
        })
        .await
}

pub async fn theme(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SearchForm(parsed): SearchForm,
) -> Result<Response, AppError> {
    let engine = state.engine();
    let theme = engine.data.theme(&slug).ok_or(AppError::NotFound)?.clone();
    let parsed = parsed.map(|mut p| {
        if !p.themes.contains(&slug) {
            p.themes.push(slug.clone());
        }
        p
    });
    let listing = Listing {
        heading: theme.libelle.clone(),
        path: format!("/thematiques/{slug}"),
        description: theme.description.clone(),
    };
    state
        .blocking(engine, move |state, engine| {
            results_page(state, engine, listing, parsed)
        })
        .await
}

pub async fn public(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SearchForm(parsed): SearchForm,
) -> Result<Response, AppError> {
    let engine = state.engine();
    let public = engine.data.public(&slug).ok_or(AppError::NotFound)?.clone();
    let parsed = parsed.map(|mut p| {
        if !p.publics.contains(&slug) {
            p.publics.push(slug.clone());
        }
        p
    });
    let listing = Listing {
        heading: format!("Pour : {}", public.libelle),
        path: format!("/publics/{slug}"),
        description: public.description.clone(),
    };
    state
        .blocking(engine, move |state, engine| {
            results_page(state, engine, listing, parsed)
        })
        .await
}

/// JSON-LD `GovernmentService` of a scheme; `<` escaped so the text cannot close the script.
fn jsonld(view: &SchemeView) -> String {
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": view.nom,
        "description": view.resume,
        "url": view.url,
        "provider": { "@type": "GovernmentOrganization", "name": view.porteur },
        "areaServed": view.territoire,
        "audience": { "@type": "Audience", "audienceType": view.publics.iter().map(|p| p.label.clone()).collect::<Vec<_>>().join(", ") },
    });
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
}

pub async fn scheme(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let scheme = engine.data.scheme(&id).ok_or(AppError::NotFound)?;
    let view = SchemeView::new(scheme, &engine.data, state.base_url(), state.today());
    let verdict = super::pour_moi::verdict(raw.as_deref(), &engine.data, scheme, state.today());
    let origin = next_step::origin(raw.as_deref());
    let lieu = next_step::place_finder(
        scheme,
        &engine.data,
        origin.commune.as_deref(),
        view.action.is_some(),
    );
    let page = SchemePage {
        layout: Layout::new(
            &scheme.nom,
            &scheme.resume,
            state.base_url(),
            &scheme.path(),
        ),
        jsonld: jsonld(&view),
        qr_svg: super::views::qr_svg(&view.url),
        w: SchemeWords::new(&view, &engine.data.glossary),
        s: view,
        verdict,
        lieux: super::places::views::Nearby::new(&engine.data, scheme, origin.commune.as_deref()),
        retour: origin.retour,
        lieu,
    };
    Ok(Page(page))
}

/// The theme whose page always shows the helplines.
const HEALTH_THEME: &str = "sante-bien-etre";

/// Unknown addresses: the not-found page, with the helplines.
pub async fn not_found(State(state): State<AppState>) -> Response {
    let mut page = ErrorPage::new(
        404,
        "Page introuvable",
        "Cette page n’existe pas ou plus. Le dispositif a peut-être changé d’adresse : cherche-le par son nom.".to_owned(),
    );
    page.urgence = HelplineView::all(state.engine().data.urgency.all());
    (StatusCode::NOT_FOUND, Page(page)).into_response()
}
