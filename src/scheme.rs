//! Domain types of the référentiel: if you hold a `Scheme`, every field has been validated.

use serde::Serialize;
use time::Date;

/// A text that many schemes may hold (a step, a keyword, a condition): equal texts are
/// shared, not copied, once the data is loaded (`data::share`), as national schemes'
/// local editions repeat them.
pub type Text = std::sync::Arc<str>;

/// A lowercase identifier `[a-z0-9-]+`, used for scheme ids and theme/audience slugs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(Text);

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
        ok.then(|| Slug(raw.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A scheme's public path: `/dispositifs/<id>`.
struct SchemePath<'a>(&'a Slug);

impl std::fmt::Display for SchemePath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/dispositifs/{}", self.0)
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

/// Whether a scheme can be used now, as its sources show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Running now, shown by a source read in the last 12 months.
    #[serde(rename = "ouvert")]
    Open,
    /// Nothing recent shows it running: to confirm with whoever runs it.
    #[serde(rename = "a-confirmer")]
    ToConfirm,
    /// Announced (in the Pacte, say) but not shown launched.
    #[serde(rename = "en-projet")]
    Planned,
    #[serde(rename = "en-pause")]
    Paused,
    #[serde(rename = "a-venir")]
    Upcoming,
    #[serde(rename = "ferme")]
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Open,
        Status::ToConfirm,
        Status::Planned,
        Status::Paused,
        Status::Upcoming,
        Status::Closed,
    ];

    pub fn parse(raw: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.slug() == raw)
    }

    pub fn slug(self) -> &'static str {
        match self {
            Status::Open => "ouvert",
            Status::ToConfirm => "a-confirmer",
            Status::Planned => "en-projet",
            Status::Paused => "en-pause",
            Status::Upcoming => "a-venir",
            Status::Closed => "ferme",
        }
    }
}

/// A young person's situation, as asked by « C’est pour moi ? » and stated in conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Situation {
    #[serde(rename = "collegien")]
    Collegien,
    #[serde(rename = "lyceen")]
    Lyceen,
    #[serde(rename = "apprenti")]
    Apprenti,
    #[serde(rename = "etudiant")]
    Etudiant,
    #[serde(rename = "en-emploi")]
    EnEmploi,
    #[serde(rename = "sans-emploi")]
    SansEmploi,
    #[serde(rename = "handicap")]
    Handicap,
    #[serde(rename = "boursier")]
    Boursier,
}

impl Situation {
    pub const ALL: [Situation; 8] = [
        Situation::Collegien,
        Situation::Lyceen,
        Situation::Apprenti,
        Situation::Etudiant,
        Situation::EnEmploi,
        Situation::SansEmploi,
        Situation::Handicap,
        Situation::Boursier,
    ];

    pub fn parse(raw: &str) -> Option<Situation> {
        Situation::ALL.into_iter().find(|s| s.slug() == raw)
    }

    pub fn slug(self) -> &'static str {
        match self {
            Situation::Collegien => "collegien",
            Situation::Lyceen => "lyceen",
            Situation::Apprenti => "apprenti",
            Situation::Etudiant => "etudiant",
            Situation::EnEmploi => "en-emploi",
            Situation::SansEmploi => "sans-emploi",
            Situation::Handicap => "handicap",
            Situation::Boursier => "boursier",
        }
    }

    /// How the situation reads in a sentence about the person (« tu es … »).
    pub fn label(self) -> &'static str {
        match self {
            Situation::Collegien => "collégien ou collégienne",
            Situation::Lyceen => "lycéen ou lycéenne",
            Situation::Apprenti => "apprenti ou apprentie",
            Situation::Etudiant => "étudiant ou étudiante",
            Situation::EnEmploi => "en emploi",
            Situation::SansEmploi => "ni en emploi ni en formation",
            Situation::Handicap => "en situation de handicap reconnue",
            Situation::Boursier => "boursier ou boursière",
        }
    }
}

/// Another age range that applies to people in one situation (service civique: up to 30 with a
/// recognised disability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgeException {
    pub situation: Situation,
    pub ages: AgeRange,
}

/// Conditions stated as data, so filters and « C’est pour moi ? » can apply them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    pub exceptions_age: Vec<AgeException>,
    /// The person must be in at least one of these (empty: anybody).
    pub situations: Vec<Situation>,
    /// The person must be in none of these.
    pub situations_exclues: Vec<Situation>,
    /// Conditions the site cannot check from age, commune and situations.
    pub a_verifier: Vec<Text>,
}

/// The official page where a young person applies, registers or takes the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLink {
    pub url: String,
    pub libelle: String,
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
    pub commentaire: Option<Text>,
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

/// How much a source can be trusted, from its host (`domaines.json`); the seed is official.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SourceKind {
    #[serde(rename = "officiel")]
    Official,
    #[serde(rename = "presse")]
    Press,
    #[serde(rename = "autre")]
    Other,
}

impl SourceKind {
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Official => "source officielle",
            SourceKind::Press => "presse",
            SourceKind::Other => "autre source",
        }
    }
}

/// Where a fact comes from: a public page (`url`) and/or a section of the seed document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    pub titre: String,
    pub url: Option<String>,
    pub section: Option<String>,
    pub extrait: Option<String>,
    /// When the page was read.
    #[serde(with = "iso_date::option")]
    pub consulte_le: Option<Date>,
    #[serde(rename = "type")]
    pub kind: SourceKind,
}

/// How long a read page stays evidence that a scheme runs.
pub const EVIDENCE_DAYS: i64 = 365;

impl Source {
    /// Whether this page was read within `EVIDENCE_DAYS` of `today`.
    pub fn is_recent(&self, today: Date) -> bool {
        self.url.is_some()
            && self
                .consulte_le
                .is_some_and(|d| d <= today && (today - d).whole_days() <= EVIDENCE_DAYS)
    }
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
    pub eligibilite: Eligibility,
    pub territoire: Territory,
    pub porteur: String,
    pub avantages: Vec<Text>,
    pub conditions: Vec<Text>,
    pub demarches: Vec<Text>,
    pub lien_demarche: Option<ActionLink>,
    pub contact: Contact,
    pub chiffres_cles: Vec<KeyFigure>,
    pub statut: Status,
    pub calendrier: Calendar,
    pub gratuit: bool,
    pub mots_cles: Vec<Text>,
    pub sources: Vec<std::sync::Arc<Source>>,
    #[serde(with = "iso_date")]
    pub mis_a_jour: Date,
}

/// What a visitor should understand of a scheme's state today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Open,
    /// Marked open without a recent source, or marked to confirm.
    ToConfirm,
    Planned,
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
            Availability::ToConfirm => "À confirmer",
            Availability::Planned => "En projet",
            Availability::Paused => "En pause",
            Availability::Upcoming => "Bientôt",
            Availability::Closed => "Fermé",
            Availability::CampaignOver => "Campagne terminée",
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            Availability::Open => "ouvert",
            Availability::ToConfirm => "confirmer",
            Availability::Paused | Availability::Planned => "pause",
            Availability::Upcoming => "bientot",
            Availability::Closed | Availability::CampaignOver => "ferme",
        }
    }

    /// Order by meaning for sorting: usable first, closed last.
    pub fn rank(self) -> u8 {
        match self {
            Availability::Open => 0,
            Availability::ToConfirm => 1,
            Availability::Upcoming => 2,
            Availability::Planned => 3,
            Availability::Paused => 4,
            Availability::CampaignOver => 5,
            Availability::Closed => 6,
        }
    }

    /// Whether a young person can use the scheme now, or probably can (ranked alike).
    pub fn is_usable(self) -> bool {
        matches!(self, Availability::Open | Availability::ToConfirm)
    }
}

impl Scheme {
    /// The state shown to visitors on `today`: an open scheme whose campaign ended says so,
    /// and one whose sources are all older than a year is « à confirmer ».
    pub fn availability(&self, today: Date) -> Availability {
        match self.statut {
            Status::Open => {
                if self.calendrier.fin.is_some_and(|d| d < today) {
                    Availability::CampaignOver
                } else if !self.sources.iter().any(|s| s.is_recent(today)) {
                    Availability::ToConfirm
                } else {
                    Availability::Open
                }
            }
            Status::ToConfirm => Availability::ToConfirm,
            Status::Planned => Availability::Planned,
            Status::Paused => Availability::Paused,
            Status::Upcoming => Availability::Upcoming,
            Status::Closed => Availability::Closed,
        }
    }

    /// The most recent date a source of this scheme was read.
    pub fn verified_on(&self) -> Option<Date> {
        self.sources.iter().filter_map(|s| s.consulte_le).max()
    }

    /// The public path of the scheme's page.
    pub fn path(&self) -> String {
        self.path_display().to_string()
    }

    /// The same path, written where it goes (no string of its own).
    pub fn path_display(&self) -> impl std::fmt::Display + '_ {
        SchemePath(&self.id)
    }
}
