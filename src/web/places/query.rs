//! The query string of `/structures` and `/api/structures`: parsed and documented from one
//! struct, then understood against the data (commune resolved forgivingly, closed lists).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::data::Dataset;
use crate::places::{Filter, TextQuery};
use crate::scheme::{Category, Scheme};
use crate::territory::{Commune, Resolved};
use crate::web::params::contract::{Contract, Rules};

/// Filters of a list of places; all optional and combinable.
///
/// The documented parameters are the parsing rules (`Contract`): bounds, the closed lists of
/// place types and scheme ids are enforced as the OpenAPI document states them.
#[derive(Debug, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacesQuery {
    /// Nom, code postal ou code INSEE d’une commune du Pas-de-Calais : les lieux qui la
    /// desservent d’abord, puis ceux de la même intercommunalité, puis les autres
    /// (100 caractères au plus). Un code postal partagé vaut pour toutes ses communes.
    #[param(min_length = 1, max_length = 100, example = "Lens")]
    pub commune: Option<String>,
    /// Type de lieu, un slug de `types-structures.json` (`mission-locale`, `info-jeunes`,
    /// `relais-sac-ados`, `maison-des-adolescents`, `maison-du-departement-solidarite`…).
    #[serde(rename = "type")]
    #[param(rename = "type", example = "mission-locale")]
    pub kind: Option<String>,
    /// Identifiant d’un dispositif : seulement les lieux qui s’en occupent.
    #[param(example = "contrat-engagement-jeune")]
    pub dispositif: Option<String>,
    /// Nom, type ou commune d’un lieu, tel qu’on le tape (200 caractères au plus).
    #[param(max_length = 200, example = "mission locale lens")]
    pub q: Option<String>,
}

static PLACES_RULES: LazyLock<Rules> = LazyLock::new(Rules::of::<PlacesQuery>);

impl Contract for PlacesQuery {
    fn rules() -> &'static Rules {
        &PLACES_RULES
    }
}

/// A parameter that could not be used.
#[derive(Debug, Clone)]
pub enum Problem<'a> {
    /// The commune typed designates no single commune; the closest ones, best first.
    Commune {
        input: String,
        candidates: Vec<&'a Commune>,
    },
    /// No place type has this slug.
    Kind(String),
    /// No scheme has this id.
    Scheme(String),
    /// A parameter its documented rule refuses (the rule's message).
    Refused(String),
}

/// At most 40 characters of what the visitor typed, for a message.
fn shorten(value: &str) -> String {
    let mut s: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        s.push('…');
    }
    s
}

impl<'a> Problem<'a> {
    /// The first sentence about a commune that was not found exactly.
    pub fn commune_message(input: &str, has_candidates: bool) -> String {
        let input = shorten(input);
        if has_candidates {
            format!("« {input} » peut désigner plusieurs communes du Pas-de-Calais : choisis la tienne.")
        } else {
            format!("Nous ne trouvons pas la commune « {input} » dans le Pas-de-Calais. Vérifie l’orthographe ou tape son code postal.")
        }
    }

    fn message(&self) -> String {
        match self {
            Problem::Commune { input, candidates } => {
                Problem::commune_message(input, !candidates.is_empty())
            }
            Problem::Kind(k) => format!("Le type de lieu « {} » n’existe pas.", shorten(k)),
            Problem::Scheme(s) => format!("Le dispositif « {} » n’existe pas.", shorten(s)),
            Problem::Refused(message) => message.clone(),
        }
    }

    /// The line shown on `/structures`, which then lists the places without this filter.
    pub fn page_message(&self) -> String {
        let mut m = self.message();
        m.push_str(match self {
            Problem::Commune { .. } => " En attendant, voici tous les lieux.",
            _ => " Voici les lieux sans ce filtre.",
        });
        m
    }

    /// The API's 400 message, listing the candidate communes.
    pub fn api_message(&self) -> String {
        let mut m = self.message();
        let list: Vec<String> = self
            .candidates()
            .iter()
            .map(|c| format!("{} ({})", c.nom, c.code))
            .collect();
        if !list.is_empty() {
            m.push_str(&format!(
                " Communes possibles (code INSEE) : {}.",
                list.join(", ")
            ));
        }
        m
    }

    pub fn candidates(&self) -> &[&'a Commune] {
        match self {
            Problem::Commune { candidates, .. } => candidates,
            _ => &[],
        }
    }
}

/// A `PlacesQuery` understood against the data; what could not be used is in `problems`.
pub struct Understood<'a> {
    pub commune_input: String,
    /// The commune(s) designated; several for a shared postal code.
    pub near: Vec<&'a Commune>,
    pub kind: Option<&'a Category>,
    pub scheme: Option<&'a Scheme>,
    pub q: String,
    pub text: Option<TextQuery<'a>>,
    pub problems: Vec<Problem<'a>>,
}

fn given(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or_default()
}

impl<'a> Understood<'a> {
    pub fn new(q: &PlacesQuery, data: &'a Dataset) -> Understood<'a> {
        let mut u = Understood {
            commune_input: String::new(),
            near: Vec::new(),
            kind: None,
            scheme: None,
            q: String::new(),
            text: None,
            problems: Vec::new(),
        };
        let commune = given(&q.commune);
        // Lengths are the documented rules' (`PlacesQuery::rules`), checked before.
        if !commune.is_empty() {
            u.commune_input = commune.to_owned();
            match data.communes.resolve(commune) {
                Resolved::One(c) => u.near = vec![c],
                Resolved::Several(v) => u.near = v,
                Resolved::Unresolved(candidates) => u.problems.push(Problem::Commune {
                    input: commune.to_owned(),
                    candidates,
                }),
            }
        }
        let kind = given(&q.kind);
        if !kind.is_empty() {
            u.kind = data.place_type(kind);
            if u.kind.is_none() {
                u.problems.push(Problem::Kind(kind.to_owned()));
            }
        }
        let scheme = given(&q.dispositif);
        if !scheme.is_empty() {
            u.scheme = data.scheme(scheme);
            if u.scheme.is_none() {
                u.problems.push(Problem::Scheme(scheme.to_owned()));
            }
        }
        let text = given(&q.q);
        u.q = text.to_owned();
        u.text = TextQuery::parse(text, &data.communes);
        u
    }

    pub fn kind_slug(&self) -> &str {
        self.kind.map_or("", |k| k.slug.as_str())
    }

    pub fn scheme_id(&self) -> &str {
        self.scheme.map_or("", |s| s.id.as_str())
    }

    /// The filter of the places to list.
    pub fn filter(&self) -> Filter<'a, '_> {
        Filter {
            near: self.near.clone(),
            kind: self.kind.map(|k| k.slug.as_str()),
            scheme: self.scheme.map(|s| s.id.as_str()),
            text: self.text.as_ref(),
        }
    }
}
