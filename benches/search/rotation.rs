//! The queries every bench runs, as young people type them, and how they become requests.

use std::hint::black_box;

use referentiel_jeunesse::search::{Engine, Filters, SearchRequest, Sort};

/// Arras (INSEE code, EPCI CU d'Arras) and Lens (CA de Lens-Liévin).
pub const ARRAS: (&str, &str) = ("62041", "200033579");
pub const LENS: (&str, &str) = ("62498", "246200364");

/// What a query is made of, to group the figures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Typo,
    Prefix,
    Everyday,
    Name,
    Filtered,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Typo => "typo",
            Kind::Prefix => "prefix",
            Kind::Everyday => "everyday",
            Kind::Name => "name",
            Kind::Filtered => "filtered",
        }
    }

    pub const ALL: [Kind; 5] = [
        Kind::Typo,
        Kind::Prefix,
        Kind::Everyday,
        Kind::Name,
        Kind::Filtered,
    ];
}

pub struct Query {
    pub kind: Kind,
    pub text: &'static str,
    pub age: Option<u8>,
    pub commune: Option<(&'static str, &'static str)>,
}

const fn q(kind: Kind, text: &'static str) -> Query {
    Query {
        kind,
        text,
        age: None,
        commune: None,
    }
}

const fn qf(
    text: &'static str,
    age: Option<u8>,
    commune: Option<(&'static str, &'static str)>,
) -> Query {
    Query {
        kind: Kind::Filtered,
        text,
        age,
        commune,
    }
}

/// Queries as young people type them: typos, words being typed, everyday language.
pub const ROTATION: &[Query] = &[
    q(Kind::Typo, "servise civik"),
    q(Kind::Typo, "permi de condur"),
    q(Kind::Typo, "erasmuss"),
    q(Kind::Typo, "boursse colege"),
    q(Kind::Typo, "baffa"),
    q(Kind::Prefix, "permi"),
    q(Kind::Prefix, "sac ad"),
    q(Kind::Prefix, "promen"),
    q(Kind::Prefix, "colle"),
    q(Kind::Everyday, "partir en vacances avec mes potes"),
    q(Kind::Everyday, "aide pour le permis"),
    q(Kind::Everyday, "stage 3eme"),
    q(Kind::Everyday, "job d'ete"),
    q(Kind::Everyday, "trouver un taf"),
    q(Kind::Everyday, "j'ai besoin de thune pour mes etudes"),
    q(Kind::Everyday, "parler a quelqu'un ca va pas"),
    q(Kind::Everyday, "faire du sport pas cher"),
    q(Kind::Name, "sac ados"),
    q(Kind::Name, "bafa"),
    q(Kind::Name, "pass culture"),
    q(Kind::Name, "service civique"),
    q(Kind::Name, "mission locale"),
    qf("", Some(17), None),
    qf("permis", Some(18), Some(ARRAS)),
    qf("vacances", Some(16), Some(LENS)),
    qf("job d'ete", None, Some(ARRAS)),
    qf("stage 3eme", Some(14), None),
    qf("", None, Some(LENS)),
];

/// A fixed day, so that runs compare.
pub const TODAY: time::Date = time::macros::date!(2026 - 12 - 01);

pub fn request(q: &Query) -> SearchRequest {
    SearchRequest {
        text: q.text.to_owned(),
        filters: Filters {
            age: q.age,
            communes: q
                .commune
                .map(|(insee, epci)| (insee.to_owned(), Some(epci.to_owned())))
                .into_iter()
                .collect(),
            ..Filters::default()
        },
        sort: Sort::Relevance,
        offset: 0,
        limit: 20,
        snippets: true,
        today: TODAY,
    }
}

pub fn label(q: &Query) -> String {
    let mut s = if q.text.is_empty() {
        "(vide)".to_owned()
    } else {
        q.text.to_owned()
    };
    if let Some(a) = q.age {
        s.push_str(&format!(" age={a}"));
    }
    if let Some((insee, _)) = q.commune {
        s.push_str(&format!(" commune={insee}"));
    }
    s
}

/// Runs a search and keeps what a page would touch.
pub fn run(engine: &Engine, req: &SearchRequest) -> usize {
    let r = engine.search(req).expect("search");
    black_box(&r.hits);
    black_box(&r.did_you_mean);
    r.total
}
