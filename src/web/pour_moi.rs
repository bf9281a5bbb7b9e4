//! « C’est pour moi ? »: four questions (age, commune, situations, optionally a theme), then
//! every scheme that fits, grouped and explained by the shared eligibility engine. The address
//! holds the answers; nothing is stored.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use super::html::Page;
use super::params::contract::{Contract, Rules, API, FORM};
use super::views::{Choice, Layout, Link};
use super::AppState;
use crate::data::Dataset;
use crate::eligibility::{self, Assessment, Person, Verdict};
use crate::scheme::{Availability, Scheme, Situation};
use crate::territory::{Commune, Resolved};

/// The questions, as the address carries them (`/pour-moi` and `/api/pour-moi`). The
/// documented parameters are the parsing rules (`Contract`): bounds and closed lists
/// (situations, themes from the data) cannot differ between the document and the parser.
#[derive(Debug, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PourMoiQuery {
    /// Ton âge, de 0 à 120 ans.
    #[param(minimum = 0, maximum = 120, example = 17)]
    pub age: Option<u8>,
    /// Ta commune du Pas-de-Calais : nom, code postal ou code INSEE (100 caractères au plus).
    /// Un code postal partagé vaut pour toutes ses communes ; une commune introuvable
    /// donne 400 avec les communes proches.
    #[param(min_length = 1, max_length = 100, example = "62041")]
    pub commune: Option<String>,
    /// Ta situation (répétable) : une des situations de la liste.
    #[serde(default)]
    pub situation: Vec<String>,
    /// Ce que tu cherches : une thématique (facultatif).
    #[param(example = "vacances-loisirs")]
    pub theme: Option<String>,
}

static POUR_MOI_RULES: LazyLock<Rules> = LazyLock::new(Rules::of::<PourMoiQuery>);

impl Contract for PourMoiQuery {
    fn rules() -> &'static Rules {
        &POUR_MOI_RULES
    }
}

/// The parsed answers.
#[derive(Debug, Default)]
pub struct Answers {
    pub age: Option<u8>,
    pub commune_input: String,
    pub situations: BTreeSet<Situation>,
    pub theme: Option<String>,
}

impl From<PourMoiQuery> for Answers {
    fn from(q: PourMoiQuery) -> Answers {
        Answers {
            age: q.age,
            commune_input: q.commune.unwrap_or_default(),
            // The rules admit only listed situations.
            situations: q
                .situation
                .iter()
                .filter_map(|s| Situation::parse(s))
                .collect(),
            theme: q.theme,
        }
    }
}

/// Parses the query string with the documented rules; every problem is reported, in French
/// (the first few). `lenient` is the page's reading, the API takes exactly the document.
pub fn parse(raw: Option<&str>, data: &Dataset, lenient: bool) -> (Answers, Vec<String>) {
    let policy = if lenient { &FORM } else { &API };
    let (q, refused) = PourMoiQuery::parse_or_partial(raw, data, policy);
    (q.into(), refused.into_iter().collect())
}

/// One scheme in an answer group.
pub struct Entry<'a> {
    pub scheme: &'a Scheme,
    pub assessment: Assessment,
}

/// The three groups of an answer.
pub struct Answer<'a> {
    pub pour_toi: Vec<Entry<'a>>,
    pub peut_etre: Vec<Entry<'a>>,
    pub exclus: Vec<Entry<'a>>,
}

/// Runs the engine over every scheme (of the theme, if one is asked).
pub fn answer<'a>(
    data: &'a Dataset,
    answers: &Answers,
    communes: Vec<&'a Commune>,
    today: time::Date,
) -> Answer<'a> {
    let person = Person {
        age: answers.age,
        communes,
        situations: answers.situations.clone(),
        situations_asked: true,
    };
    let mut out = Answer {
        pour_toi: Vec::new(),
        peut_etre: Vec::new(),
        exclus: Vec::new(),
    };
    for s in &data.schemes {
        if let Some(t) = &answers.theme {
            if !s.thematiques.iter().any(|x| x.as_str() == t) {
                continue;
            }
        }
        let assessment = eligibility::assess(s, &person, today);
        let group = match assessment.verdict {
            Verdict::Fits => &mut out.pour_toi,
            Verdict::Maybe => &mut out.peut_etre,
            Verdict::Excluded => &mut out.exclus,
        };
        group.push(Entry {
            scheme: s,
            assessment,
        });
    }
    out
}

/// A scheme in the JSON answer.
#[derive(Serialize, ToSchema)]
pub struct FitBody {
    pub id: String,
    pub nom: String,
    /// Pourquoi c’est pour toi, en mots simples.
    pub raisons: Vec<String>,
    /// Ce que le site ne peut pas vérifier (seulement dans « peut_etre »).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub a_verifier: Vec<String>,
    /// Vrai quand l’information du dispositif est à confirmer.
    pub a_confirmer: bool,
}

/// An excluded scheme in the JSON answer.
#[derive(Serialize, ToSchema)]
pub struct ExcludedBody {
    pub id: String,
    /// Pourquoi ce n’est pas pour toi, en une ligne.
    pub raison: String,
}

/// `GET /api/pour-moi`.
#[derive(Serialize, ToSchema)]
pub struct PourMoiBody {
    pub pour_toi: Vec<FitBody>,
    pub peut_etre: Vec<FitBody>,
    pub exclus: Vec<ExcludedBody>,
}

fn fit(e: &Entry, today: time::Date) -> FitBody {
    FitBody {
        id: e.scheme.id.to_string(),
        nom: e.scheme.nom.clone(),
        raisons: e.assessment.raisons.clone(),
        a_verifier: e.assessment.a_verifier.clone(),
        a_confirmer: e.scheme.availability(today) == Availability::ToConfirm,
    }
}

/// `GET /api/pour-moi`: the same answer as the page, as JSON; bad input is a 400 in French.
#[utoipa::path(get, path = "/api/pour-moi", tag = "pour-moi",
    params(PourMoiQuery),
    responses(
        (status = 200, description = "Les dispositifs pour toi, peut-être pour toi, et les autres avec la raison", body = PourMoiBody,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangée depuis l’ETag envoyé dans If-None-Match"),
        (status = 500, description = "Erreur interne", body = super::api_types::ErrorBody),
        (status = 400, description = "Réponse invalide (âge, situation, thématique) ou commune inconnue ou ambiguë (le message liste les communes proches)", body = super::api_types::ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PourMoiBody>, ApiError> {
    let engine = state.engine();
    let data = &engine.data;
    let (answers, errors) = parse(raw.as_deref(), data, false);
    if !errors.is_empty() {
        return Err(ApiError::bad_request(errors.join(" ")));
    }
    let communes = if answers.commune_input.is_empty() {
        Vec::new()
    } else {
        match data.communes.resolve(&answers.commune_input) {
            Resolved::Unresolved(candidates) => {
                return Err(ApiError::bad_request(unresolved_message(
                    &answers.commune_input,
                    &candidates,
                )))
            }
            r => r.communes(),
        }
    };
    let today = state.today();
    let a = answer(data, &answers, communes, today);
    Ok(Json(PourMoiBody {
        pour_toi: a.pour_toi.iter().map(|e| fit(e, today)).collect(),
        peut_etre: a.peut_etre.iter().map(|e| fit(e, today)).collect(),
        exclus: a
            .exclus
            .iter()
            .map(|e| ExcludedBody {
                id: e.scheme.id.to_string(),
                raison: e.assessment.exclusion.clone().unwrap_or_default(),
            })
            .collect(),
    }))
}

/// « Nous ne trouvons pas … » with the closest communes.
pub fn unresolved_message(input: &str, candidates: &[&Commune]) -> String {
    let shown: String = input.chars().filter(|c| !c.is_control()).take(40).collect();
    if candidates.is_empty() {
        format!(
            "Nous ne trouvons pas la commune « {shown} » dans le Pas-de-Calais (le site ne connaît que ses 887 communes). Vérifie l’orthographe ou tape son code postal."
        )
    } else {
        let names: Vec<String> = candidates
            .iter()
            .map(|c| format!("{} ({})", c.nom, c.code))
            .collect();
        format!(
            "Nous ne trouvons pas exactement « {shown} » dans le Pas-de-Calais. Tu voulais dire : {} ?",
            names.join(", ")
        )
    }
}

/// A scheme as the answer page shows it.
pub struct FitView {
    pub href: String,
    pub nom: String,
    pub resume: String,
    pub raisons: String,
    pub a_verifier: String,
    pub a_confirmer: bool,
}

/// An excluded scheme on the answer page.
pub struct ExcludedView {
    pub href: String,
    pub nom: String,
    pub raison: String,
}

#[derive(Template)]
#[template(path = "pour-moi.html")]
pub struct PourMoiPage {
    pub layout: Layout,
    pub age: String,
    pub commune: String,
    pub situations: Vec<Choice>,
    pub themes: Vec<Choice>,
    pub errors: Vec<String>,
    /// A one-line note when the commune could not be used, with the closest communes.
    pub commune_note: Option<String>,
    pub commune_choices: Vec<Link>,
    pub asked: bool,
    pub pour_toi: Vec<FitView>,
    pub peut_etre: Vec<FitView>,
    pub exclus: Vec<ExcludedView>,
    /// The answers as a query string, to share or print.
    pub share_url: String,
    /// The answers alone, carried to each scheme page for its personal answer.
    pub answers_qs: String,
}

fn sentence(parts: &[String]) -> String {
    let mut s = parts.join(", ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    if !s.is_empty() {
        s.push('.');
    }
    s
}

fn fit_view(e: &Entry, today: time::Date) -> FitView {
    FitView {
        href: e.scheme.path(),
        nom: e.scheme.nom.clone(),
        resume: e.scheme.resume.clone(),
        raisons: sentence(&e.assessment.raisons),
        a_verifier: sentence(&e.assessment.a_verifier),
        a_confirmer: e.scheme.availability(today) == Availability::ToConfirm,
    }
}

fn query_string(a: &Answers) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(age) = a.age {
        s.append_pair("age", &age.to_string());
    }
    if !a.commune_input.is_empty() {
        s.append_pair("commune", &a.commune_input);
    }
    for x in &a.situations {
        s.append_pair("situation", x.slug());
    }
    if let Some(t) = &a.theme {
        s.append_pair("theme", t);
    }
    s.finish()
}

/// `GET /pour-moi`: the questions, and the answer when they are filled in.
pub async fn page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let engine = state.engine();
    let data = &engine.data;
    let (answers, errors) = parse(raw.as_deref(), data, true);
    let asked = raw.as_deref().is_some_and(|r| !r.is_empty());
    let mut commune_note = None;
    let mut commune_choices = Vec::new();
    let communes = if answers.commune_input.is_empty() {
        Vec::new()
    } else {
        match data.communes.resolve(&answers.commune_input) {
            Resolved::Unresolved(candidates) => {
                commune_note = Some(format!(
                    "{} Les résultats ne tiennent pas compte de ta commune.",
                    unresolved_message(&answers.commune_input, &candidates)
                ));
                for c in candidates {
                    let fixed = Answers {
                        commune_input: c.code.clone(),
                        situations: answers.situations.clone(),
                        theme: answers.theme.clone(),
                        age: answers.age,
                    };
                    commune_choices.push(Link {
                        href: format!("/pour-moi?{}", query_string(&fixed)),
                        label: c.nom.clone(),
                        detail: c.code.clone(),
                    });
                }
                Vec::new()
            }
            r => r.communes(),
        }
    };
    let today = state.today();
    let a = if asked && errors.is_empty() {
        Some(answer(data, &answers, communes, today))
    } else {
        None
    };
    let qs = query_string(&answers);
    let page = PourMoiPage {
        layout: Layout {
            noindex: asked,
            ..Layout::new(
                "C’est pour moi ?",
                "Quatre questions, et tous les dispositifs du Pas-de-Calais qui te correspondent, avec la raison.",
                state.base_url(),
                "/pour-moi",
            )
        },
        age: answers.age.map(|n| n.to_string()).unwrap_or_default(),
        commune: answers.commune_input.clone(),
        situations: Situation::ALL
            .iter()
            .map(|s| Choice {
                value: s.slug().to_owned(),
                label: situation_choice_label(*s).to_owned(),
                checked: answers.situations.contains(s),
                count: None,
            })
            .collect(),
        themes: data
            .themes
            .iter()
            .map(|t| Choice {
                value: t.slug.to_string(),
                label: t.libelle.clone(),
                checked: answers.theme.as_deref() == Some(t.slug.as_str()),
                count: None,
            })
            .collect(),
        errors: errors.clone(),
        commune_note,
        commune_choices,
        asked: a.is_some(),
        pour_toi: a
            .as_ref()
            .map(|a| a.pour_toi.iter().map(|e| fit_view(e, today)).collect())
            .unwrap_or_default(),
        peut_etre: a
            .as_ref()
            .map(|a| a.peut_etre.iter().map(|e| fit_view(e, today)).collect())
            .unwrap_or_default(),
        exclus: a
            .as_ref()
            .map(|a| {
                a.exclus
                    .iter()
                    .map(|e| ExcludedView {
                        href: e.scheme.path(),
                        nom: e.scheme.nom.clone(),
                        raison: e.assessment.exclusion.clone().unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        share_url: format!("{}/pour-moi?{qs}", state.base_url()),
        answers_qs: qs.clone(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, Page(page)).into_response()
}

/// The checkbox label of a situation (« Je suis … »).
fn situation_choice_label(s: Situation) -> &'static str {
    match s {
        Situation::Collegien => "au collège",
        Situation::Lyceen => "au lycée (ou en CAP)",
        Situation::Apprenti => "en apprentissage",
        Situation::Etudiant => "étudiant ou étudiante",
        Situation::EnEmploi => "en emploi",
        Situation::SansEmploi => "ni en emploi ni en formation",
        Situation::Handicap => "en situation de handicap reconnue",
        Situation::Boursier => "boursier ou boursière",
    }
}

/// The scheme page's personal answer when the address carries answers (from `/pour-moi`).
pub struct VerdictView {
    /// « C’est pour toi », « Peut-être pour toi » or « Pas pour toi ».
    pub titre: &'static str,
    pub css: &'static str,
    pub lignes: Vec<String>,
    /// Back to the whole answer.
    pub retour: String,
}

/// Assesses `scheme` for the answers in `raw`, if any were given and are valid.
pub fn verdict(
    raw: Option<&str>,
    data: &Dataset,
    scheme: &Scheme,
    today: time::Date,
) -> Option<VerdictView> {
    let (answers, errors) = parse(raw, data, true);
    if !errors.is_empty() || (answers.age.is_none() && answers.situations.is_empty()) {
        return None;
    }
    let communes = match data.communes.resolve(&answers.commune_input) {
        Resolved::Unresolved(_) => Vec::new(),
        r => r.communes(),
    };
    let person = Person {
        age: answers.age,
        communes,
        situations: answers.situations.clone(),
        situations_asked: true,
    };
    let a = eligibility::assess(scheme, &person, today);
    let (titre, css) = match a.verdict {
        Verdict::Fits => ("C’est pour toi", "oui"),
        Verdict::Maybe => ("Peut-être pour toi", "peut-etre"),
        Verdict::Excluded => ("Pas pour toi", "non"),
    };
    let mut lignes = Vec::new();
    if !a.raisons.is_empty() {
        lignes.push(format!("Pourquoi : {}", sentence(&a.raisons)));
    }
    if !a.a_verifier.is_empty() {
        lignes.push(format!("À vérifier : {}", sentence(&a.a_verifier)));
    }
    lignes.extend(a.exclusion);
    lignes.extend(a.bientot);
    Some(VerdictView {
        titre,
        css,
        lignes,
        retour: format!("/pour-moi?{}", query_string(&answers)),
    })
}
