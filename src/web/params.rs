//! Query-string parameters, parsed leniently (any bytes are accepted as text) and then
//! validated against bounds and the closed lists; a wrong value gets a French message.

use crate::data::Dataset;
use crate::search::{Filters, SearchRequest, Sort};
use crate::territory::LookupError;

/// Longest accepted search text, in characters.
pub const MAX_Q_CHARS: usize = 1000;
pub const MAX_PAGE: usize = 1000;
pub const MAX_PER_PAGE: usize = 100;
pub const DEFAULT_PER_PAGE: usize = 20;
const MAX_COMMUNE_CHARS: usize = 100;
const MAX_LIST: usize = 20;

/// A validated search request as it appears in the URL.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: String,
    pub age: Option<u8>,
    /// What the visitor typed for the commune, and the commune it designates.
    pub commune_input: String,
    pub commune: Option<ResolvedCommune>,
    pub themes: Vec<String>,
    pub publics: Vec<String>,
    pub sort: Sort,
    pub page: usize,
    pub per_page: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCommune {
    pub code: String,
    pub nom: String,
    pub epci: Option<String>,
}

/// A parameter problem: a French message, and for an ambiguous commune the choices.
#[derive(Debug, Clone)]
pub struct ParamError {
    pub message: String,
    pub choices: Vec<(String, String)>,
    /// What could be parsed, so a page can show the form again as it was.
    pub partial: SearchParams,
}

/// Raw key/value pairs of a query string; invalid percent-encoding decodes lossily.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn number(value: &str, max: usize, what: &str) -> Result<usize, String> {
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            format!(
                "{what} doit être un nombre entier entre 0 et {max} (reçu « {} »).",
                shorten(value)
            )
        })
}

fn shorten(value: &str) -> String {
    let mut s: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// Parses and validates a search query string against the data's lists and communes.
pub fn search(raw: Option<&str>, data: &Dataset) -> Result<SearchParams, Box<ParamError>> {
    let mut p = SearchParams {
        page: 1,
        per_page: DEFAULT_PER_PAGE,
        ..SearchParams::default()
    };
    let mut errors: Vec<String> = Vec::new();
    let mut choices = Vec::new();
    for (key, value) in pairs(raw) {
        let value = value.trim().to_owned();
        match key.as_str() {
            "q" => {
                if value.chars().count() > MAX_Q_CHARS {
                    errors.push(format!(
                        "Ta recherche est trop longue : {MAX_Q_CHARS} caractères au plus."
                    ));
                } else {
                    p.q = value;
                }
            }
            "age" if value.is_empty() => {}
            "age" => match number(&value, 120, "L’âge") {
                Ok(n) => p.age = Some(n as u8),
                Err(e) => errors.push(e),
            },
            "commune" if value.is_empty() => {}
            "commune" => {
                if value.chars().count() > MAX_COMMUNE_CHARS {
                    errors.push("Le nom de commune est trop long.".to_owned());
                    continue;
                }
                p.commune_input = value.clone();
                match data.communes.lookup(&value) {
                    Ok(c) => {
                        p.commune = Some(ResolvedCommune {
                            code: c.code.clone(),
                            nom: c.nom.clone(),
                            epci: c.epci.clone(),
                        })
                    }
                    Err(LookupError::NotFound) => errors.push(format!(
                        "Nous ne trouvons pas la commune « {} » dans le Pas-de-Calais. Vérifie l’orthographe ou tape son code postal.",
                        shorten(&value)
                    )),
                    Err(LookupError::Ambiguous(list)) => {
                        errors.push(format!(
                            "Plusieurs communes correspondent à « {} » : choisis la tienne.",
                            shorten(&value)
                        ));
                        choices = list;
                    }
                }
            }
            "theme" | "thematique" if value.is_empty() => {}
            "theme" | "thematique" => {
                if data.theme(&value).is_none() {
                    errors.push(format!(
                        "La thématique « {} » n’existe pas.",
                        shorten(&value)
                    ));
                } else if !p.themes.contains(&value) && p.themes.len() < MAX_LIST {
                    p.themes.push(value);
                }
            }
            "public" if value.is_empty() => {}
            "public" => {
                if data.public(&value).is_none() {
                    errors.push(format!("Le public « {} » n’existe pas.", shorten(&value)));
                } else if !p.publics.contains(&value) && p.publics.len() < MAX_LIST {
                    p.publics.push(value);
                }
            }
            "tri" => match value.as_str() {
                "" | "pertinence" => p.sort = Sort::Relevance,
                "nom" => p.sort = Sort::Name,
                other => errors.push(format!(
                    "Le tri « {} » n’existe pas : choisis « pertinence » ou « nom ».",
                    shorten(other)
                )),
            },
            "page" if value.is_empty() => {}
            "page" => match number(&value, MAX_PAGE, "Le numéro de page") {
                Ok(0) => errors.push("Le numéro de page commence à 1.".to_owned()),
                Ok(n) => p.page = n,
                Err(e) => errors.push(e),
            },
            "par_page" if value.is_empty() => {}
            "par_page" => match number(&value, MAX_PER_PAGE, "Le nombre de résultats par page") {
                Ok(0) => errors.push("Le nombre de résultats par page commence à 1.".to_owned()),
                Ok(n) => p.per_page = n,
                Err(e) => errors.push(e),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(Box::new(ParamError {
            message: errors.join(" "),
            choices,
            partial: p,
        }))
    }
}

impl SearchParams {
    pub fn filters(&self) -> Filters {
        Filters {
            age: self.age,
            communes: self
                .commune
                .iter()
                .map(|c| (c.code.clone(), c.epci.clone()))
                .collect(),
            themes: self.themes.clone(),
            publics: self.publics.clone(),
        }
    }

    pub fn offset(&self) -> usize {
        (self.page - 1) * self.per_page
    }

    /// The search for the page these parameters ask for.
    pub fn request(&self, snippets: bool, today: time::Date) -> SearchRequest {
        SearchRequest {
            text: self.q.clone(),
            filters: self.filters(),
            sort: self.sort,
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

    /// The query string of these parameters, with another page number.
    pub fn query_string(&self, page: Option<usize>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        if let Some(a) = self.age {
            s.append_pair("age", &a.to_string());
        }
        if !self.commune_input.is_empty() {
            s.append_pair("commune", &self.commune_input);
        }
        for t in &self.themes {
            s.append_pair("theme", t);
        }
        for p in &self.publics {
            s.append_pair("public", p);
        }
        if self.sort == Sort::Name {
            s.append_pair("tri", "nom");
        }
        if let Some(p) = page.filter(|p| *p > 1) {
            s.append_pair("page", &p.to_string());
        }
        s.finish()
    }
}
