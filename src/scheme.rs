//! Domain types of the référentiel: if you hold a `Scheme`, every field has been validated.

use serde::Serialize;
use time::Date;

/// A lowercase identifier `[a-z0-9-]+`, used for scheme ids and theme/audience slugs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts a non-empty identifier made of `a-z`, `0-9` and inner hyphens.
    pub fn parse(raw: &str) -> Option<Slug> {
        let ok = !raw.is_empty()
            && raw.len() <= 80
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        ok.then(|| Slug(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An entry of a closed list (`thematiques.json`, `publics.json`): a theme or an audience.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub slug: Slug,
    pub libelle: String,
    pub description: String,
}

/// An age range; both bounds optional, and `min <= max` when both are given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AgeRange {
    pub min: Option<u8>,
    pub max: Option<u8>,
}

impl AgeRange {
    pub fn new(min: Option<u8>, max: Option<u8>) -> Option<AgeRange> {
        match (min, max) {
            (Some(a), Some(b)) if a > b => None,
            _ => Some(AgeRange { min, max }),
        }
    }

    /// Whether a person of `age` is within the range (open bounds include everybody).
    pub fn includes(&self, age: u8) -> bool {
        self.min.is_none_or(|m| age >= m) && self.max.is_none_or(|m| age <= m)
    }

    /// French label such as « de 16 à 25 ans », or `None` when no bound is known.
    pub fn label(&self) -> Option<String> {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => Some(format!("{a}\u{a0}ans")),
            (Some(a), Some(b)) => Some(format!("de {a} à {b}\u{a0}ans")),
            (Some(a), None) => Some(format!("à partir de {a}\u{a0}ans")),
            (None, Some(b)) => Some(format!("jusqu’à {b}\u{a0}ans")),
            (None, None) => None,
        }
    }
}

/// Where a scheme is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "niveau", rename_all = "lowercase")]
pub enum Territory {
    National,
    Region,
    Departement,
    /// Limited to communes (INSEE codes) and/or EPCI (SIREN codes) known to `communes.json`.
    Local {
        epci: Vec<String>,
        communes: Vec<String>,
    },
}

impl Territory {
    pub fn label(&self) -> &'static str {
        match self {
            Territory::National => "Toute la France",
            Territory::Region => "Hauts-de-France",
            Territory::Departement => "Tout le Pas-de-Calais",
            Territory::Local { .. } => "Certaines communes du Pas-de-Calais",
        }
    }
}

/// Whether a scheme can be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    #[serde(rename = "ouvert")]
    Open,
    #[serde(rename = "en-pause")]
    Paused,
    #[serde(rename = "a-venir")]
    Upcoming,
    #[serde(rename = "ferme")]
    Closed,
}

impl Status {
    pub fn parse(raw: &str) -> Option<Status> {
        match raw {
            "ouvert" => Some(Status::Open),
            "en-pause" => Some(Status::Paused),
            "a-venir" => Some(Status::Upcoming),
            "ferme" => Some(Status::Closed),
            _ => None,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Status::Open => "ouvert",
            Status::Paused => "en-pause",
            Status::Upcoming => "a-venir",
            Status::Closed => "ferme",
        }
    }
}

/// Dates serialised as `AAAA-MM-JJ` (time's default is a tuple).
mod iso_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub mod option {
        use serde::Serializer;
        use time::Date;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.collect_str(d),
                None => s.serialize_none(),
            }
        }
    }
}

/// Campaign dates of a scheme that runs in yearly campaigns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Calendar {
    #[serde(with = "iso_date::option")]
    pub debut: Option<Date>,
    #[serde(with = "iso_date::option")]
    pub fin: Option<Date>,
    #[serde(with = "iso_date::option")]
    pub date_limite: Option<Date>,
    pub commentaire: Option<String>,
}

/// Contact details, present only when a source gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub site: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.site.is_none()
            && self.email.is_none()
            && self.telephone.is_none()
            && self.adresse.is_none()
    }
}

/// A figure with its year, e.g. « 1 400 jeunes en service civique (2021) ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFigure {
    pub valeur: String,
    pub libelle: String,
    pub annee: Option<u16>,
}

/// Where a fact comes from: a public page (`url`) and/or a section of the seed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub titre: String,
    pub url: Option<String>,
    pub section: Option<String>,
    pub extrait: Option<String>,
}

/// A youth scheme (« dispositif »), valid by construction.
#[derive(Debug, Clone, Serialize)]
pub struct Scheme {
    pub id: Slug,
    pub nom: String,
    pub alias: Vec<String>,
    pub resume: String,
    pub description: String,
    pub thematiques: Vec<Slug>,
    pub publics: Vec<Slug>,
    pub ages: AgeRange,
    pub territoire: Territory,
    pub porteur: String,
    pub avantages: Vec<String>,
    pub conditions: Vec<String>,
    pub demarches: Vec<String>,
    pub contact: Contact,
    pub chiffres_cles: Vec<KeyFigure>,
    pub statut: Status,
    pub calendrier: Calendar,
    pub gratuit: bool,
    pub mots_cles: Vec<String>,
    pub sources: Vec<Source>,
    #[serde(with = "iso_date")]
    pub mis_a_jour: Date,
}

/// What a visitor should understand of a scheme's state today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Open,
    Paused,
    Upcoming,
    Closed,
    /// Marked open, but the campaign's end date is past.
    CampaignOver,
}

impl Availability {
    pub fn label(self) -> &'static str {
        match self {
            Availability::Open => "Ouvert",
            Availability::Paused => "En pause",
            Availability::Upcoming => "Bientôt",
            Availability::Closed => "Fermé",
            Availability::CampaignOver => "Campagne terminée",
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            Availability::Open => "ouvert",
            Availability::Paused => "pause",
            Availability::Upcoming => "bientot",
            Availability::Closed | Availability::CampaignOver => "ferme",
        }
    }
}

impl Scheme {
    /// The state shown to visitors on `today`: an open scheme whose campaign ended says so.
    pub fn availability(&self, today: Date) -> Availability {
        match self.statut {
            Status::Open => {
                let ended = self.calendrier.fin.is_some_and(|d| d < today);
                if ended {
                    Availability::CampaignOver
                } else {
                    Availability::Open
                }
            }
            Status::Paused => Availability::Paused,
            Status::Upcoming => Availability::Upcoming,
            Status::Closed => Availability::Closed,
        }
    }

    /// The public path of the scheme's page.
    pub fn path(&self) -> String {
        format!("/dispositifs/{}", self.id)
    }
}
