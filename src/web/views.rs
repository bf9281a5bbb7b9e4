//! View models and askama templates: everything a page shows, already in French words.

use askama::Template;

use super::assets::ASSETS;
use super::params::SearchParams;
use crate::data::Dataset;
use crate::scheme::{Availability, Scheme};
use crate::search::{Hit, Shown};
use crate::text;

/// Text the visitor typed, as a page shows it back: without control characters (escape
/// sequences, NUL, bell), which HTML escaping lets through.
pub fn shown_text(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_control()).collect()
}

/// What every page's `<head>` and frame need.
pub struct Layout {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub css: String,
    pub js: String,
    /// Keeps search-result and error pages out of search engines.
    pub noindex: bool,
}

impl Layout {
    pub fn new(title: &str, description: &str, base_url: &str, path: &str) -> Layout {
        Layout {
            title: title.to_owned(),
            description: description.to_owned(),
            canonical: format!("{base_url}{path}"),
            css: ASSETS.css_href(),
            js: ASSETS.js_href(),
            noindex: false,
        }
    }
}

/// A link with a label (and a count or state where useful).
pub struct Link {
    pub href: String,
    pub label: String,
    pub detail: String,
}

/// A checkbox of the filter form.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub count: Option<u64>,
}

/// A result card.
pub struct Card {
    /// The scheme's id (for « Ma sélection »).
    pub id: String,
    pub url: String,
    pub nom: String,
    pub resume: String,
    pub snippet_html: Option<String>,
    pub themes: Vec<String>,
    pub ages: Option<String>,
    pub status_label: &'static str,
    pub status_css: &'static str,
    pub gratuit: bool,
    pub porteur: String,
}

impl Card {
    pub fn new(scheme: &Scheme, data: &Dataset, today: time::Date) -> Card {
        Card::with(scheme, &Shown::of(scheme), None, data, today)
    }

    fn with(
        scheme: &Scheme,
        shown: &Shown,
        snippet_html: Option<String>,
        data: &Dataset,
        today: time::Date,
    ) -> Card {
        let availability = scheme.availability(today);
        Card {
            id: scheme.id.to_string(),
            url: scheme.path(),
            nom: shown.nom.clone(),
            resume: shown.resume.clone(),
            snippet_html,
            themes: scheme
                .thematiques
                .iter()
                .filter_map(|t| data.theme(t.as_str()).map(|c| c.libelle.clone()))
                .collect(),
            ages: scheme.ages.label(),
            status_label: availability.label(),
            status_css: availability.css(),
            gratuit: scheme.gratuit,
            porteur: scheme.porteur.clone(),
        }
    }

    pub fn from_hit(hit: &Hit, data: &Dataset, today: time::Date) -> Card {
        Card::with(hit.scheme, hit.shown, hit.snippet_html.clone(), data, today)
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub themes: Vec<Link>,
    pub publics: Vec<Link>,
    pub total: usize,
}

/// The filter form as the visitor left it.
pub struct FormState {
    pub q: String,
    pub age: String,
    pub commune: String,
    pub themes: Vec<Choice>,
    pub publics: Vec<Choice>,
    pub sort_by_name: bool,
    /// Parameters that shaped the page without a field of their own (`par_page`): hidden
    /// inputs, so that changing a filter keeps them.
    pub hidden: Vec<(String, String)>,
}

impl FormState {
    pub fn new(p: &SearchParams, data: &Dataset, counts: &[(String, u64)]) -> FormState {
        FormState {
            q: shown_text(&p.q),
            age: p.age.map(|a| a.to_string()).unwrap_or_default(),
            commune: p.commune_input.clone(),
            themes: data
                .themes
                .iter()
                .map(|t| Choice {
                    value: t.slug.to_string(),
                    label: t.libelle.clone(),
                    checked: p.themes.iter().any(|x| x == t.slug.as_str()),
                    count: Some(
                        counts
                            .iter()
                            .find(|(s, _)| s == t.slug.as_str())
                            .map(|(_, n)| *n)
                            .unwrap_or(0),
                    ),
                })
                .collect(),
            publics: data
                .publics
                .iter()
                .map(|t| Choice {
                    value: t.slug.to_string(),
                    label: t.libelle.clone(),
                    checked: p.publics.iter().any(|x| x == t.slug.as_str()),
                    count: None,
                })
                .collect(),
            sort_by_name: p.sort == super::params::Tri::Nom,
            hidden: p.hidden_fields(),
        }
    }

    /// The filters in words, for a printed list: « mots-clés « sport », 17 ans, Lens » or
    /// « aucun filtre ».
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("mots-clés «\u{a0}{}\u{a0}»", self.q));
        }
        if !self.age.is_empty() {
            parts.push(format!("{}\u{a0}ans", self.age));
        }
        if !self.commune.is_empty() {
            parts.push(format!("commune {}", self.commune));
        }
        for c in self.themes.iter().filter(|c| c.checked) {
            parts.push(format!("thème {}", c.label));
        }
        for c in self.publics.iter().filter(|c| c.checked) {
            parts.push(format!("public {}", c.label));
        }
        if parts.is_empty() {
            "aucun filtre, tous les dispositifs".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

#[derive(Template)]
#[template(path = "results.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub heading: String,
    pub form: FormState,
    pub total: usize,
    pub total_label: String,
    pub cards: Vec<Card>,
    pub did_you_mean: Option<Link>,
    pub alert: Option<String>,
    pub choices: Vec<Link>,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub page_label: String,
    pub themes: Vec<Link>,
    pub active_filters: Vec<String>,
    /// The active filters as removable chips (« 17 ans ✕ »): each links to the page without it.
    pub chips: Vec<Link>,
    /// The absolute address of this results page, to copy or share.
    pub share_url: String,
    /// An `sms:` link whose body is that address.
    pub sms_href: String,
    /// Helplines: above everything when the search signals distress or danger (or on the
    /// health theme), after « Et maintenant ? » on a page without answers.
    pub urgence: Vec<HelplineView>,
    /// Whether the helplines come first (`urgence`).
    pub urgence_en_tete: bool,
    /// Typed words that no scheme talks about, quoted (« chien »), or empty.
    pub unmatched: String,
    /// Places the text designates (« mission locale lens »), shown apart from the schemes.
    pub places: Option<super::places::views::PlacesBlock>,
}

/// A national helpline, ready to tap.
pub struct HelplineView {
    pub nom: String,
    pub numero: String,
    /// Digits for the `tel:` link.
    pub tel: String,
    pub description: String,
    /// Its official source.
    pub source: Option<String>,
}

impl HelplineView {
    pub fn all(lines: Vec<&crate::urgency::Helpline>) -> Vec<HelplineView> {
        lines
            .into_iter()
            .map(|l| HelplineView {
                nom: l.nom.clone(),
                numero: l.numero.clone(),
                tel: l.tel(),
                description: text::display(&l.description),
                source: l.sources.iter().find_map(|s| s.url.clone()),
            })
            .collect()
    }
}

/// A source as shown at the bottom of a scheme page, with all its quoted excerpts.
pub struct SourceView {
    pub titre: String,
    pub url: Option<String>,
    pub section: Option<String>,
    pub extraits: Vec<String>,
    /// « source officielle », « presse » or « autre source ».
    pub kind: &'static str,
    /// « lue le 30 novembre 2026 », when the page's reading date is known.
    pub consulte_le: Option<String>,
}

/// Groups sources citing the same page or section, so each is listed once.
pub fn group_sources(sources: &[std::sync::Arc<crate::scheme::Source>]) -> Vec<SourceView> {
    let mut out: Vec<SourceView> = Vec::new();
    for x in sources {
        let same = out.iter_mut().find(|o| {
            o.url == x.url && o.section == x.section && (o.url.is_some() || o.titre == x.titre)
        });
        match same {
            Some(o) => o.extraits.extend(x.extrait.clone()),
            None => out.push(SourceView {
                titre: x.titre.clone(),
                url: x.url.clone(),
                section: x.section.clone(),
                extraits: x.extrait.iter().cloned().collect(),
                kind: x.kind.label(),
                consulte_le: x.consulte_le.map(french_date),
            }),
        }
    }
    out
}

fn display_all<T: AsRef<str>>(v: &[T]) -> Vec<String> {
    v.iter().map(|s| text::display(s.as_ref())).collect()
}

#[derive(Template)]
#[template(path = "scheme.html")]
pub struct SchemePage {
    pub layout: Layout,
    pub s: SchemeView,
    pub jsonld: String,
    /// Inline SVG QR code of the page's address, shown on the printed sheet.
    pub qr_svg: String,
    /// The personal answer when the address carries « C’est pour moi ? » answers.
    pub verdict: Option<super::pour_moi::VerdictView>,
    /// « Où s’adresser près de chez toi ? » for the commune in the address.
    pub lieux: super::places::views::Nearby,
    /// The results page the visitor came from (« Retour aux résultats »).
    pub retour: Option<String>,
    /// The place finder, when the next step is a place or no official action is known.
    pub lieu: Option<Link>,
    /// The page's texts with their administrative words explained.
    pub w: super::explain::SchemeWords,
}

/// An inline SVG QR code of `url` (without the XML prolog), labelled for assistive tech.
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(120, 120)
                .quiet_zone(true)
                .build();
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].replacen(
                "<svg ",
                "<svg class=\"qr\" role=\"img\" aria-label=\"QR code vers cette fiche\" ",
                1,
            )
        }
        Err(_) => String::new(),
    }
}

/// A scheme with its labels resolved, ready to show.
pub struct SchemeView {
    pub id: String,
    pub nom: String,
    pub alias: Vec<String>,
    pub resume: String,
    pub description: String,
    pub themes: Vec<Link>,
    pub publics: Vec<Link>,
    pub ages: Option<String>,
    pub territoire: &'static str,
    pub porteur: String,
    pub avantages: Vec<String>,
    pub conditions: Vec<String>,
    pub demarches: Vec<String>,
    pub site: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    /// The number for a `tel:` link (digits and a leading +).
    pub telephone_href: String,
    pub adresse: Option<String>,
    pub has_contact: bool,
    pub chiffres: Vec<String>,
    pub status_label: &'static str,
    pub status_css: &'static str,
    pub calendrier: Vec<String>,
    pub gratuit: bool,
    pub sources: Vec<SourceView>,
    pub mis_a_jour: String,
    /// « Vérifié le … »: the most recent reading of a source.
    pub verifie_le: Option<String>,
    /// What the status means when it is not plainly « Ouvert ».
    pub status_note: Option<String>,
    /// The official page where the young person acts (« Faire ma demande »).
    pub action: Option<Link>,
    /// Structured conditions in words (age exceptions, situations, what to check).
    pub eligibilite: Vec<String>,
    pub url: String,
}

/// One honest line on a scheme that is not plainly open.
fn status_note(s: &Scheme, availability: Availability) -> Option<String> {
    let latest = s.verified_on().map(|d| d.year());
    match availability {
        Availability::ToConfirm => Some(match latest {
            Some(y) => format!(
                "Dernière information vérifiée en {y} : à confirmer auprès de {} avant de te lancer.",
                s.porteur
            ),
            None => format!(
                "Informations du Pacte des réussites citoyennes (2022), à confirmer auprès de {}.",
                s.porteur
            ),
        }),
        Availability::Planned => Some(
            "Annoncé comme un projet : rien ne montre encore qu’il a été lancé.".to_owned(),
        ),
        Availability::CampaignOver => {
            Some("La dernière campagne est terminée : surveille la prochaine.".to_owned())
        }
        _ => None,
    }
}

/// Digits (and a leading +) of a phone number as written, for `tel:` links.
pub fn tel_href(number: &str) -> String {
    number
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

pub fn french_date(d: time::Date) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let day = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    format!(
        "{day} {} {}",
        MONTHS[usize::from(u8::from(d.month())) - 1],
        d.year()
    )
}

impl SchemeView {
    pub fn new(s: &Scheme, data: &Dataset, base_url: &str, today: time::Date) -> SchemeView {
        let availability = s.availability(today);
        let mut calendrier = Vec::new();
        if let Some(d) = s.calendrier.debut {
            calendrier.push(format!("Début : {}", french_date(d)));
        }
        if let Some(d) = s.calendrier.fin {
            calendrier.push(format!("Fin : {}", french_date(d)));
        }
        if let Some(d) = s.calendrier.date_limite {
            calendrier.push(format!("Date limite : {}", french_date(d)));
        }
        if let Some(c) = &s.calendrier.commentaire {
            calendrier.push(text::display(c));
        }
        SchemeView {
            id: s.id.to_string(),
            nom: text::display(&s.nom),
            alias: s.alias.clone(),
            resume: text::display(&s.resume),
            description: text::display(&s.description),
            themes: s
                .thematiques
                .iter()
                .filter_map(|t| data.theme(t.as_str()))
                .map(|t| Link {
                    href: format!("/thematiques/{}", t.slug),
                    label: t.libelle.clone(),
                    detail: String::new(),
                })
                .collect(),
            publics: s
                .publics
                .iter()
                .filter_map(|t| data.public(t.as_str()))
                .map(|t| Link {
                    href: format!("/publics/{}", t.slug),
                    label: t.libelle.clone(),
                    detail: String::new(),
                })
                .collect(),
            ages: s.ages.label(),
            territoire: s.territoire.label(),
            porteur: s.porteur.clone(),
            avantages: display_all(&s.avantages),
            conditions: display_all(&s.conditions),
            demarches: display_all(&s.demarches),
            site: s.contact.site.clone(),
            email: s.contact.email.clone(),
            telephone: s.contact.telephone.clone(),
            telephone_href: s
                .contact
                .telephone
                .as_deref()
                .map(tel_href)
                .unwrap_or_default(),
            adresse: s.contact.adresse.clone(),
            has_contact: !s.contact.is_empty(),
            chiffres: s
                .chiffres_cles
                .iter()
                .map(|k| match k.annee {
                    Some(y) => text::display(&format!("{} {} ({y})", k.valeur, k.libelle)),
                    None => text::display(&format!("{} {}", k.valeur, k.libelle)),
                })
                .collect(),
            status_label: availability.label(),
            status_css: availability.css(),
            calendrier,
            gratuit: s.gratuit,
            sources: group_sources(&s.sources),
            mis_a_jour: french_date(s.mis_a_jour),
            verifie_le: s.verified_on().map(french_date),
            status_note: status_note(s, availability),
            eligibilite: crate::eligibility::describe(s),
            action: super::next_step::official_action(s),
            url: format!("{base_url}{}", s.path()),
        }
    }

    pub fn is_open(&self) -> bool {
        self.status_css == Availability::Open.css()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title: String,
    pub message: String,
    /// Helplines (on the not-found page).
    pub urgence: Vec<HelplineView>,
}

impl ErrorPage {
    pub fn new(status: u16, title: &str, message: String) -> ErrorPage {
        // The message stays out of the meta tags: it may quote the visitor's input.
        let mut layout = Layout::new(title, title, "", "/");
        layout.noindex = true;
        ErrorPage {
            layout,
            status,
            title: title.to_owned(),
            message,
            urgence: Vec::new(),
        }
    }
}
