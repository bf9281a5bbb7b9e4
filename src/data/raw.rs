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
    pub eligibilite: Option<RawEligibility>,
    pub territoire: Option<RawTerritory>,
    pub porteur: Option<String>,
    pub avantages: Option<Vec<String>>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub demarches: Vec<String>,
    pub lien_demarche: Option<RawActionLink>,
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
    /// Date the page was read (`AAAA-MM-JJ`); required with `url`.
    pub consulte_le: Option<String>,
}

/// Structured conditions: age exceptions, situations, what the site cannot check.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEligibility {
    #[serde(default)]
    pub exceptions_age: Vec<RawAgeException>,
    #[serde(default)]
    pub situations: Vec<String>,
    #[serde(default)]
    pub situations_exclues: Vec<String>,
    #[serde(default)]
    pub a_verifier: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgeException {
    pub situation: String,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
}

/// The official page where a young person applies or registers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionLink {
    pub url: Option<String>,
    pub libelle: Option<String>,
}

/// `domaines.json`: which source hosts are official or press, which are refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDomains {
    #[serde(default)]
    pub officiels: Vec<String>,
    #[serde(default)]
    pub presse: Vec<String>,
    /// Staging or test hosts: a source there is an error.
    #[serde(default)]
    pub interdits: Vec<String>,
    /// Query parameters that only track visitors (`utm_`, `fbclid`…): a warning.
    #[serde(default)]
    pub parametres_de_suivi: Vec<String>,
}

/// A place that helps young people (`structures/<id>.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlace {
    pub id: Option<String>,
    pub nom: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub adresse: Option<RawAddress>,
    pub dessert: Option<RawServed>,
    pub contact: Option<RawPlaceContact>,
    pub horaires: Option<String>,
    #[serde(default)]
    pub dispositifs: Vec<String>,
    pub sources: Option<Vec<RawSource>>,
    pub mis_a_jour: Option<String>,
    /// `ouverte` (the default when absent) or `fermee` (archived).
    pub statut: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddress {
    pub rue: Option<String>,
    pub code_postal: Option<String>,
    pub commune: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServed {
    #[serde(default)]
    pub epci: Vec<String>,
    #[serde(default)]
    pub communes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlaceContact {
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site: Option<String>,
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

/// `urgence.json`: national helplines and the phrases that call for them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUrgency {
    pub lignes: Vec<RawHelpline>,
    pub familles: Vec<RawFamily>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelpline {
    pub id: String,
    pub nom: String,
    pub numero: String,
    pub description: String,
    pub familles: Vec<String>,
    pub sources: Option<Vec<RawSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFamily {
    pub id: String,
    pub expressions: Vec<String>,
}
