//! Facts are sourced: every amount, phone number, email and address in the shipped data
//! appears in an excerpt of one of its scheme's sources; the communes file is complete.

use regex::Regex;

use crate::util::shipped_data;

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn amounts_and_contacts_are_backed_by_a_source_excerpt() {
    let data = shipped_data();
    let amount =
        Regex::new(r"(\d{1,3}(?:[\u{a0}\u{202f} ]\d{3})*(?:,\d+)?)\s?(?:€|euros?)").unwrap();
    let mut unbacked = Vec::new();
    for s in &data.schemes {
        let excerpts: String = s
            .sources
            .iter()
            .filter_map(|x| x.extrait.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let excerpt_digits = digits(&excerpts);
        let texts = [&*s.resume, &s.description].into_iter().chain(
            [&s.avantages, &s.conditions, &s.demarches]
                .into_iter()
                .flat_map(|v| v.iter().map(|t| &**t)),
        );
        for t in texts {
            for m in amount.captures_iter(t) {
                let n = digits(&m[1]);
                if !n.is_empty() && !excerpt_digits.contains(&n) {
                    unbacked.push(format!("{}: montant « {} »", s.id, &m[0]));
                }
            }
        }
        if let Some(tel) = &s.contact.telephone {
            if !excerpt_digits.contains(&digits(tel)) {
                unbacked.push(format!("{}: téléphone {tel}", s.id));
            }
        }
        if let Some(email) = &s.contact.email {
            if !excerpts.to_lowercase().contains(&email.to_lowercase()) {
                unbacked.push(format!("{}: e-mail {email}", s.id));
            }
        }
        if s.contact.adresse.is_some() && s.sources.iter().all(|x| x.url.is_none()) {
            unbacked.push(format!("{}: adresse sans page source", s.id));
        }
    }
    assert!(
        unbacked.is_empty(),
        "facts without a backing excerpt: {unbacked:#?}"
    );
}

#[test]
fn every_scheme_has_a_source_and_an_update_date() {
    for s in &shipped_data().schemes {
        assert!(!s.sources.is_empty(), "{}", s.id);
        assert!(
            s.sources
                .iter()
                .all(|x| x.url.is_some() || x.section.is_some()),
            "{}",
            s.id
        );
    }
}

#[test]
fn every_scheme_named_by_the_pacte_is_present() {
    let data = shipped_data();
    for id in [
        "service-civique",
        "sac-ados",
        "talents-citoyens",
        "permis-engagement-citoyen",
        "stages-au-departement",
        "apprentissage-au-departement",
        "mentorat",
        "jeunes-reporters-en-europe",
        "promeneurs-du-net",
        "college-au-cinema",
        "ouvrez-votre-club",
        "aide-restauration-scolaire",
        "savoir-nager",
        "sections-sportives",
        "jeunes-officiels-unss",
        "residences-artistes-college",
        "saison-culturelle",
        "budget-citoyen",
        "brigades-antigaspi",
        "ambassadeurs-jeunesse",
        "maison-archeologie",
        "archives-departementales",
        "ateliers-lutte-discriminations",
        "ouverture-europeenne-college",
        "maisons-des-adolescents",
        "formation-bnssa",
        "sports-de-nature",
        "ecoles-enseignement-artistique",
        "mediatheques-lecture-publique",
    ] {
        let s = data.scheme(id).unwrap_or_else(|| panic!("missing {id}"));
        assert!(
            s.sources.iter().any(|x| x.section.is_some()),
            "{id} cites the Pacte"
        );
    }
    assert!(data.schemes.len() >= 45);
}

#[test]
fn communes_file_covers_the_pas_de_calais() {
    let data = shipped_data();
    // 887 communes on 1 January 2026 (after the Hesdin-la-Forêt merger of 2025).
    assert_eq!(data.communes.len(), 887);
    for (code, name) in [
        ("62041", "Arras"),
        ("62510", "Liévin"),
        ("62160", "Boulogne-sur-Mer"),
        ("62193", "Calais"),
    ] {
        assert_eq!(
            data.communes.commune(code).map(|c| c.nom.as_str()),
            Some(name)
        );
    }
    assert_eq!(
        data.communes.lookup("62800").map(|c| c.code.as_str()),
        Ok("62510")
    );
    assert!(data.communes.lookup("saint omer").is_ok());
}
