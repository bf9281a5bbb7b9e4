//! The JSON bodies of `/api/structures` and `/donnees/structures.json`, with their OpenAPI
//! schemas, kept apart from `Place` so that the published format changes only on purpose.

use serde::Serialize;
use utoipa::ToSchema;

use crate::data::Dataset;
use crate::place::Place;
use crate::web::api_types::SourceBody;

/// The commune where a place is.
#[derive(Serialize, ToSchema)]
pub struct PlaceCommune {
    /// INSEE code.
    pub insee: String,
    pub nom: String,
}

/// One place in a list.
#[derive(Serialize, ToSchema)]
pub struct PlaceSummary {
    pub id: String,
    pub nom: String,
    /// A slug of `types-structures.json` (`mission-locale`, `info-jeunes`…).
    #[serde(rename = "type")]
    pub kind: String,
    /// Street, postal code and commune, as one line.
    pub adresse: String,
    pub commune: PlaceCommune,
    /// Whether the place serves the commune asked with `commune` (always false without it).
    pub dessert_la_commune: bool,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site: Option<String>,
    /// Ids of the schemes handled there.
    pub dispositifs: Vec<String>,
}

/// The places found, best first.
#[derive(Serialize, ToSchema)]
pub struct PlaceList {
    pub total: usize,
    pub structures: Vec<PlaceSummary>,
}

/// The territory a place serves.
#[derive(Serialize, ToSchema)]
pub struct ServedBody {
    /// SIREN codes of the EPCI served.
    pub epci: Vec<String>,
    /// INSEE codes of the communes served.
    pub communes: Vec<String>,
}

/// A whole place.
#[derive(Serialize, ToSchema)]
pub struct PlaceDetail {
    pub id: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The type's label (« Mission locale »).
    pub type_libelle: String,
    /// Street, postal code and commune, as one line.
    pub adresse: String,
    pub rue: Option<String>,
    pub code_postal: Option<String>,
    pub commune: PlaceCommune,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site: Option<String>,
    pub horaires: Option<String>,
    pub dessert: ServedBody,
    pub dispositifs: Vec<String>,
    pub sources: Vec<SourceBody>,
    /// `AAAA-MM-JJ`.
    pub mis_a_jour: String,
    /// Address of the place's page.
    pub url: String,
    /// `true` when the place has closed (archived): it is in no list, only its own address
    /// still answers.
    pub fermee: bool,
}

/// Every place, whole (open data, Licence Ouverte 2.0).
#[derive(Serialize, ToSchema)]
pub struct PlaceExport {
    pub licence: String,
    pub version_donnees: String,
    pub total: usize,
    pub structures: Vec<PlaceDetail>,
}

/// « 1 rue du Test, 62800 Liévin »: only what the data gives.
pub fn address_line(place: &Place, data: &Dataset) -> String {
    let a = &place.adresse;
    let nom = commune_name(place, data);
    let town = match &a.code_postal {
        Some(cp) => format!("{cp} {nom}"),
        None => nom,
    };
    match &a.rue {
        Some(rue) => format!("{rue}, {town}"),
        None => town,
    }
}

/// The name of the commune where the place is (its INSEE code if unknown, which `check` forbids).
pub fn commune_name(place: &Place, data: &Dataset) -> String {
    data.communes
        .commune(&place.adresse.commune)
        .map_or_else(|| place.adresse.commune.clone(), |c| c.nom.clone())
}

fn commune(place: &Place, data: &Dataset) -> PlaceCommune {
    PlaceCommune {
        insee: place.adresse.commune.clone(),
        nom: commune_name(place, data),
    }
}

fn ids(v: &[crate::scheme::Slug]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl PlaceSummary {
    pub fn new(place: &Place, data: &Dataset, serves: bool) -> PlaceSummary {
        PlaceSummary {
            id: place.id.to_string(),
            nom: place.nom.clone(),
            kind: place.kind.to_string(),
            adresse: address_line(place, data),
            commune: commune(place, data),
            dessert_la_commune: serves,
            telephone: place.contact.telephone.clone(),
            courriel: place.contact.courriel.clone(),
            site: place.contact.site.clone(),
            dispositifs: ids(&place.dispositifs),
        }
    }
}

impl PlaceDetail {
    pub fn new(place: &Place, data: &Dataset, base_url: &str) -> PlaceDetail {
        PlaceDetail {
            id: place.id.to_string(),
            nom: place.nom.clone(),
            kind: place.kind.to_string(),
            type_libelle: data
                .place_type(place.kind.as_str())
                .map_or_else(|| place.kind.to_string(), |t| t.libelle.clone()),
            adresse: address_line(place, data),
            rue: place.adresse.rue.clone(),
            code_postal: place.adresse.code_postal.clone(),
            commune: commune(place, data),
            telephone: place.contact.telephone.clone(),
            courriel: place.contact.courriel.clone(),
            site: place.contact.site.clone(),
            horaires: place.horaires.clone(),
            dessert: ServedBody {
                epci: place.dessert.epci.clone(),
                communes: place.dessert.communes.clone(),
            },
            dispositifs: ids(&place.dispositifs),
            sources: place
                .sources
                .iter()
                .map(|x| SourceBody {
                    titre: x.titre.clone(),
                    url: x.url.clone(),
                    section: x.section.clone(),
                    extrait: x.extrait.clone(),
                })
                .collect(),
            mis_a_jour: place.mis_a_jour.to_string(),
            url: format!("{base_url}{}", place.path()),
            fermee: place.closed,
        }
    }
}
