//! « Aperçu »: the public page of a scheme or a structure rendered from a valid draft, not
//! indexed, with a banner to publish it or go back to the form. Nothing is written.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::error::EditorError;
use super::layers::User;
use super::records::KindInfo;
use crate::data::writer::Kind;
use crate::data::Dataset;
use crate::scheme::Slug;
use crate::web::places::views::{PlaceView, StructurePage};
use crate::web::views::{Layout, SchemePage, SchemeView};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "redaction/apercu.html")]
struct PreviewBanner<'a> {
    action: String,
    csrf: &'a str,
    base: &'a str,
    draft: &'a str,
    publish_label: &'a str,
}

/// A draft that passed `check`: the data set as it would be once published, and its text.
pub struct Draft<'a> {
    pub info: &'a KindInfo,
    pub id: &'a Slug,
    pub data: &'a Dataset,
    pub text: &'a str,
    pub base: &'a str,
}

/// The public page rendered from the draft, with a banner to publish or go back.
pub fn preview(state: &AppState, user: &User, draft: &Draft) -> Result<Response, EditorError> {
    let html = match draft.info.kind {
        Kind::Scheme => scheme_page(state, draft)?,
        Kind::Place => place_page(state, draft)?,
    };
    let banner = PreviewBanner {
        action: format!("{}/{}", draft.info.base, draft.id),
        csrf: &user.csrf,
        base: draft.base,
        draft: draft.text,
        publish_label: if user.is_redaction() {
            "Publier cette version"
        } else {
            "Proposer cette version à l’équipe du Département"
        },
    }
    .render()
    .map_err(EditorError::internal)?;
    const MAIN: &str = "<main id=\"contenu\" class=\"cadre\" tabindex=\"-1\">";
    let html = html
        .replacen(
            "</head>",
            "<link rel=\"stylesheet\" href=\"/redaction/style.css\">\n</head>",
            1,
        )
        .replacen("<body>", "<body class=\"redaction\">", 1)
        .replacen(MAIN, &format!("{MAIN}\n{banner}"), 1);
    Ok(Html(html).into_response())
}

fn scheme_page(state: &AppState, draft: &Draft) -> Result<String, EditorError> {
    let data = draft.data;
    let scheme = data
        .scheme(draft.id.as_str())
        .ok_or(EditorError::NotFound)?;
    let view = SchemeView::new(scheme, data, state.base_url(), state.today());
    let mut layout = Layout::new(
        &scheme.nom,
        &scheme.resume,
        state.base_url(),
        &scheme.path(),
    );
    layout.noindex = true;
    let page = SchemePage {
        layout,
        jsonld: "{}".into(),
        qr_svg: crate::web::views::qr_svg(&view.url),
        w: crate::web::explain::SchemeWords::new(&view, &data.glossary),
        lieu: crate::web::next_step::place_finder(scheme, data, None, view.action.is_some()),
        retour: None,
        s: view,
        verdict: None,
        lieux: crate::web::places::views::Nearby::new(data, scheme, None),
    };
    page.render().map_err(EditorError::internal)
}

fn place_page(state: &AppState, draft: &Draft) -> Result<String, EditorError> {
    let data = draft.data;
    let place = data.place(draft.id.as_str()).ok_or(EditorError::NotFound)?;
    let view = PlaceView::new(place, data);
    let description = format!("{} : {}.", view.kind_label, view.adresse);
    let mut layout = Layout::new(&view.nom, &description, state.base_url(), &place.path());
    layout.noindex = true;
    StructurePage { layout, p: view }
        .render()
        .map_err(EditorError::internal)
}
