//! Validates place records (`structures/<id>.json`) into `Place`s, with the schemes' rigour.

use std::collections::HashSet;

use super::problem::Collector;
use super::raw::RawPlace;
use super::validate::{self, Lists};
use crate::place::{Address, Place, PlaceContact, Served};
use crate::scheme::Slug;

/// Validates one place read from `file_stem`.json; `None` when it has an error.
pub fn place(
    c: &mut Collector,
    file_stem: &str,
    raw: RawPlace,
    lists: &Lists,
    kinds: &HashSet<String>,
    schemes: &HashSet<String>,
) -> Option<Place> {
    let before = c.problems.len();
    let id = validate::id(c, raw.id, file_stem);
    let nom = validate::required_text(c, "nom", raw.nom);
    let kind = match raw.kind {
        None => {
            c.error("type", "champ obligatoire absent");
            None
        }
        Some(k) => {
            let slug = Slug::parse(&k).filter(|s| kinds.contains(s.as_str()));
            if slug.is_none() {
                c.error(
                    "type",
                    format!("« {k} » est inconnu de types-structures.json"),
                );
            }
            slug
        }
    };
    let adresse = match raw.adresse {
        None => {
            c.error("adresse", "champ obligatoire absent");
            None
        }
        Some(a) => {
            let clean =
                |v: Option<String>| v.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
            let code_postal = clean(a.code_postal);
            let commune = clean(a.commune);
            match commune
                .as_deref()
                .map(|code| (code, lists.communes.commune(code)))
            {
                None => c.error("adresse.commune", "code commune (INSEE) absent"),
                Some((code, None)) => c.error(
                    "adresse.commune",
                    format!("code commune (INSEE) inconnu : « {code} »"),
                ),
                Some((_, Some(known))) => {
                    if let Some(cp) = &code_postal {
                        if !known.codes_postaux.contains(cp) {
                            c.error(
                                "adresse.code_postal",
                                format!("« {cp} » n’est pas un code postal de {}", known.nom),
                            );
                        }
                    }
                }
            }
            commune.map(|commune| Address {
                rue: clean(a.rue),
                code_postal,
                commune,
            })
        }
    };
    let dessert = match raw.dessert {
        None => {
            c.error(
                "dessert",
                "champ obligatoire absent : les communes ou EPCI desservis",
            );
            Served::default()
        }
        Some(d) => {
            if d.epci.is_empty() && d.communes.is_empty() {
                c.error("dessert", "au moins un code EPCI ou commune");
            }
            for code in &d.epci {
                if lists.communes.epci(code).is_none() {
                    c.error("dessert.epci", format!("code EPCI inconnu : « {code} »"));
                }
            }
            for code in &d.communes {
                if lists.communes.commune(code).is_none() {
                    c.error(
                        "dessert.communes",
                        format!("code commune (INSEE) inconnu : « {code} »"),
                    );
                }
            }
            Served {
                epci: d.epci,
                communes: d.communes,
            }
        }
    };
    let contact = raw.contact.map(|k| {
        let clean = |v: Option<String>| v.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        PlaceContact {
            telephone: clean(k.telephone),
            courriel: clean(k.courriel),
            site: clean(k.site),
        }
    });
    let contact = contact.unwrap_or_default();
    validate::check_site(c, "contact.site", contact.site.as_deref());
    validate::check_email(c, "contact.courriel", contact.courriel.as_deref());
    let mut dispositifs = Vec::new();
    for d in raw.dispositifs {
        match Slug::parse(&d).filter(|s| schemes.contains(s.as_str())) {
            Some(s) if !dispositifs.contains(&s) => dispositifs.push(s),
            Some(_) => c.error("dispositifs", format!("« {d} » est en double")),
            None => c.error(
                "dispositifs",
                format!("« {d} » : aucun dispositif de ce nom dans dispositifs/"),
            ),
        }
    }
    let horaires = raw
        .horaires
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    let closed = match raw.statut.as_deref().map(str::trim) {
        None | Some("ouverte") => false,
        Some("fermee") => true,
        Some(other) => {
            c.error(
                "statut",
                format!("« {other} » : `ouverte` ou `fermee` (archivée)"),
            );
            false
        }
    };
    let sources = validate::sources(c, raw.sources, lists);
    let mis_a_jour = validate::update_date(c, raw.mis_a_jour, lists.today);
    let has_error = c.problems[before..]
        .iter()
        .any(|p| p.severity == super::problem::Severity::Error);
    if has_error {
        return None;
    }
    Some(Place {
        id: id?,
        nom: nom?,
        kind: kind?,
        adresse: adresse?,
        dessert,
        contact,
        horaires,
        dispositifs,
        sources,
        mis_a_jour: mis_a_jour?,
        closed,
        words: Vec::new(),
    })
}
