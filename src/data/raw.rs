//! Serde structs that mirror the JSON files as editors write them; every field optional so
//! that validation can report all missing fields at once instead of serde's first error.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheme {
    pub id: Option<String>,
    pub nom: Option<String>,
    #[serde(default)]
    pub alias: Vec<String>,
    pub resume: Option<String>,
    pub description: Option<String>,
    pub thematiques: Option<Vec<String>>,
    pub publics: Option<Vec<String>>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    pub territoire: Option<RawTerritory>,
    pub porteur: Option<String>,
    pub avantages: Option<Vec<String>>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub demarches: Vec<String>,
    pub contact: Option<RawContact>,
    #[serde(default)]
    pub chiffres_cles: Vec<RawKeyFigure>,
    pub statut: Option<String>,
    pub calendrier: Option<RawCalendar>,
    pub gratuit: Option<bool>,
    pub mots_cles: Option<Vec<String>>,
    pub sources: Option<Vec<RawSource>>,
    pub mis_a_jour: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerritory {
    pub niveau: String,
    #[serde(default)]
    pub epci: Vec<String>,
    #[serde(default)]
    pub communes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub site: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyFigure {
    pub valeur: String,
    pub libelle: String,
    pub annee: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub debut: Option<String>,
    pub fin: Option<String>,
    pub date_limite: Option<String>,
    pub commentaire: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub titre: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub extrait: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub slug: String,
    pub libelle: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSynonyms {
    /// Groups of equivalent words: each expands to all the others.
    #[serde(default)]
    pub groupes: Vec<Vec<String>>,
    /// One-way expansions: `de` (a word, acronym or phrase) also searches `vers`.
    #[serde(default)]
    pub expansions: Vec<RawExpansion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpansion {
    pub de: String,
    pub vers: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct RawCommunes {
    pub millesime: Option<String>,
    pub communes: Vec<RawCommune>,
}

#[derive(Debug, Deserialize)]
pub struct RawCommune {
    pub code: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    pub epci: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RawEpcis {
    pub epci: Vec<RawEpci>,
}

#[derive(Debug, Deserialize)]
pub struct RawEpci {
    pub code: String,
    pub nom: String,
}
