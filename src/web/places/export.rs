//! `/donnees/structures.csv`: every place, one row each, with cells a spreadsheet cannot run.

use std::borrow::Cow;

use crate::data::Dataset;

use super::api_types::{address_line, commune_name};

const HEADER: [&str; 18] = [
    "id",
    "nom",
    "type",
    "adresse",
    "rue",
    "code_postal",
    "commune_insee",
    "commune",
    "telephone",
    "courriel",
    "site",
    "horaires",
    "dessert_epci",
    "dessert_communes",
    "dispositifs",
    "sources",
    "mis_a_jour",
    "url",
];

/// A cell that a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be run as a formula (« CSV injection »), so it gets a leading `'`.
pub fn neutral(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The CSV of every place of `data`; lists are joined with « | ».
pub fn csv_of(data: &Dataset, base_url: &str) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for p in data.open_places() {
        let slugs = |v: &[crate::scheme::Slug]| {
            v.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(" | ")
        };
        let sources: Vec<&str> = p
            .sources
            .iter()
            .filter_map(|x| x.url.as_deref().or(x.section.as_deref()))
            .collect();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let row: [String; 18] = [
            p.id.to_string(),
            p.nom.clone(),
            p.kind.to_string(),
            address_line(p, data),
            opt(&p.adresse.rue),
            opt(&p.adresse.code_postal),
            p.adresse.commune.clone(),
            commune_name(p, data),
            opt(&p.contact.telephone),
            opt(&p.contact.courriel),
            opt(&p.contact.site),
            opt(&p.horaires),
            p.dessert.epci.join(" | "),
            p.dessert.communes.join(" | "),
            slugs(&p.dispositifs),
            sources.join(" | "),
            p.mis_a_jour.to_string(),
            format!("{base_url}{}", p.path()),
        ];
        w.write_record(row.iter().map(|c| neutral(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::neutral;

    #[test]
    fn formula_cells_get_an_apostrophe() {
        for bad in ["=1+1", "+33 3", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutral(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["03 21 00 00 00", "Mission locale", "", "a=b"] {
            assert_eq!(neutral(ok), ok);
        }
    }
}
