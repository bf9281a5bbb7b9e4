//! View models of the place pages, of the « Où s’adresser » section of a scheme page and of
//! the « Lieux » block of the results: everything already in French words.

use askama::Template;

use super::api_types::address_line;
use super::query::{Problem, Understood};
use crate::data::Dataset;
use crate::place::Place;
use crate::places::{self, ForScheme, Found, Proximity, TextQuery};
use crate::scheme::Scheme;
use crate::territory::{Commune, Resolved};
use crate::text;
use crate::web::params::SearchParams;
use crate::web::views::{french_date, group_sources, tel_href, Choice, Layout, Link, SourceView};

/// Places shown in the « Lieux » block of the results before the link to all of them.
pub const BLOCK_SIZE: usize = 3;

/// One place in a list (`templates/lieu.html`).
pub struct PlaceItem {
    pub url: String,
    pub nom: String,
    pub kind_label: String,
    pub adresse: String,
    pub telephone: Option<String>,
    pub telephone_href: String,
    /// « Dessert ta commune », when that is what put it first.
    pub badge: Option<&'static str>,
}

impl PlaceItem {
    pub fn new(place: &Place, data: &Dataset, badge: Option<&'static str>) -> PlaceItem {
        PlaceItem {
            url: place.path(),
            nom: text::display(&place.nom),
            kind_label: kind_label(place, data),
            adresse: text::display(&address_line(place, data)),
            telephone: place.contact.telephone.clone(),
            telephone_href: place
                .contact
                .telephone
                .as_deref()
                .map(tel_href)
                .unwrap_or_default(),
            badge,
        }
    }
}

fn kind_label(place: &Place, data: &Dataset) -> String {
    data.place_type(place.kind.as_str())
        .map_or_else(|| place.kind.to_string(), |t| t.libelle.clone())
}

/// « Lens », « Lens ou Éleu-dit-Leauwette ».
fn names(near: &[&Commune]) -> String {
    let v: Vec<&str> = near.iter().map(|c| c.nom.as_str()).collect();
    match v.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} ou {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Who a sentence is about: « Lens », « Lens ou Liévin », or for a postal code shared by
/// many communes « les 33 communes du code postal 62130 ».
fn who(near: &[&Commune], input: &str) -> String {
    match (near.len(), input.trim()) {
        (0..=3, _) => names(near),
        (n, "") => format!("les {n} communes de ce code postal"),
        (n, cp) => format!("les {n} communes du code postal {cp}"),
    }
}

/// « de Lens », « d’Arras », « du Portel », « des Attaques »: French elision and contraction.
fn de(who: &str) -> String {
    if let Some(rest) = who.strip_prefix("Le ") {
        return format!("du {rest}");
    }
    if let Some(rest) = who
        .strip_prefix("Les ")
        .or_else(|| who.strip_prefix("les "))
    {
        return format!("des {rest}");
    }
    let first = text::fold(&who.chars().take(1).collect::<String>());
    if first.starts_with(['a', 'e', 'i', 'o', 'u', 'y', 'h']) {
        format!("d’{who}")
    } else {
        format!("de {who}")
    }
}

/// « Beaumont (62110) »: a candidate commune with what tells homonyms apart.
fn candidate_label(c: &Commune) -> String {
    match c.codes_postaux.first() {
        Some(cp) => format!("{} ({cp})", c.nom),
        None => c.nom.clone(),
    }
}

fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A titled group of places on `/structures`.
pub struct Group {
    pub title: String,
    pub items: Vec<PlaceItem>,
}

/// The filter form of `/structures` as the visitor left it.
pub struct PlacesForm {
    pub commune: String,
    pub kinds: Vec<Choice>,
    /// Filters kept from a link (`q`, `dispositif`), sent again with the form.
    pub hidden: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "structures.html")]
pub struct StructuresPage {
    pub layout: Layout,
    pub heading: String,
    pub form: PlacesForm,
    /// One line per thing not understood or not found.
    pub notes: Vec<String>,
    /// Communes to choose from when the one typed was not certain.
    pub choices: Vec<Link>,
    /// What restricts the list besides the form, with a link that lifts it.
    pub restriction: Option<Link>,
    pub total_label: String,
    pub groups: Vec<Group>,
}

fn grouped_by_kind(found: &[Found], data: &Dataset) -> Vec<Group> {
    data.place_types
        .iter()
        .map(|t| Group {
            title: t.libelle.clone(),
            items: found
                .iter()
                .filter(|f| f.place.kind == t.slug)
                .map(|f| PlaceItem::new(f.place, data, None))
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect()
}

fn grouped_by_proximity(
    found: &[Found],
    near: &[&Commune],
    input: &str,
    data: &Dataset,
) -> Vec<Group> {
    let epci = near
        .iter()
        .find_map(|c| c.epci.as_deref())
        .and_then(|e| data.communes.epci(e))
        .map(|e| format!(" ({})", text::display(&e.nom)))
        .unwrap_or_default();
    [
        (
            Proximity::Serves,
            format!("Lieux qui desservent {}", who(near, input)),
        ),
        (
            Proximity::SameEpci,
            format!("Dans la même intercommunalité{epci}"),
        ),
        (
            Proximity::Elsewhere,
            "Ailleurs dans le Pas-de-Calais".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(tier, title)| Group {
        title,
        items: found
            .iter()
            .filter(|f| f.proximity == Some(tier))
            .map(|f| PlaceItem::new(f.place, data, None))
            .collect(),
    })
    .filter(|g| !g.items.is_empty())
    .collect()
}

impl StructuresPage {
    pub fn new(u: &Understood, found: &[Found], data: &Dataset, base_url: &str) -> StructuresPage {
        let mut notes: Vec<String> = u.problems.iter().map(Problem::page_message).collect();
        let choices = u
            .problems
            .iter()
            .flat_map(|p| p.candidates())
            .map(|c| Link {
                href: format!(
                    "/structures?{}",
                    query_string(&[
                        ("commune", &c.code),
                        ("type", u.kind_slug()),
                        ("dispositif", u.scheme_id()),
                        ("q", &u.q),
                    ])
                ),
                label: candidate_label(c),
                detail: String::new(),
            })
            .collect();
        let near: &[&Commune] = match (&u.near[..], &u.text) {
            ([], Some(t)) => t.named_communes(),
            (near, _) => near,
        };
        let nearby = found
            .iter()
            .any(|f| f.proximity.is_some_and(|p| p < Proximity::Elsewhere));
        let groups = if near.is_empty() {
            grouped_by_kind(found, data)
        } else {
            if !nearby {
                notes.push(format!(
                    "Aucun lieu de notre liste ne dessert encore {} : voici les autres.",
                    who(near, &u.commune_input)
                ));
            }
            grouped_by_proximity(found, near, &u.commune_input, data)
        };
        if found.is_empty() {
            notes.push(
                "Aucun lieu ne correspond à cette demande pour l’instant : essaie sans filtre."
                    .to_owned(),
            );
        }
        let restriction = match (&u.scheme, &u.text) {
            (Some(s), _) => Some(format!("Lieux qui s’occupent de « {} »", s.nom)),
            (None, Some(_)) => Some(format!("Lieux qui correspondent à « {} »", u.q)),
            (None, None) => None,
        }
        .map(|label| Link {
            href: format!(
                "/structures?{}",
                query_string(&[("commune", &u.commune_input), ("type", u.kind_slug())])
            ),
            label: text::display(&label),
            detail: "voir tous les lieux".to_owned(),
        });
        let heading = if u.near.is_empty() {
            "Lieux pour les jeunes".to_owned()
        } else {
            format!(
                "Lieux pour les jeunes près {}",
                de(&who(&u.near, &u.commune_input))
            )
        };
        let mut layout = Layout::new(
            &heading,
            "Missions locales, points Info Jeunes, maisons des adolescents… : les lieux qui accueillent les jeunes du Pas-de-Calais, en commençant par ceux qui desservent ta commune.",
            base_url,
            "/structures",
        );
        layout.noindex = !u.commune_input.is_empty() || !u.q.is_empty();
        let mut hidden = Vec::new();
        if !u.q.is_empty() {
            hidden.push(("q".to_owned(), u.q.clone()));
        }
        if let Some(s) = u.scheme {
            hidden.push(("dispositif".to_owned(), s.id.to_string()));
        }
        StructuresPage {
            layout,
            heading,
            form: PlacesForm {
                commune: u.commune_input.clone(),
                kinds: data
                    .place_types
                    .iter()
                    .map(|t| Choice {
                        value: t.slug.to_string(),
                        label: t.libelle.clone(),
                        checked: u.kind.is_some_and(|k| k.slug == t.slug),
                        count: None,
                    })
                    .collect(),
                hidden,
            },
            notes: notes.iter().map(|n| text::display(n)).collect(),
            choices,
            restriction,
            total_label: match found.len() {
                0 => "Aucun lieu".to_owned(),
                1 => "1 lieu".to_owned(),
                n => format!("{n} lieux"),
            },
            groups,
        }
    }
}

/// A place with its labels resolved, for `/structures/{id}`.
pub struct PlaceView {
    pub nom: String,
    pub kind_label: String,
    pub kind_href: String,
    pub kind_description: String,
    pub adresse: String,
    /// An OpenStreetMap search of the address (a link: nothing is fetched at page load).
    pub carte_href: String,
    pub horaires: Option<String>,
    pub telephone: Option<String>,
    pub telephone_href: String,
    pub courriel: Option<String>,
    pub site: Option<String>,
    /// EPCI and communes served, by name.
    pub dessert: Vec<String>,
    pub schemes: Vec<Link>,
    /// Other places for someone living in the place's commune.
    pub nearby: Link,
    pub sources: Vec<SourceView>,
    pub mis_a_jour: String,
    /// Archived: the page says so and shows no way to contact it.
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "structure.html")]
pub struct StructurePage {
    pub layout: Layout,
    pub p: PlaceView,
}

impl PlaceView {
    pub fn new(place: &Place, data: &Dataset) -> PlaceView {
        let kind = data.place_type(place.kind.as_str());
        let adresse = address_line(place, data);
        let mut dessert: Vec<String> = place
            .dessert
            .epci
            .iter()
            .map(|code| match data.communes.epci(code) {
                Some(e) => format!("{} (toutes ses communes)", text::display(&e.nom)),
                None => code.clone(),
            })
            .collect();
        dessert.extend(place.dessert.communes.iter().map(|code| {
            data.communes
                .commune(code)
                .map_or_else(|| code.clone(), |c| c.nom.clone())
        }));
        let commune = super::api_types::commune_name(place, data);
        PlaceView {
            nom: text::display(&place.nom),
            kind_label: kind_label(place, data),
            kind_href: format!("/structures?type={}", place.kind),
            kind_description: kind
                .map(|k| text::display(&k.description))
                .unwrap_or_default(),
            carte_href: format!(
                "https://www.openstreetmap.org/search?query={}",
                form_urlencoded::byte_serialize(adresse.as_bytes()).collect::<String>()
            ),
            adresse: text::display(&adresse),
            horaires: place.horaires.as_deref().map(text::display),
            telephone: place.contact.telephone.clone(),
            telephone_href: place
                .contact
                .telephone
                .as_deref()
                .map(tel_href)
                .unwrap_or_default(),
            courriel: place.contact.courriel.clone(),
            site: place.contact.site.clone(),
            dessert,
            schemes: place
                .dispositifs
                .iter()
                .filter_map(|id| data.scheme(id.as_str()))
                .map(|s| Link {
                    href: s.path(),
                    label: text::display(&s.nom),
                    detail: String::new(),
                })
                .collect(),
            nearby: Link {
                href: format!("/structures?commune={}", place.adresse.commune),
                label: format!("Les autres lieux pour les jeunes {}", de(&commune)),
                detail: String::new(),
            },
            sources: group_sources(&place.sources),
            mis_a_jour: french_date(place.mis_a_jour),
            closed: place.closed,
        }
    }
}

/// Longest commune input looked at on a scheme page, in characters.
const MAX_COMMUNE_CHARS: usize = 100;

/// The « Où s’adresser près de chez toi ? » section of a scheme page.
pub struct Nearby {
    /// Where the commune form goes: this scheme page, on this section.
    pub action: String,
    /// The commune as typed.
    pub commune: String,
    /// Whether a commune was given (the section prints only then).
    pub asked: bool,
    /// The sentence before the list.
    pub intro: Option<String>,
    pub items: Vec<PlaceItem>,
    pub note: Option<String>,
    pub choices: Vec<Link>,
    pub more: Option<Link>,
}

impl Nearby {
    /// The section for `scheme`, for the commune typed (if any).
    pub fn new(data: &Dataset, scheme: &Scheme, input: Option<&str>) -> Nearby {
        let input = input.map(str::trim).unwrap_or_default();
        let mut n = Nearby {
            action: format!("{}#ou-s-adresser", scheme.path()),
            commune: input.chars().take(MAX_COMMUNE_CHARS).collect(),
            asked: !input.is_empty(),
            intro: None,
            items: Vec::new(),
            note: None,
            choices: Vec::new(),
            more: None,
        };
        if input.is_empty() {
            let handling = places::handling(data, scheme.id.as_str());
            n.more = (handling > 0).then(|| Link {
                href: format!("/structures?dispositif={}", scheme.id),
                label: match handling {
                    1 => "Le lieu qui s’occupe de ce dispositif".to_owned(),
                    k => format!("Les {k} lieux qui s’occupent de ce dispositif"),
                },
                detail: String::new(),
            });
            return n;
        }
        let near = match data.communes.resolve(&n.commune) {
            Resolved::One(c) => vec![c],
            Resolved::Several(v) => v,
            Resolved::Unresolved(candidates) => {
                n.note = Some(text::display(&Problem::commune_message(
                    &n.commune,
                    !candidates.is_empty(),
                )));
                n.choices = candidates
                    .iter()
                    .map(|c| Link {
                        href: format!("{}?commune={}#ou-s-adresser", scheme.path(), c.code),
                        label: candidate_label(c),
                        detail: String::new(),
                    })
                    .collect();
                return n;
            }
        };
        let who = who(&near, &n.commune);
        let (intro, list) = match places::for_scheme(data, scheme.id.as_str(), &near) {
            ForScheme::Handles(v) => (
                format!(
                    "Ces lieux s’occupent de ce dispositif et accueillent les jeunes {} :",
                    de(&who)
                ),
                v,
            ),
            ForScheme::General(v) => (
                format!("Aucun lieu de notre liste ne s’occupe spécialement de ce dispositif pour {who}. Ces lieux d’information pour les jeunes desservent ta commune et peuvent te renseigner :"),
                v,
            ),
            ForScheme::SameEpci(v) => (
                format!("Aucun lieu de notre liste ne dessert encore {who}. Ces lieux d’information pour les jeunes sont dans la même intercommunalité et peuvent te renseigner :"),
                v,
            ),
            ForScheme::Nothing => (
                format!("Nous ne connaissons pas encore de lieu qui dessert {who}."),
                Vec::new(),
            ),
        };
        n.intro = Some(text::display(&intro));
        n.items = list
            .into_iter()
            .map(|p| PlaceItem::new(p, data, None))
            .collect();
        n.more = Some(Link {
            href: format!("/structures?{}", query_string(&[("commune", &n.commune)])),
            label: format!(
                "Tous les lieux pour les jeunes, en commençant par ceux {}",
                de(&who)
            ),
            detail: String::new(),
        });
        n
    }
}

/// The « Lieux » block of the results, when the text designates places.
pub struct PlacesBlock {
    pub items: Vec<PlaceItem>,
    pub more: Option<Link>,
}

impl PlacesBlock {
    /// The places the search text designates (first by the commune filter, if any).
    pub fn new(data: &Dataset, p: &SearchParams) -> Option<PlacesBlock> {
        let text = TextQuery::parse(&p.q, &data.communes)?;
        let near: Vec<&Commune> = p
            .commune
            .iter()
            .flat_map(|c| &c.communes)
            .filter_map(|(code, _)| data.communes.commune(code))
            .collect();
        let found = places::find(
            data,
            &places::Filter {
                near,
                text: Some(&text),
                ..Default::default()
            },
        );
        if found.is_empty() {
            return None;
        }
        let more = (found.len() > BLOCK_SIZE).then(|| Link {
            href: format!(
                "/structures?{}",
                query_string(&[("q", &p.q), ("commune", &p.commune_input)])
            ),
            label: format!("Voir les {} lieux", found.len()),
            detail: String::new(),
        });
        let items = found
            .iter()
            .take(BLOCK_SIZE)
            .map(|f| {
                let badge =
                    (f.proximity == Some(Proximity::Serves)).then_some("Dessert ta commune");
                PlaceItem::new(f.place, data, badge)
            })
            .collect();
        Some(PlacesBlock { items, more })
    }
}
