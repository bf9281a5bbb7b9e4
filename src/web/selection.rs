//! « Ma sélection »: several schemes in one short address (`/selection?ids=a,b,c`) to send by
//! SMS; nothing is stored on the server. Ids are validated against the data, the count capped.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::IntoResponse;

use super::error::AppError;
use super::html::Page;
use super::params::{pairs, SearchParams, MAX_Q_CHARS};
use super::views::{Card, Layout, Link};
use super::{next_step, AppState};
use crate::data::Dataset;

/// Most schemes a selection holds: enough for a youth worker's list, short enough for an SMS.
pub const MAX_SELECTION: usize = 20;
/// Most ids read from an address, valid or not: the rest is not even looked at.
const MAX_IDS_READ: usize = 100;
/// Suggestions offered by « Ajouter d’autres dispositifs ».
const MAX_ADDS: usize = 8;

/// The ids of an address, kept when they name a scheme, in order, once each, at most
/// `MAX_SELECTION`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Picked {
    pub ids: Vec<String>,
    /// Ids that name no scheme (or are not ids at all).
    pub unknown: usize,
    /// Valid ids left out because the selection was full.
    pub over: usize,
}

/// Reads `ids=a,b,c` (and repeated `ids=`) from a query string.
pub fn picked(raw: Option<&str>, data: &Dataset) -> Picked {
    let mut p = Picked::default();
    let tokens = pairs(raw)
        .into_iter()
        .filter(|(k, _)| k == "ids")
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        })
        .take(MAX_IDS_READ);
    for id in tokens {
        if data.scheme(&id).is_none() {
            p.unknown += 1;
        } else if p.ids.len() == MAX_SELECTION {
            p.over += usize::from(!p.ids.contains(&id));
        } else if !p.ids.contains(&id) {
            p.ids.push(id);
        }
    }
    p
}

/// The address of a selection: `/selection?ids=a,b,c` (ids are `[a-z0-9-]`, commas stay as is).
pub fn path(ids: &[String]) -> String {
    if ids.is_empty() {
        "/selection".to_owned()
    } else {
        format!("/selection?ids={}", ids.join(","))
    }
}

/// An `sms:` link with `body` as the message (`?&body=` is understood by Android and iOS).
pub fn sms_href(body: &str) -> String {
    let mut out = String::from("sms:?&body=");
    for b in body.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A scheme of the selection, with the link that removes it.
pub struct Entry {
    pub card: Card,
    pub retirer: String,
}

#[derive(Template)]
#[template(path = "selection.html")]
pub struct SelectionPage {
    pub layout: Layout,
    pub entries: Vec<Entry>,
    /// The ids, comma-separated (kept in the « add » form and given to the script).
    pub ids_csv: String,
    pub short_url: String,
    pub sms_href: String,
    /// What was left out of the address, in words.
    pub note: Option<String>,
    pub q: String,
    /// Schemes matching `q`, each a link adding it.
    pub adds: Vec<Link>,
    pub full: bool,
}

fn note(p: &Picked) -> Option<String> {
    let mut parts = Vec::new();
    match p.unknown {
        0 => {}
        1 => {
            parts.push("1 dispositif de ce lien n’existe pas ou plus : il a été retiré.".to_owned())
        }
        n => parts.push(format!(
            "{n} dispositifs de ce lien n’existent pas ou plus : ils ont été retirés."
        )),
    }
    if p.over > 0 {
        parts.push(format!(
            "Une sélection garde {MAX_SELECTION} dispositifs au plus : les suivants n’ont pas été ajoutés."
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// `GET /selection?ids=a,b,c[&q=…]`.
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let data = &engine.data;
    let today = state.today();
    let p = picked(raw.as_deref(), data);
    let q: String = pairs(raw.as_deref())
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().chars().take(MAX_Q_CHARS).collect())
        .unwrap_or_default();
    let here = path(&p.ids);
    let way_back = next_step::Return::to(&here);
    let entries = p
        .ids
        .iter()
        .filter_map(|id| data.scheme(id))
        .map(|s| {
            let mut card = Card::new(s, data, today);
            card.url = way_back.at(&card.url);
            let others: Vec<String> = p.ids.iter().filter(|x| *x != &card.id).cloned().collect();
            Entry {
                card,
                retirer: path(&others),
            }
        })
        .collect();
    let full = p.ids.len() >= MAX_SELECTION;
    let adds = if q.is_empty() || full {
        Vec::new()
    } else {
        let search = SearchParams {
            q: q.clone(),
            page: 1,
            per_page: MAX_ADDS + p.ids.len(),
            ..SearchParams::default()
        };
        let results = engine
            .search(&search.request(false, today))
            .map_err(AppError::internal)?;
        results
            .hits
            .iter()
            .filter(|h| !p.ids.iter().any(|id| id == h.scheme.id.as_str()))
            .take(MAX_ADDS)
            .map(|h| {
                let mut ids = p.ids.clone();
                ids.push(h.scheme.id.to_string());
                let href = format!(
                    "{}&q={}",
                    path(&ids),
                    form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                );
                Link {
                    href,
                    label: crate::text::display(&h.scheme.nom),
                    detail: crate::text::display(&h.scheme.resume),
                }
            })
            .collect()
    };
    let short_url = format!("{}{here}", state.base_url());
    let mut layout = Layout::new(
        "Ma sélection",
        "Une sélection de dispositifs jeunesse du Pas-de-Calais à envoyer par SMS.",
        state.base_url(),
        "/selection",
    );
    layout.noindex = true;
    let page = SelectionPage {
        layout,
        entries,
        ids_csv: p.ids.join(","),
        sms_href: sms_href(&format!(
            "Ma sélection de dispositifs jeunesse : {short_url}"
        )),
        short_url,
        note: note(&p),
        q,
        adds,
        full,
    };
    Ok(Page(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_body_is_percent_encoded() {
        assert_eq!(
            sms_href("Vois : https://x.fr/selection?ids=a,b"),
            "sms:?&body=Vois%20%3A%20https%3A%2F%2Fx.fr%2Fselection%3Fids%3Da%2Cb"
        );
    }
}
