//! « C’est pour moi ? »: one rule engine, shared by `/pour-moi`, the search filters and the scheme
//! page, that puts a person (age, commune, situations) against a scheme's stated conditions and
//! answers « pour toi », « peut-être » or « pas pour toi », each with its reasons in plain words.

use std::collections::BTreeSet;

use serde::Serialize;
use time::Date;

use crate::scheme::{Availability, Scheme, Situation, Territory};
use crate::territory::Commune;

/// What the site knows of a person: every part optional (the search filters know only some).
#[derive(Debug, Clone, Default)]
pub struct Person<'a> {
    pub age: Option<u8>,
    /// The commune(s) the person lives in: one, or all those of a shared postal code.
    pub communes: Vec<&'a Commune>,
    pub situations: BTreeSet<Situation>,
    /// Whether the person answered the situation question (an empty answer then means « none of
    /// these »); the search filters never ask it.
    pub situations_asked: bool,
}

/// The answer for one scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Verdict {
    /// Every stated condition is met.
    #[serde(rename = "pour_toi")]
    Fits,
    /// Nothing excludes the person, but something cannot be checked here.
    #[serde(rename = "peut_etre")]
    Maybe,
    /// A stated condition is not met.
    #[serde(rename = "exclu")]
    Excluded,
}

/// A verdict with its reasons, in the words shown to the young person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub verdict: Verdict,
    /// Why it fits (« tu as entre 16 et 25 ans », « tu habites le Pas-de-Calais »).
    pub raisons: Vec<String>,
    /// What remains to check (« les revenus de ta famille »).
    pub a_verifier: Vec<String>,
    /// Why it does not fit, in one line.
    pub exclusion: Option<String>,
    /// « Bientôt pour toi : à partir de 16 ans » when the person is only too young.
    pub bientot: Option<String>,
}

/// Audiences that mean the scheme is asked for by an organisation, not by a young person.
const ORGANISATION_AUDIENCES: [&str; 3] = [
    "associations-clubs",
    "etablissements-scolaires",
    "professionnels",
];

/// Whether a young person (or their family) can ask for the scheme themselves.
pub fn for_young_people(s: &Scheme) -> bool {
    s.publics
        .iter()
        .any(|p| !ORGANISATION_AUDIENCES.contains(&p.as_str()))
}

fn age_words(min: Option<u8>, max: Option<u8>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("tu as {a}\u{a0}ans"),
        (Some(a), Some(b)) => format!("tu as entre {a} et {b}\u{a0}ans"),
        (Some(a), None) => format!("tu as au moins {a}\u{a0}ans"),
        (None, Some(b)) => format!("tu as {b}\u{a0}ans ou moins"),
        (None, None) => String::new(),
    }
}

fn situations_words(list: &[Situation]) -> String {
    let labels: Vec<&str> = list.iter().map(|s| s.label()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} ou {last}", init.join(", ")),
    }
}

/// The age part of the rules: the general range, or an exception the person's situation opens.
fn age_rule(s: &Scheme, person: &Person, out: &mut Assessment) {
    let Some(age) = person.age else {
        return;
    };
    if s.ages.includes(age) {
        if s.ages.min.is_some() || s.ages.max.is_some() {
            out.raisons.push(age_words(s.ages.min, s.ages.max));
        }
        return;
    }
    for e in &s.eligibilite.exceptions_age {
        if e.ages.includes(age) && person.situations.contains(&e.situation) {
            out.raisons.push(format!(
                "{} et tu es {}",
                age_words(e.ages.min, e.ages.max),
                e.situation.label()
            ));
            return;
        }
    }
    let exception = s
        .eligibilite
        .exceptions_age
        .iter()
        .find(|e| e.ages.includes(age));
    let general = s.ages.label().unwrap_or_default();
    out.exclusion = Some(match exception {
        Some(e) => format!(
            "C’est {general}, ou {} si tu es {}.",
            e.ages.label().unwrap_or_default(),
            e.situation.label()
        ),
        None => format!("C’est {general}."),
    });
    if let Some(min) = s.ages.min.filter(|m| age < *m) {
        out.bientot = Some(format!("Bientôt pour toi : à partir de {min}\u{a0}ans."));
    }
}

fn situation_rule(s: &Scheme, person: &Person, out: &mut Assessment) {
    let rules = &s.eligibilite;
    if let Some(x) = rules
        .situations_exclues
        .iter()
        .find(|x| person.situations.contains(x))
    {
        out.exclusion
            .get_or_insert_with(|| format!("Pas si tu es {}.", x.label()));
        return;
    }
    if rules.situations.is_empty() {
        return;
    }
    let words = situations_words(&rules.situations);
    if let Some(hit) = rules
        .situations
        .iter()
        .find(|x| person.situations.contains(x))
    {
        out.raisons.push(format!("tu es {}", hit.label()));
    } else if person.situations_asked {
        out.exclusion
            .get_or_insert_with(|| format!("Réservé aux jeunes {words}."));
    } else {
        out.a_verifier.push(format!("réservé aux jeunes {words}"));
    }
}

fn territory_rule(s: &Scheme, person: &Person, out: &mut Assessment) {
    if person.communes.is_empty() {
        // The site only knows Pas-de-Calais communes: without one, where you live is unchecked.
        let unchecked = match &s.territoire {
            Territory::National => None,
            Territory::Region => Some("habiter les Hauts-de-France"),
            Territory::Departement => Some("habiter le Pas-de-Calais"),
            Territory::Local { .. } => Some("habiter une des communes concernées"),
        };
        out.a_verifier.extend(unchecked.map(str::to_owned));
        return;
    }
    match &s.territoire {
        Territory::National => out.raisons.push("c’est partout en France".to_owned()),
        Territory::Region => out
            .raisons
            .push("tu habites les Hauts-de-France".to_owned()),
        Territory::Departement => out.raisons.push("tu habites le Pas-de-Calais".to_owned()),
        Territory::Local { epci, communes } => {
            let inside = |c: &&Commune| {
                communes.contains(&c.code) || c.epci.as_ref().is_some_and(|e| epci.contains(e))
            };
            let n = person.communes.iter().filter(|c| inside(c)).count();
            if n == person.communes.len() {
                out.raisons
                    .push("ta commune fait partie du territoire".to_owned());
            } else if n > 0 {
                out.a_verifier.push(
                    "seulement certaines communes de ton code postal : vérifie la tienne"
                        .to_owned(),
                );
            } else {
                out.exclusion
                    .get_or_insert_with(|| "Pas ouvert dans ta commune.".to_owned());
            }
        }
    }
}

/// Puts `person` against `scheme` on `today`. Closed schemes are excluded; schemes for
/// organisations are excluded for a young person asking for themselves.
pub fn assess(scheme: &Scheme, person: &Person, today: Date) -> Assessment {
    let mut out = Assessment {
        verdict: Verdict::Fits,
        raisons: Vec::new(),
        a_verifier: Vec::new(),
        exclusion: None,
        bientot: None,
    };
    match scheme.availability(today) {
        Availability::Closed | Availability::CampaignOver | Availability::Paused => {
            out.exclusion = Some("Fermé pour l’instant.".to_owned());
        }
        Availability::Planned => {
            out.exclusion = Some("Pas encore lancé.".to_owned());
        }
        // Marked « à confirmer » where shown, but not held against the person.
        Availability::Open | Availability::ToConfirm | Availability::Upcoming => {}
    }
    if !for_young_people(scheme) {
        out.exclusion.get_or_insert_with(|| {
            "C’est une structure (club, collège, association) qui en fait la demande.".to_owned()
        });
    }
    age_rule(scheme, person, &mut out);
    situation_rule(scheme, person, &mut out);
    territory_rule(scheme, person, &mut out);
    out.a_verifier
        .extend(scheme.eligibilite.a_verifier.iter().map(|t| t.to_string()));
    out.verdict = if out.exclusion.is_some() {
        Verdict::Excluded
    } else if out.a_verifier.is_empty() {
        Verdict::Fits
    } else {
        Verdict::Maybe
    };
    out
}

/// The stated conditions of a scheme in plain words, beyond its age range and territory
/// (the scheme page's « C’est pour moi ? »).
pub fn describe(s: &Scheme) -> Vec<String> {
    let rules = &s.eligibilite;
    let mut out = Vec::new();
    for e in &rules.exceptions_age {
        if let Some(ages) = e.ages.label() {
            out.push(format!("Aussi {ages} si tu es {}.", e.situation.label()));
        }
    }
    if !rules.situations.is_empty() {
        out.push(format!(
            "Réservé aux jeunes {}.",
            situations_words(&rules.situations)
        ));
    }
    if !rules.situations_exclues.is_empty() {
        out.push(format!(
            "Pas si tu es {}.",
            situations_words(&rules.situations_exclues)
        ));
    }
    for v in &rules.a_verifier {
        out.push(format!("À vérifier : {v}."));
    }
    if !for_young_people(s) {
        out.push(
            "C’est une structure (club, collège, association) qui en fait la demande.".to_owned(),
        );
    }
    out
}

/// The search filters' rule: could this person (age and/or communes only) use the scheme?
/// Status and audience are the search's own business (it ranks them, it does not hide them).
pub fn matches_filters(scheme: &Scheme, age: Option<u8>, communes: &[&Commune]) -> bool {
    let person = Person {
        age,
        communes: communes.to_vec(),
        ..Person::default()
    };
    let mut out = Assessment {
        verdict: Verdict::Fits,
        raisons: Vec::new(),
        a_verifier: Vec::new(),
        exclusion: None,
        bientot: None,
    };
    age_rule(scheme, &person, &mut out);
    territory_rule(scheme, &person, &mut out);
    out.exclusion.is_none()
}
