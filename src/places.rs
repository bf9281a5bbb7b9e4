//! Finding places: near a commune (those that serve it, then the same EPCI, then the others),
//! for a scheme, and from what a young person types (« mission locale lens », « pij arras »).
//!
//! No commune coordinates are shipped, so « near » means « in the served territory »: the
//! order is by served territory, never by distance.

mod matcher;

pub use matcher::answer_words;

pub use matcher::TextQuery;

use crate::data::Dataset;
use crate::place::Place;
use crate::territory::{Commune, Communes};

/// How a place relates to the visitor's commune, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Proximity {
    /// The place says it serves the commune (by its code or its EPCI).
    Serves,
    /// The place is in, or serves communes of, the commune's EPCI.
    SameEpci,
    /// Anywhere else in the Pas-de-Calais.
    Elsewhere,
}

/// Where `place` stands for someone living in one of `near` (several for a shared postal code).
pub fn proximity(place: &Place, near: &[&Commune], communes: &Communes) -> Proximity {
    if near.iter().any(|c| place.serves(c)) {
        return Proximity::Serves;
    }
    let epcis: Vec<&str> = near.iter().filter_map(|c| c.epci.as_deref()).collect();
    let in_epci = |code: &String| {
        communes
            .commune(code)
            .and_then(|c| c.epci.as_deref())
            .is_some_and(|e| epcis.contains(&e))
    };
    if in_epci(&place.adresse.commune) || place.dessert.communes.iter().any(in_epci) {
        Proximity::SameEpci
    } else {
        Proximity::Elsewhere
    }
}

/// What a list of places is restricted to; every part is optional.
#[derive(Default)]
pub struct Filter<'a, 'q> {
    /// The visitor's commune(s): orders the list, never empties it.
    pub near: Vec<&'a Commune>,
    /// A slug of `types-structures.json`.
    pub kind: Option<&'q str>,
    /// A scheme id: only the places that handle it.
    pub scheme: Option<&'q str>,
    /// Typed text: only the places it designates.
    pub text: Option<&'q TextQuery<'a>>,
}

/// A place in a list, with where it stands for the visitor's commune (when one is known).
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub place: &'a Place,
    pub proximity: Option<Proximity>,
}

/// The places that pass `filter`, ordered: by proximity when a commune is known (given, or
/// named in the text), then by how well the text matched, then by name.
pub fn find<'a>(data: &'a Dataset, filter: &Filter<'a, '_>) -> Vec<Found<'a>> {
    let near: &[&Commune] = match (&filter.near[..], filter.text) {
        ([], Some(t)) => t.named_communes(),
        (near, _) => near,
    };
    let mut out: Vec<(Option<Proximity>, u32, &Place)> = data
        .open_places()
        .filter(|p| filter.kind.is_none_or(|k| p.kind.as_str() == k))
        .filter(|p| {
            filter
                .scheme
                .is_none_or(|s| p.dispositifs.iter().any(|d| d.as_str() == s))
        })
        .filter_map(|p| {
            let cost = match filter.text {
                Some(t) => t.cost(p, data)?,
                None => 0,
            };
            let prox = (!near.is_empty()).then(|| proximity(p, near, &data.communes));
            Some((prox, cost, p))
        })
        .collect();
    // Stable: places keep the data set's name order within a rank.
    out.sort_by_key(|(prox, cost, _)| (*prox, *cost));
    out.into_iter()
        .map(|(proximity, _, place)| Found { place, proximity })
        .collect()
}

/// The place types a young person can ask about anything: the fallback of a scheme page.
pub const GENERAL_KINDS: &[&str] = &["info-jeunes", "mission-locale"];

/// Who to turn to for a scheme, from a commune.
#[derive(Debug, Clone)]
pub enum ForScheme<'a> {
    /// Places that handle the scheme and serve the commune.
    Handles(Vec<&'a Place>),
    /// None handles it there: the general youth-information places serving the commune.
    General(Vec<&'a Place>),
    /// None serves the commune: the general youth-information places of its EPCI.
    SameEpci(Vec<&'a Place>),
    /// No place of the data set serves the commune or its EPCI.
    Nothing,
}

/// The places to turn to for `scheme` when living in one of `near`.
pub fn for_scheme<'a>(data: &'a Dataset, scheme: &str, near: &[&Commune]) -> ForScheme<'a> {
    let serving = |p: &&Place| near.iter().any(|c| p.serves(c));
    let handles: Vec<&Place> = data
        .open_places()
        .filter(serving)
        .filter(|p| p.dispositifs.iter().any(|d| d.as_str() == scheme))
        .collect();
    if !handles.is_empty() {
        return ForScheme::Handles(handles);
    }
    let general = |p: &&Place| GENERAL_KINDS.contains(&p.kind.as_str());
    let serving_general: Vec<&Place> = data.open_places().filter(serving).filter(general).collect();
    if !serving_general.is_empty() {
        return ForScheme::General(serving_general);
    }
    let neighbours: Vec<&Place> = data
        .open_places()
        .filter(general)
        .filter(|p| proximity(p, near, &data.communes) == Proximity::SameEpci)
        .collect();
    if neighbours.is_empty() {
        ForScheme::Nothing
    } else {
        ForScheme::SameEpci(neighbours)
    }
}

/// How many places handle `scheme`, wherever they are.
pub fn handling(data: &Dataset, scheme: &str) -> usize {
    data.open_places()
        .filter(|p| p.dispositifs.iter().any(|d| d.as_str() == scheme))
        .count()
}
