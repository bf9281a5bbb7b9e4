//! Turns raw records into domain types, recording every problem found on the way.

use std::collections::HashSet;

use time::{macros::format_description, Date};

use super::domains::Domains;
use super::problem::Collector;
use super::raw::{
    RawActionLink, RawCalendar, RawContact, RawEligibility, RawScheme, RawSource, RawTerritory,
};
use crate::scheme::{
    ActionLink, AgeException, AgeRange, Calendar, Contact, Eligibility, KeyFigure, Scheme,
    Situation, Slug, Source, SourceKind, Status, Territory, Text, EVIDENCE_DAYS,
};
use crate::territory::Communes;

/// The closed lists a scheme refers to.
pub struct Lists<'a> {
    pub themes: &'a HashSet<String>,
    pub publics: &'a HashSet<String>,
    pub communes: &'a Communes,
    pub domains: &'a Domains,
    pub today: Date,
}

/// First characters that make a spreadsheet run a cell as a formula (« CSV injection »).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet opening `value` as a cell would run it as a formula (leading spaces
/// do not protect it).
pub fn looks_like_formula(value: &str) -> bool {
    value.starts_with(FORMULA_STARTS) || value.trim_start().starts_with(FORMULA_STARTS)
}

/// Longest accepted text, in characters, by field name (the last key of its path; the items
/// of a list take the list's name). The shipped data uses at most a fifth of each.
pub fn max_chars(key: &str) -> usize {
    match key {
        "description" => 4000,
        "resume" | "avantages" | "conditions" | "demarches" | "a_verifier" | "extrait"
        | "commentaire" | "horaires" => 1000,
        "url" | "site" => 2000,
        _ => 300,
    }
}

/// « 12 345 » with a no-break space between thousands.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(d);
    }
    out
}

/// Checks every text of a parsed data file wherever it sits, naming its field as the other
/// problems do (`sources[2].extrait`): an error over `max_chars`, and with `exported`, a
/// warning for each value a spreadsheet would run as a formula (the CSV exports neutralise
/// them, but the text is probably wrong).
pub fn texts(c: &mut Collector, value: &serde_json::Value, exported: bool) {
    walk(c, value, "", &mut String::new(), exported);
}

fn walk(
    c: &mut Collector,
    value: &serde_json::Value,
    key: &str,
    field: &mut String,
    exported: bool,
) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let (len, max) = (s.chars().count(), max_chars(key));
            if len > max {
                c.error(
                    field,
                    format!(
                        "texte trop long : {} caractères ({} au plus)",
                        grouped(len),
                        grouped(max)
                    ),
                );
            }
            if exported && looks_like_formula(s) {
                c.warning(
                    field,
                    "commence par = + - @, une tabulation ou un retour chariot : un tableur le \
                     lirait comme une formule (l’export CSV le neutralise par une apostrophe)",
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = field.len();
                field.push_str(&format!("[{i}]"));
                walk(c, item, key, field, exported);
                field.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = field.len();
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(k);
                walk(c, item, k, field, exported);
                field.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

pub fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw, format_description!("[year]-[month]-[day]")).ok()
}

pub fn required_text(c: &mut Collector, field: &str, value: Option<String>) -> Option<String> {
    match value.map(|v| v.trim().to_owned()) {
        None => {
            c.error(field, "champ obligatoire absent");
            None
        }
        Some(v) if v.is_empty() => {
            c.error(field, "ne doit pas être vide");
            None
        }
        Some(v) => Some(v),
    }
}

fn text_list<T: From<String>>(c: &mut Collector, field: &str, values: Vec<String>) -> Vec<T> {
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        let v = v.trim().to_owned();
        if v.is_empty() {
            c.error(&format!("{field}[{i}]"), "élément vide");
        } else {
            out.push(v.into());
        }
    }
    out
}

fn slugs(
    c: &mut Collector,
    field: &str,
    values: Option<Vec<String>>,
    known: &HashSet<String>,
    list_file: &str,
) -> Vec<Slug> {
    let Some(values) = values else {
        c.error(field, "champ obligatoire absent");
        return Vec::new();
    };
    if values.is_empty() {
        c.error(field, "il en faut au moins un");
    }
    let mut out = Vec::new();
    for v in values {
        match Slug::parse(&v).filter(|s| known.contains(s.as_str())) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => c.error(field, format!("« {v} » est en double")),
            None => c.error(field, format!("« {v} » est inconnu de {list_file}")),
        }
    }
    out
}

fn territory(c: &mut Collector, raw: Option<RawTerritory>, communes: &Communes) -> Territory {
    let Some(raw) = raw else {
        c.error("territoire", "champ obligatoire absent");
        return Territory::Departement;
    };
    let wide = |c: &mut Collector, t: Territory, raw: &RawTerritory| {
        if !raw.epci.is_empty() || !raw.communes.is_empty() {
            c.error(
                "territoire",
                "des codes EPCI ou communes ne vont qu’avec le niveau « local »",
            );
        }
        t
    };
    match raw.niveau.as_str() {
        "national" => wide(c, Territory::National, &raw),
        "region" => wide(c, Territory::Region, &raw),
        "departement" => wide(c, Territory::Departement, &raw),
        "local" => {
            if raw.epci.is_empty() && raw.communes.is_empty() {
                c.error(
                    "territoire",
                    "le niveau « local » demande au moins un code EPCI ou commune",
                );
            }
            for code in &raw.epci {
                if communes.epci(code).is_none() {
                    c.error("territoire.epci", format!("code EPCI inconnu : « {code} »"));
                }
            }
            for code in &raw.communes {
                if communes.commune(code).is_none() {
                    c.error(
                        "territoire.communes",
                        format!("code commune (INSEE) inconnu : « {code} »"),
                    );
                }
            }
            Territory::Local {
                epci: raw.epci,
                communes: raw.communes,
            }
        }
        other => {
            c.error(
                "territoire.niveau",
                format!("« {other} » : attendu national, region, departement ou local"),
            );
            Territory::Departement
        }
    }
}

fn date(c: &mut Collector, field: &str, raw: Option<String>) -> Option<Date> {
    let raw = raw?;
    let parsed = parse_date(&raw);
    if parsed.is_none() {
        c.error(
            field,
            format!("« {raw} » n’est pas une date AAAA-MM-JJ valide"),
        );
    }
    parsed
}

fn calendar(c: &mut Collector, raw: Option<RawCalendar>) -> Calendar {
    let Some(raw) = raw else {
        return Calendar::default();
    };
    let cal = Calendar {
        debut: date(c, "calendrier.debut", raw.debut),
        fin: date(c, "calendrier.fin", raw.fin),
        date_limite: date(c, "calendrier.date_limite", raw.date_limite),
        commentaire: raw
            .commentaire
            .filter(|s| !s.trim().is_empty())
            .map(Into::into),
    };
    if let (Some(a), Some(b)) = (cal.debut, cal.fin) {
        if a > b {
            c.error("calendrier", "la date de début est après la date de fin");
        }
    }
    cal
}

pub fn check_site(c: &mut Collector, field: &str, site: Option<&str>) {
    if let Some(site) = site {
        if !site.starts_with("https://") && !site.starts_with("http://") {
            c.error(field, "l’adresse doit commencer par https://");
        }
    }
}

pub fn check_email(c: &mut Collector, field: &str, email: Option<&str>) {
    if let Some(email) = email {
        if !email.contains('@') || email.contains(char::is_whitespace) {
            c.error(field, format!("« {email} » n’est pas une adresse e-mail"));
        }
    }
}

fn contact(c: &mut Collector, raw: Option<RawContact>) -> Contact {
    let Some(raw) = raw else {
        return Contact::default();
    };
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let contact = Contact {
        site: clean(raw.site),
        email: clean(raw.email),
        telephone: clean(raw.telephone),
        adresse: clean(raw.adresse),
    };
    check_site(c, "contact.site", contact.site.as_deref());
    check_email(c, "contact.email", contact.email.as_deref());
    contact
}

/// The record's `id`: a slug equal to the file name.
pub fn id(c: &mut Collector, raw: Option<String>, file_stem: &str) -> Option<Slug> {
    match raw {
        None => {
            c.error("id", "champ obligatoire absent");
            None
        }
        Some(id) => match Slug::parse(&id) {
            None => {
                c.error("id", format!("« {id} » : seulement a-z, 0-9 et tirets"));
                None
            }
            Some(_) if id != file_stem => {
                c.error(
                    "id",
                    format!("« {id} » diffère du nom du fichier « {file_stem}.json »"),
                );
                None
            }
            Some(slug) => Some(slug),
        },
    }
}

/// `mis_a_jour`: required, not in the future; a warning after a year.
pub fn update_date(c: &mut Collector, raw: Option<String>, today: Date) -> Option<Date> {
    let mis_a_jour = match raw {
        None => {
            c.error("mis_a_jour", "champ obligatoire absent");
            None
        }
        some => date(c, "mis_a_jour", some),
    };
    if let Some(d) = mis_a_jour {
        if d > today {
            c.error("mis_a_jour", "date dans le futur");
        } else if (today - d).whole_days() > 365 {
            c.warning(
                "mis_a_jour",
                format!("vérifié il y a plus de 12 mois ({d})"),
            );
        }
    }
    mis_a_jour
}

/// Validates the sources of a scheme or a place: each has a title, an address or a section of
/// the seed, and a reading date with its address; refused hosts are errors, tracking parameters
/// and pages read more than a year ago are warnings.
pub fn sources(
    c: &mut Collector,
    raw: Option<Vec<RawSource>>,
    lists: &Lists,
) -> Vec<std::sync::Arc<Source>> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() {
        c.error(
            "sources",
            "aucune source : chaque fiche cite au moins une source",
        );
    }
    let mut out = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let field = format!("sources[{i}]");
        let clean = |v: Option<String>| v.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let titre = clean(s.titre);
        let url = clean(s.url);
        let section = clean(s.section);
        if titre.is_none() {
            c.error(&format!("{field}.titre"), "titre absent");
        }
        if url.is_none() && section.is_none() {
            c.error(&field, "une source a une `url` ou une `section`");
        }
        let consulte_le = date(c, &format!("{field}.consulte_le"), s.consulte_le);
        if let Some(u) = &url {
            if !u.starts_with("https://") && !u.starts_with("http://") {
                c.error(
                    &format!("{field}.url"),
                    "l’adresse doit commencer par https://",
                );
            }
            if lists.domains.is_refused(u) {
                c.error(
                    &format!("{field}.url"),
                    format!(
                        "« {u} » est un site de test ou de préproduction : citer la page publique"
                    ),
                );
            }
            let tracking = lists.domains.tracking_params(u);
            if !tracking.is_empty() {
                c.warning(
                    &format!("{field}.url"),
                    format!("paramètres de suivi à retirer : {}", tracking.join(", ")),
                );
            }
            match consulte_le {
                None => c.error(
                    &format!("{field}.consulte_le"),
                    "date de consultation absente (AAAA-MM-JJ) pour une page citée",
                ),
                Some(d) if d > lists.today => {
                    c.error(&format!("{field}.consulte_le"), "date dans le futur")
                }
                Some(d) if (lists.today - d).whole_days() > EVIDENCE_DAYS => c.warning(
                    &format!("{field}.consulte_le"),
                    format!("page lue il y a plus de 12 mois ({d})"),
                ),
                Some(_) => {}
            }
        }
        let kind = lists.domains.kind(url.as_deref());
        out.push(std::sync::Arc::new(Source {
            titre: titre.unwrap_or_default(),
            url,
            section,
            extrait: s.extrait.filter(|e| !e.trim().is_empty()),
            consulte_le,
            kind,
        }));
    }
    out
}

fn situations(c: &mut Collector, field: &str, raw: Vec<String>) -> Vec<Situation> {
    let mut out = Vec::new();
    for v in raw {
        match Situation::parse(&v) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => c.error(field, format!("« {v} » est en double")),
            None => c.error(
                field,
                format!(
                    "« {v} » : situation inconnue (attendu {})",
                    situation_list()
                ),
            ),
        }
    }
    out
}

fn situation_list() -> String {
    Situation::ALL.map(Situation::slug).join(", ")
}

fn eligibility(c: &mut Collector, raw: Option<RawEligibility>) -> Eligibility {
    let Some(raw) = raw else {
        return Eligibility::default();
    };
    let mut exceptions_age = Vec::new();
    for (i, e) in raw.exceptions_age.into_iter().enumerate() {
        let field = format!("eligibilite.exceptions_age[{i}]");
        let Some(situation) = Situation::parse(&e.situation) else {
            c.error(
                &format!("{field}.situation"),
                format!(
                    "« {} » : situation inconnue (attendu {})",
                    e.situation,
                    situation_list()
                ),
            );
            continue;
        };
        if e.age_min.is_none() && e.age_max.is_none() {
            c.error(&field, "une exception d’âge donne age_min ou age_max");
        }
        if e.age_min.into_iter().chain(e.age_max).any(|a| a > 120) {
            c.error(&field, "âge au-delà de 120 ans");
        }
        match AgeRange::new(e.age_min, e.age_max) {
            Some(ages) => exceptions_age.push(AgeException { situation, ages }),
            None => c.error(&field, "age_min est plus grand que age_max"),
        }
    }
    let required = situations(c, "eligibilite.situations", raw.situations);
    let excluded = situations(c, "eligibilite.situations_exclues", raw.situations_exclues);
    if let Some(both) = required.iter().find(|s| excluded.contains(s)) {
        c.error(
            "eligibilite",
            format!("« {} » est à la fois demandée et exclue", both.slug()),
        );
    }
    Eligibility {
        exceptions_age,
        situations: required,
        situations_exclues: excluded,
        a_verifier: text_list(c, "eligibilite.a_verifier", raw.a_verifier),
    }
}

fn action_link(
    c: &mut Collector,
    raw: Option<RawActionLink>,
    sources: &[std::sync::Arc<Source>],
    contact: &Contact,
) -> Option<ActionLink> {
    let raw = raw?;
    let url = raw
        .url
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    let libelle = raw
        .libelle
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    let Some(url) = url else {
        c.error("lien_demarche.url", "champ obligatoire absent");
        return None;
    };
    let Some(libelle) = libelle else {
        c.error("lien_demarche.libelle", "champ obligatoire absent");
        return None;
    };
    if !url.starts_with("https://") {
        c.error("lien_demarche.url", "l’adresse doit commencer par https://");
    }
    let cited = sources
        .iter()
        .any(|s| s.url.as_deref() == Some(url.as_str()))
        || contact.site.as_deref() == Some(url.as_str());
    if !cited {
        c.error(
            "lien_demarche.url",
            "la page où faire sa demande doit être citée dans `sources` ou `contact.site`",
        );
    }
    Some(ActionLink { url, libelle })
}

/// Warns when the free-text conditions mention an age or a situation that the structured
/// conditions (`age_min`/`age_max`, `eligibilite`) do not state, so filters would miss it.
fn unstructured_conditions(
    c: &mut Collector,
    conditions: &[Text],
    ages: AgeRange,
    e: &Eligibility,
) {
    let words: Vec<String> = conditions
        .iter()
        .flat_map(|t| crate::text::words(t))
        .collect();
    let mentions_age = words
        .windows(2)
        .any(|w| w[0].bytes().all(|b| b.is_ascii_digit()) && w[1] == "ans");
    if mentions_age && ages.min.is_none() && ages.max.is_none() && e.exceptions_age.is_empty() {
        c.warning(
            "conditions",
            "un âge est cité dans les conditions mais age_min/age_max sont absents",
        );
    }
    const SITUATION_WORDS: [(&str, Situation); 10] = [
        ("collegien", Situation::Collegien),
        ("collegiens", Situation::Collegien),
        ("lyceen", Situation::Lyceen),
        ("lyceens", Situation::Lyceen),
        ("apprenti", Situation::Apprenti),
        ("etudiant", Situation::Etudiant),
        ("etudiants", Situation::Etudiant),
        ("boursier", Situation::Boursier),
        ("boursiers", Situation::Boursier),
        ("handicap", Situation::Handicap),
    ];
    let stated = |s: &Situation| {
        e.situations.contains(s)
            || e.situations_exclues.contains(s)
            || e.exceptions_age.iter().any(|x| x.situation == *s)
    };
    let mut missing: Vec<&str> = SITUATION_WORDS
        .iter()
        .filter(|(w, s)| words.iter().any(|x| x == w) && !stated(s))
        .map(|(_, s)| s.slug())
        .collect();
    missing.dedup();
    if !missing.is_empty() {
        c.warning(
            "eligibilite",
            format!(
                "les conditions parlent de {} sans que `eligibilite` le dise",
                missing.join(", ")
            ),
        );
    }
}

fn status_list() -> String {
    Status::ALL.map(Status::slug).join(", ")
}

/// Warnings about how well the status and the facts are backed: `ouvert` needs a page read in
/// the last year, and a scheme should rest on at least one official source.
fn evidence(c: &mut Collector, statut: Status, sources: &[std::sync::Arc<Source>], today: Date) {
    if statut == Status::Open && !sources.iter().any(|s| s.is_recent(today)) {
        c.warning(
            "statut",
            "« ouvert » sans page lue depuis moins de 12 mois : affiché « à confirmer »",
        );
    }
    if !sources.is_empty() && sources.iter().all(|s| s.kind != SourceKind::Official) {
        c.warning(
            "sources",
            "aucune source officielle : les faits reposent sur la presse ou d’autres sites",
        );
    }
}

/// Validates one scheme read from `file_stem`.json; `None` when it has an error.
pub fn scheme(c: &mut Collector, file_stem: &str, raw: RawScheme, lists: &Lists) -> Option<Scheme> {
    let before = c.problems.len();
    let id = id(c, raw.id, file_stem);
    let nom = required_text(c, "nom", raw.nom);
    let resume = required_text(c, "resume", raw.resume);
    let description = required_text(c, "description", raw.description);
    let porteur = required_text(c, "porteur", raw.porteur);
    let thematiques = slugs(
        c,
        "thematiques",
        raw.thematiques,
        lists.themes,
        "thematiques.json",
    );
    let publics = slugs(c, "publics", raw.publics, lists.publics, "publics.json");
    let ages = AgeRange::new(raw.age_min, raw.age_max).unwrap_or_else(|| {
        c.error("age_min", "age_min est plus grand que age_max");
        AgeRange::default()
    });
    if ages.max.is_some_and(|m| m > 120) {
        c.error("age_max", "âge au-delà de 120 ans");
    }
    let eligibilite = eligibility(c, raw.eligibilite);
    let territoire = territory(c, raw.territoire, lists.communes);
    let avantages = match raw.avantages {
        None => {
            c.error("avantages", "champ obligatoire absent");
            Vec::new()
        }
        Some(v) => text_list(c, "avantages", v),
    };
    let conditions = text_list(c, "conditions", raw.conditions);
    unstructured_conditions(c, &conditions, ages, &eligibilite);
    let demarches = text_list(c, "demarches", raw.demarches);
    let contact = contact(c, raw.contact);
    let chiffres_cles = raw
        .chiffres_cles
        .into_iter()
        .map(|k| KeyFigure {
            valeur: k.valeur,
            libelle: k.libelle,
            annee: k.annee,
        })
        .collect();
    let statut = match raw.statut.as_deref() {
        None => {
            c.error(
                "statut",
                format!("champ obligatoire absent ({})", status_list()),
            );
            Status::Open
        }
        Some(s) => Status::parse(s).unwrap_or_else(|| {
            c.error("statut", format!("« {s} » : attendu {}", status_list()));
            Status::Open
        }),
    };
    let calendrier = calendar(c, raw.calendrier);
    let mots_cles = match raw.mots_cles {
        None => {
            c.error("mots_cles", "champ obligatoire absent");
            Vec::new()
        }
        Some(v) => text_list(c, "mots_cles", v),
    };
    let alias = text_list(c, "alias", raw.alias);
    let sources = sources(c, raw.sources, lists);
    let lien_demarche = action_link(c, raw.lien_demarche, &sources, &contact);
    evidence(c, statut, &sources, lists.today);
    let mis_a_jour = update_date(c, raw.mis_a_jour, lists.today);
    if statut == Status::Open {
        if let Some(fin) = calendrier.fin.filter(|f| *f < lists.today) {
            c.warning(
                "calendrier.fin",
                format!("date de fin passée ({fin}) alors que le statut est « ouvert »"),
            );
        }
        if let Some(dl) = calendrier.date_limite.filter(|f| *f < lists.today) {
            c.warning(
                "calendrier.date_limite",
                format!("date limite passée ({dl}) alors que le statut est « ouvert »"),
            );
        }
    }
    let has_error = c.problems[before..]
        .iter()
        .any(|p| p.severity == super::problem::Severity::Error);
    if has_error {
        return None;
    }
    Some(Scheme {
        id: id?,
        nom: nom?,
        alias,
        resume: resume?,
        description: description?,
        thematiques,
        publics,
        ages,
        eligibilite,
        territoire,
        porteur: porteur?,
        avantages,
        conditions,
        demarches,
        lien_demarche,
        contact,
        chiffres_cles,
        statut,
        calendrier,
        gratuit: raw.gratuit.unwrap_or(false),
        mots_cles,
        sources,
        mis_a_jour: mis_a_jour?,
    })
}
