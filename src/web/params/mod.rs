//! Query parameters: one struct per endpoint, from which both the OpenAPI description
//! (utoipa `IntoParams`) and the parser's rules (`contract`) are derived; then the commune
//! resolved and the search request built.

pub mod contract;
pub mod extract;
mod flat;
pub mod lists;
pub mod rule;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use contract::{pairs, Contract, Policy, Rejected, Rules, API};

use crate::data::Dataset;
use crate::search::{Filters, SearchRequest, Sort};
use crate::territory::Resolved;

/// HTML forms: lenient (see `Policy`), and 20 results a page, a screenful on a phone.
pub const SEARCH_FORM: Policy = Policy {
    lenient: true,
    defaults: &[("par_page", 20)],
};

/// Ordre des résultats : `pertinence` (défaut ; par nom sans `q`) ou `nom`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    #[default]
    Pertinence,
    Nom,
}

impl From<Tri> for Sort {
    fn from(t: Tri) -> Sort {
        match t {
            Tri::Pertinence => Sort::Relevance,
            Tri::Nom => Sort::Name,
        }
    }
}

/// Longest search text, in characters (the `q` parameter's `max_length` below).
pub const MAX_Q_CHARS: usize = 1000;

/// A search as it appears in the URL: `GET /api/dispositifs`, the results pages, `/embed`
/// and `/pro`. The field comments are the parameters' descriptions in the OpenAPI document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Texte cherché, tel qu’on le tape.
    #[serde(default)]
    #[param(max_length = 1000, example = "aide pour le permis")]
    pub q: String,
    /// Âge : les dispositifs qui l’incluent, et ceux sans limite d’âge.
    #[param(minimum = 0, maximum = 120, example = 17)]
    pub age: Option<u8>,
    /// Nom, code postal ou code INSEE d’une commune du Pas-de-Calais (accents, majuscules,
    /// début du nom et une faute de frappe sont tolérés). Un code postal partagé filtre sur
    /// toutes ses communes ; une commune introuvable donne 400 avec les communes proches.
    #[serde(rename = "commune", default)]
    #[param(min_length = 1, max_length = 100, example = "Liévin")]
    pub commune_input: String,
    /// What `commune` designates, filled once the commune is resolved.
    #[serde(skip)]
    #[param(ignore)]
    pub commune: Option<ResolvedCommune>,
    /// Thématique (répétable : un dispositif de l’une d’elles convient).
    #[serde(rename = "theme", default)]
    pub themes: Vec<String>,
    /// Public (répétable : un dispositif de l’un d’eux convient).
    #[serde(rename = "public", default)]
    pub publics: Vec<String>,
    /// Ordre des résultats.
    #[serde(rename = "tri")]
    #[param(inline, required = false, default = "pertinence")]
    pub sort: Tri,
    /// Numéro de la page de résultats.
    #[param(required = false, minimum = 1, maximum = 1000, default = 1)]
    pub page: usize,
    /// Nombre de résultats par page.
    #[serde(rename = "par_page")]
    #[param(required = false, minimum = 1, maximum = 100, default = 100)]
    pub per_page: usize,
}

static SEARCH_RULES: LazyLock<Rules> = LazyLock::new(Rules::of::<SearchParams>);

impl Contract for SearchParams {
    fn rules() -> &'static Rules {
        &SEARCH_RULES
    }
}

impl Default for SearchParams {
    /// The parameters of an empty query string on the API.
    fn default() -> SearchParams {
        SearchParams::rules()
            .defaults(&API)
            .expect("every search parameter is optional")
    }
}

/// What the `commune` parameter designates: one commune, or every commune of a shared
/// postal code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCommune {
    /// The commune's name, or the names of the communes sharing the postal code.
    pub nom: String,
    /// INSEE code and EPCI of each commune designated.
    pub communes: Vec<(String, Option<String>)>,
}

/// A parameter problem: a French message, for an unknown commune the closest ones.
#[derive(Debug, Clone)]
pub struct ParamError {
    pub message: String,
    /// (INSEE code, name) of the communes the visitor may have meant.
    pub choices: Vec<(String, String)>,
    /// What could be parsed, so a page can show the form again as it was.
    pub partial: SearchParams,
    /// Whether the commune was the only problem: a page then shows the results unfiltered by
    /// commune, with the message as a note (a commune never empties a page).
    pub only_commune: bool,
}

/// Parses a search query string as the HTML pages receive it (see `SEARCH_FORM`).
pub fn search(raw: Option<&str>, data: &Dataset) -> Result<SearchParams, Box<ParamError>> {
    read(raw, data, &SEARCH_FORM)
}

/// Parses a search query string exactly as the OpenAPI document describes it.
pub fn search_api(raw: Option<&str>, data: &Dataset) -> Result<SearchParams, Box<ParamError>> {
    read(raw, data, &API)
}

fn read(
    raw: Option<&str>,
    data: &Dataset,
    policy: &Policy,
) -> Result<SearchParams, Box<ParamError>> {
    let (mut p, mut messages) = match SearchParams::rules().parse::<SearchParams>(raw, data, policy)
    {
        Ok(p) => (p, Vec::new()),
        Err(r) => {
            let message = r.message();
            (r.partial.unwrap_or_default(), vec![message])
        }
    };
    let mut choices = Vec::new();
    let other_problems = !messages.is_empty();
    if !p.commune_input.is_empty() {
        match resolve(&p.commune_input, data) {
            Ok(c) => p.commune = Some(c),
            Err((m, c)) => {
                messages.push(m);
                choices = c;
            }
        }
    }
    if messages.is_empty() {
        Ok(p)
    } else {
        Err(Box::new(ParamError {
            message: messages.join(" "),
            choices,
            partial: p,
            only_commune: !other_problems,
        }))
    }
}

/// The commune(s) an input designates, or a message and the closest communes.
fn resolve(
    input: &str,
    data: &Dataset,
) -> Result<ResolvedCommune, (String, Vec<(String, String)>)> {
    let found = data.communes.resolve(input);
    let communes = found.communes();
    if let Resolved::Unresolved(candidates) = found {
        let shown = rule::quote(input.trim());
        let message = if candidates.is_empty() {
            format!("Nous ne trouvons pas la commune « {shown} » dans le Pas-de-Calais. Vérifie l’orthographe ou tape son code postal.")
        } else {
            format!("Plusieurs communes peuvent correspondre à « {shown} » : choisis la tienne.")
        };
        let choices = candidates
            .iter()
            .map(|c| (c.code.clone(), c.nom.clone()))
            .collect();
        return Err((message, choices));
    }
    Ok(ResolvedCommune {
        nom: communes
            .iter()
            .map(|c| c.nom.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        communes: communes
            .iter()
            .map(|c| (c.code.clone(), c.epci.clone()))
            .collect(),
    })
}

impl SearchParams {
    pub fn filters(&self) -> Filters {
        Filters {
            age: self.age,
            communes: self
                .commune
                .as_ref()
                .map(|c| c.communes.clone())
                .unwrap_or_default(),
            themes: self.themes.clone(),
            publics: self.publics.clone(),
        }
    }

    pub fn offset(&self) -> usize {
        self.page.saturating_sub(1) * self.per_page
    }

    /// The search for the page these parameters ask for.
    pub fn request(&self, snippets: bool, today: time::Date) -> SearchRequest {
        SearchRequest {
            text: self.q.clone(),
            filters: self.filters(),
            sort: self.sort.into(),
            offset: self.offset(),
            limit: self.per_page,
            snippets,
            today,
        }
    }

    /// The search for the first `limit` results, whatever page was asked.
    pub fn first(&self, limit: usize, today: time::Date) -> SearchRequest {
        SearchRequest {
            offset: 0,
            limit,
            ..self.request(false, today)
        }
    }

    /// The query string of a page's link: every parameter that shaped this page, with
    /// another page number (`None`: the first page, for a new search or a new filter).
    pub fn query_string(&self, page: Option<usize>) -> String {
        let mut p = self.clone();
        p.page = page.unwrap_or(1);
        SearchParams::rules().encode(&p, &SEARCH_FORM)
    }

    /// Parameters that shaped this page but have no field of their own in the filter form
    /// (such as `par_page`), so that changing a filter keeps them. The page number is left
    /// out: a new filter starts again at the first page.
    pub fn hidden_fields(&self) -> Vec<(String, String)> {
        const VISIBLE: [&str; 7] = ["q", "age", "commune", "theme", "public", "tri", "page"];
        pairs(Some(&self.query_string(None)))
            .into_iter()
            .filter(|(k, _)| !VISIBLE.contains(&k.as_str()))
            .collect()
    }
}

/// `GET /api/suggestions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// Début de recherche, tel qu’il est tapé (le dernier mot compte comme un début de mot).
    #[param(max_length = 1000, example = "servi")]
    pub q: String,
}

static SUGGEST_RULES: LazyLock<Rules> = LazyLock::new(Rules::of::<SuggestParams>);

impl Contract for SuggestParams {
    fn rules() -> &'static Rules {
        &SUGGEST_RULES
    }
}

/// `GET /api/communes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommuneParams {
    /// Nom, code postal ou code INSEE, lu comme le filtre `commune` de `/api/dispositifs`.
    #[param(min_length = 1, max_length = 100, example = "62800")]
    pub q: String,
}

static COMMUNE_RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::of::<CommuneParams>().labelled(&[("q", "La commune")]));

impl Contract for CommuneParams {
    fn rules() -> &'static Rules {
        &COMMUNE_RULES
    }
}
