//! The API's response bodies, with their OpenAPI schemas (utoipa), kept apart from the
//! domain types so that the published format changes only on purpose. Doc comments here are
//! the schemas' descriptions in the published document: they are written in French.

use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::scheme::{Scheme, Territory, Text};
use crate::search::Hit;

/// Un dispositif dans une liste.
#[derive(Serialize, ToSchema)]
pub struct SchemeSummary<'a> {
    pub id: &'a str,
    #[schema(value_type = String)]
    pub nom: JsonText<'a>,
    #[schema(value_type = String)]
    pub resume: JsonText<'a>,
    pub thematiques: Vec<&'a str>,
    pub publics: Vec<&'a str>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    /// `ouvert`, `a-confirmer`, `en-projet`, `en-pause`, `a-venir` ou `ferme`.
    pub statut: &'static str,
    /// Adresse de la fiche du dispositif.
    #[schema(value_type = String)]
    pub url: SchemeUrl<'a>,
    /// Score de pertinence (seulement avec `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// A scheme's address, written straight into the JSON (no string built for each result).
pub struct SchemeUrl<'a> {
    base: &'a str,
    scheme: &'a Scheme,
}

impl Serialize for SchemeUrl<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}{}", self.base, self.scheme.path_display()))
    }
}

/// A text of a scheme in a JSON answer: escaped with the engine once (a result's
/// [`Shown`]), or escaped as it is written.
pub enum JsonText<'a> {
    Escaped(&'a RawValue),
    Plain(&'a str),
}

impl<'a> JsonText<'a> {
    fn of(escaped: Option<&'a RawValue>, plain: &'a str) -> JsonText<'a> {
        escaped.map_or(JsonText::Plain(plain), JsonText::Escaped)
    }
}

impl Serialize for JsonText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonText::Escaped(raw) => raw.serialize(s),
            JsonText::Plain(text) => s.serialize_str(text),
        }
    }
}

impl<'a> SchemeSummary<'a> {
    /// A result of a search, its texts escaped once per engine.
    pub fn of_hit(hit: &Hit<'a>, base_url: &'a str, score: Option<f32>) -> SchemeSummary<'a> {
        let mut summary = SchemeSummary::new(hit.scheme, base_url, score);
        summary.nom = JsonText::of(hit.shown.nom_json.as_deref(), &hit.scheme.nom);
        summary.resume = JsonText::of(hit.shown.resume_json.as_deref(), &hit.scheme.resume);
        summary
    }

    /// Borrows the scheme's texts: a list is written out before the engine it comes from
    /// is let go.
    pub fn new(s: &'a Scheme, base_url: &'a str, score: Option<f32>) -> SchemeSummary<'a> {
        SchemeSummary {
            id: s.id.as_str(),
            nom: JsonText::Plain(&s.nom),
            resume: JsonText::Plain(&s.resume),
            thematiques: s.thematiques.iter().map(|t| t.as_str()).collect(),
            publics: s.publics.iter().map(|t| t.as_str()).collect(),
            age_min: s.ages.min,
            age_max: s.ages.max,
            statut: s.statut.slug(),
            url: SchemeUrl {
                base: base_url,
                scheme: s,
            },
            score,
        }
    }
}

/// Nombre de dispositifs trouvés par thématique, pour la recherche demandée.
#[derive(Serialize, ToSchema)]
pub struct ThemeCount {
    pub slug: String,
    pub nombre: u64,
}

/// Une page de résultats.
#[derive(Serialize, ToSchema)]
pub struct SchemeList<'a> {
    pub total: usize,
    pub page: usize,
    pub par_page: usize,
    pub dispositifs: Vec<SchemeSummary<'a>>,
    /// Une recherche corrigée, quand un mot est inconnu du référentiel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vouliez_vous_dire: Option<String>,
    pub thematiques: Vec<ThemeCount>,
    /// Mots tapés dont aucun dispositif ne parle (« chien » dans « aide pour mon chien ») ;
    /// les dispositifs qui ne correspondent qu’à des mots génériques ne sont alors pas listés.
    pub mots_sans_resultat: Vec<String>,
    /// Numéros d’aide nationaux, quand la recherche signale une détresse ou un danger.
    pub urgence: Vec<UrgenceBody>,
}

/// A national helpline (« Besoin d’aide maintenant ? »).
#[derive(Serialize, ToSchema)]
pub struct UrgenceBody {
    pub nom: String,
    /// Le numéro à composer, tel qu’il s’écrit.
    pub numero: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct TerritoryBody {
    /// `national`, `region`, `departement` ou `local`.
    pub niveau: String,
    pub epci: Vec<String>,
    pub communes: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactBody {
    pub site: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KeyFigureBody {
    pub valeur: String,
    pub libelle: String,
    pub annee: Option<u16>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarBody {
    /// `AAAA-MM-JJ`.
    pub debut: Option<String>,
    pub fin: Option<String>,
    pub date_limite: Option<String>,
    #[schema(value_type = Option<String>)]
    pub commentaire: Option<Text>,
}

#[derive(Serialize, ToSchema)]
pub struct SourceBody {
    pub titre: String,
    pub url: Option<String>,
    pub section: Option<String>,
    pub extrait: Option<String>,
}

/// Un dispositif en entier.
#[derive(Serialize, ToSchema)]
pub struct SchemeDetail {
    pub id: String,
    pub nom: String,
    pub alias: Vec<String>,
    pub resume: String,
    pub description: String,
    pub thematiques: Vec<String>,
    pub publics: Vec<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    pub territoire: TerritoryBody,
    pub porteur: String,
    #[schema(value_type = Vec<String>)]
    pub avantages: Vec<Text>,
    #[schema(value_type = Vec<String>)]
    pub conditions: Vec<Text>,
    #[schema(value_type = Vec<String>)]
    pub demarches: Vec<Text>,
    pub contact: ContactBody,
    pub chiffres_cles: Vec<KeyFigureBody>,
    pub statut: String,
    pub calendrier: CalendarBody,
    pub gratuit: bool,
    #[schema(value_type = Vec<String>)]
    pub mots_cles: Vec<Text>,
    pub sources: Vec<SourceBody>,
    /// `AAAA-MM-JJ`.
    pub mis_a_jour: String,
    pub url: String,
}

impl SchemeDetail {
    pub fn new(s: &Scheme, base_url: &str) -> SchemeDetail {
        let (niveau, epci, communes) = match &s.territoire {
            Territory::National => ("national", vec![], vec![]),
            Territory::Region => ("region", vec![], vec![]),
            Territory::Departement => ("departement", vec![], vec![]),
            Territory::Local { epci, communes } => ("local", epci.clone(), communes.clone()),
        };
        let date = |d: Option<time::Date>| d.map(|d| d.to_string());
        SchemeDetail {
            id: s.id.to_string(),
            nom: s.nom.clone(),
            alias: s.alias.clone(),
            resume: s.resume.clone(),
            description: s.description.clone(),
            thematiques: s.thematiques.iter().map(|t| t.to_string()).collect(),
            publics: s.publics.iter().map(|t| t.to_string()).collect(),
            age_min: s.ages.min,
            age_max: s.ages.max,
            territoire: TerritoryBody {
                niveau: niveau.to_owned(),
                epci,
                communes,
            },
            porteur: s.porteur.clone(),
            avantages: s.avantages.clone(),
            conditions: s.conditions.clone(),
            demarches: s.demarches.clone(),
            contact: ContactBody {
                site: s.contact.site.clone(),
                email: s.contact.email.clone(),
                telephone: s.contact.telephone.clone(),
                adresse: s.contact.adresse.clone(),
            },
            chiffres_cles: s
                .chiffres_cles
                .iter()
                .map(|k| KeyFigureBody {
                    valeur: k.valeur.clone(),
                    libelle: k.libelle.clone(),
                    annee: k.annee,
                })
                .collect(),
            statut: s.statut.slug().to_owned(),
            calendrier: CalendarBody {
                debut: date(s.calendrier.debut),
                fin: date(s.calendrier.fin),
                date_limite: date(s.calendrier.date_limite),
                commentaire: s.calendrier.commentaire.clone(),
            },
            gratuit: s.gratuit,
            mots_cles: s.mots_cles.clone(),
            sources: s
                .sources
                .iter()
                .map(|x| SourceBody {
                    titre: x.titre.clone(),
                    url: x.url.clone(),
                    section: x.section.clone(),
                    extrait: x.extrait.clone(),
                })
                .collect(),
            mis_a_jour: s.mis_a_jour.to_string(),
            url: format!("{base_url}{}", s.path()),
        }
    }
}

/// Une thématique ou un public, avec son nombre de dispositifs.
#[derive(Serialize, ToSchema)]
pub struct CategoryBody {
    pub slug: String,
    pub libelle: String,
    pub description: String,
    pub nombre: usize,
}

/// Une commune trouvée par son nom, son code postal ou son code INSEE.
#[derive(Serialize, ToSchema)]
pub struct CommuneBody {
    /// Code INSEE.
    pub code: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    /// SIREN de l’EPCI.
    pub epci: Option<String>,
    pub epci_nom: Option<String>,
}

/// Une suggestion sous le champ de recherche.
#[derive(Serialize, ToSchema)]
pub struct Suggestion {
    pub id: String,
    pub nom: String,
    pub url: String,
}

/// La forme unique des erreurs de l’API.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub erreur: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub statut: u16,
    /// `introuvable`, `requete_invalide` ou `erreur_interne`.
    pub code: String,
    /// Un message en français, pour des personnes.
    pub message: String,
}

/// Le référentiel complet.
#[derive(Serialize, ToSchema)]
pub struct ExportBody {
    pub licence: String,
    pub version_donnees: String,
    pub total: usize,
    pub dispositifs: Vec<SchemeDetail>,
}

/// État du service (`/healthz`).
#[derive(Serialize, ToSchema)]
pub struct HealthBody {
    /// `ok`, ou `degrade` quand le dernier rechargement a été refusé.
    pub statut: String,
    pub version_donnees: String,
    pub dispositifs: usize,
    pub derniere_mise_a_jour: String,
    pub derniere_erreur: Option<String>,
    pub fichiers_en_erreur: Vec<String>,
    /// The espace rédaction: `disponible`, `indisponible : …` (state database missing or
    /// unwritable; the public site still serves) or `non configure`.
    pub redaction: String,
}
