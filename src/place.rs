//! Places that help young people (missions locales, Info Jeunes points…): valid by construction.

use serde::Serialize;
use time::Date;

use crate::scheme::{Slug, Source};
use crate::territory::Commune;

/// A postal address whose commune is a known INSEE code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub rue: Option<String>,
    pub code_postal: Option<String>,
    /// INSEE code, known to `communes.json`.
    pub commune: String,
}

/// The communes a place serves: EPCI (SIREN) and/or communes (INSEE), at least one code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Served {
    pub epci: Vec<String>,
    pub communes: Vec<String>,
}

/// How to reach a place, only what a source gives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlaceContact {
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site: Option<String>,
}

/// A place (« structure »), valid by construction.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub id: Slug,
    pub nom: String,
    /// A slug of `types-structures.json`.
    #[serde(rename = "type")]
    pub kind: Slug,
    pub adresse: Address,
    pub dessert: Served,
    pub contact: PlaceContact,
    pub horaires: Option<String>,
    /// Schemes handled there (ids of `dispositifs/`).
    pub dispositifs: Vec<Slug>,
    pub sources: Vec<std::sync::Arc<Source>>,
    #[serde(serialize_with = "iso")]
    pub mis_a_jour: Date,
    /// Archived (`"statut": "fermee"`): left out of every list, its page says it is closed.
    #[serde(rename = "fermee")]
    pub closed: bool,
    /// The folded words the place answers to in a search (name, type, acronyms, commune),
    /// sorted: computed once when the data set is loaded (`places::answer_words`).
    #[serde(skip)]
    pub words: Vec<String>,
}

fn iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

impl Place {
    /// Whether the place says it serves `commune` (by its code or its EPCI).
    pub fn serves(&self, commune: &Commune) -> bool {
        self.dessert.communes.contains(&commune.code)
            || commune
                .epci
                .as_ref()
                .is_some_and(|e| self.dessert.epci.contains(e))
    }

    /// The public path of the place's page.
    pub fn path(&self) -> String {
        format!("/structures/{}", self.id)
    }
}
