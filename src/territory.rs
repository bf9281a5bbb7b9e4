//! Communes and EPCI of the Pas-de-Calais, and the lookup of a commune by name or postal code.

use std::collections::HashMap;

use serde::Serialize;

use crate::text;

/// A commune (INSEE code, name, postal codes, EPCI SIREN).
#[derive(Debug, Clone, Serialize)]
pub struct Commune {
    pub code: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    pub epci: Option<String>,
}

/// An intercommunality (EPCI à fiscalité propre).
#[derive(Debug, Clone, Serialize)]
pub struct Epci {
    pub code: String,
    pub nom: String,
}

/// Why a commune lookup did not give exactly one commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No commune has that name or postal code.
    NotFound,
    /// Several communes share that postal code or name; the visitor must choose.
    Ambiguous(Vec<(String, String)>),
}

/// The communes and EPCI, indexed for lookups.
#[derive(Debug, Clone, Default)]
pub struct Communes {
    pub millesime: Option<String>,
    communes: Vec<Commune>,
    epci: Vec<Epci>,
    by_code: HashMap<String, usize>,
    by_postcode: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The folded form of a commune name: « Saint-Omer », « saint omer », « ST OMER » agree.
fn name_key(name: &str) -> String {
    text::words(name)
        .into_iter()
        .map(|w| match w.as_str() {
            "st" => "saint".to_owned(),
            "ste" => "sainte".to_owned(),
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Communes {
    pub fn new(millesime: Option<String>, communes: Vec<Commune>, epci: Vec<Epci>) -> Communes {
        let mut by_code = HashMap::new();
        let mut by_postcode: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in communes.iter().enumerate() {
            by_code.insert(c.code.clone(), i);
            for cp in &c.codes_postaux {
                by_postcode.entry(cp.clone()).or_default().push(i);
            }
            by_name.entry(name_key(&c.nom)).or_default().push(i);
        }
        Communes {
            millesime,
            communes,
            epci,
            by_code,
            by_postcode,
            by_name,
        }
    }

    pub fn len(&self) -> usize {
        self.communes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.communes.is_empty()
    }

    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.by_code.get(code).map(|&i| &self.communes[i])
    }

    pub fn epci(&self, code: &str) -> Option<&Epci> {
        self.epci.iter().find(|e| e.code == code)
    }

    pub fn all_epci(&self) -> &[Epci] {
        &self.epci
    }

    /// Finds one commune from what a visitor typed: an INSEE code, a postal code or a name.
    pub fn lookup(&self, input: &str) -> Result<&Commune, LookupError> {
        let input = input.trim();
        let hits: Vec<usize> = if input.len() == 5 && input.bytes().all(|b| b.is_ascii_digit()) {
            match self.by_postcode.get(input) {
                Some(v) => v.clone(),
                None => self
                    .by_code
                    .get(input)
                    .map(|&i| vec![i])
                    .unwrap_or_default(),
            }
        } else {
            self.by_name
                .get(&name_key(input))
                .cloned()
                .unwrap_or_default()
        };
        match hits.as_slice() {
            [] => Err(LookupError::NotFound),
            [one] => Ok(&self.communes[*one]),
            many => Err(LookupError::Ambiguous(
                many.iter()
                    .map(|&i| (self.communes[i].code.clone(), self.communes[i].nom.clone()))
                    .collect(),
            )),
        }
    }
}
