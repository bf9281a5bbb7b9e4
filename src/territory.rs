//! Communes and EPCI of the Pas-de-Calais, and the lookup of a commune by name or postal code.

use std::collections::HashMap;

use serde::Serialize;

use crate::text;

/// A commune (INSEE code, name, postal codes, EPCI SIREN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// What a visitor's commune input designates, resolved forgivingly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// Exactly one commune (code, name, unique prefix or one typo).
    One(&'a Commune),
    /// Every commune of a postal code they share: a filter applies to all of them.
    Several(Vec<&'a Commune>),
    /// Nothing certain: the closest communes, best first (possibly none).
    Unresolved(Vec<&'a Commune>),
}

impl<'a> Resolved<'a> {
    /// The communes a filter should use; empty when unresolved.
    pub fn communes(&self) -> Vec<&'a Commune> {
        match self {
            Resolved::One(c) => vec![*c],
            Resolved::Several(v) => v.clone(),
            Resolved::Unresolved(_) => Vec::new(),
        }
    }
}

/// How many candidates an unresolved input lists.
pub const MAX_CANDIDATES: usize = 8;

/// Whether `a` and `b` differ by at most one edit (insertion, deletion, substitution or the
/// swap of two neighbours).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // Folded names are ASCII: compare bytes, without allocating (this runs for every
        // commune name on a lookup).
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_edit(&a, &b)
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    if ra.is_empty() && rb.is_empty() {
        return true;
    }
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Less => ra == &rb[1..],
        std::cmp::Ordering::Greater => &ra[1..] == rb,
    }
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
    /// Every folded name with its spaces removed (« heninbeaumont »), for the forgiving scan.
    names: Vec<NameEntry>,
    /// Indices into `names`, sorted by `flat`: the names a prefix starts are one range.
    by_flat: Vec<usize>,
    /// Indices into `names` (increasing) by the number of characters of `flat` and its
    /// first, and its last, character: a name one edit away from what was typed is at most
    /// one character longer or shorter, and for three characters or more, keeps its first
    /// character (the edit is further on) or its last one (the edit is at the start).
    by_first: HashMap<(usize, char), Vec<usize>>,
    by_last: HashMap<(usize, char), Vec<usize>>,
}

#[derive(Debug, Clone)]
struct NameEntry {
    key: String,
    flat: String,
    idx: Vec<usize>,
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
        let mut names: Vec<NameEntry> = by_name
            .iter()
            .map(|(key, idx)| NameEntry {
                key: key.clone(),
                flat: key.chars().filter(|c| *c != ' ').collect(),
                idx: idx.clone(),
            })
            .collect();
        names.sort_by(|a, b| a.key.cmp(&b.key));
        let mut by_flat: Vec<usize> = (0..names.len()).collect();
        by_flat.sort_by(|&a, &b| names[a].flat.cmp(&names[b].flat));
        let mut by_first: HashMap<(usize, char), Vec<usize>> = HashMap::new();
        let mut by_last: HashMap<(usize, char), Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let len = n.flat.chars().count();
            if let (Some(first), Some(last)) = (n.flat.chars().next(), n.flat.chars().last()) {
                by_first.entry((len, first)).or_default().push(i);
                by_last.entry((len, last)).or_default().push(i);
            }
        }
        Communes {
            millesime,
            communes,
            epci,
            by_code,
            by_postcode,
            by_name,
            names,
            by_flat,
            by_first,
            by_last,
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

    /// Resolves what a visitor typed — INSEE code, postal code or name — forgivingly: accents,
    /// case, hyphens and spaces, « st »/« ste », a unique prefix (« boulogne », « calai ») and
    /// one typo (« lievn ») all find the commune; a shared postal code gives all its communes.
    pub fn resolve(&self, input: &str) -> Resolved<'_> {
        let input = input.trim();
        if input.len() == 5 && input.bytes().all(|b| b.is_ascii_digit()) {
            let hits: Vec<&Commune> = match self.by_postcode.get(input) {
                Some(v) => v.iter().map(|&i| &self.communes[i]).collect(),
                None => self.commune(input).into_iter().collect(),
            };
            return match hits.as_slice() {
                [] => Resolved::Unresolved(Vec::new()),
                [one] => Resolved::One(one),
                _ => Resolved::Several(hits),
            };
        }
        let key = name_key(input);
        if key.is_empty() {
            return Resolved::Unresolved(Vec::new());
        }
        let pick = |idx: Vec<usize>| -> Vec<&Commune> {
            let mut v: Vec<&Commune> = idx.into_iter().map(|i| &self.communes[i]).collect();
            v.sort_by(|a, b| a.nom.len().cmp(&b.nom.len()).then(a.nom.cmp(&b.nom)));
            v
        };
        if let Some(exact) = self.by_name.get(&key) {
            return match exact.as_slice() {
                [one] => Resolved::One(&self.communes[*one]),
                many => Resolved::Unresolved(pick(many.to_vec())),
            };
        }
        // Glued or spaced forms compare without spaces (« henin beaumont », « heninbeaumont »).
        // A prefix resolves when it ends on a word of the name (« boulogne », « henin ») or
        // lacks one letter (« calai »); a looser prefix (« lille » for Lillers) only suggests.
        let squeezed: String = key.chars().filter(|c| *c != ' ').collect();
        let mut prefix = Vec::new();
        let mut loose = Vec::new();
        let mut typo = Vec::new();
        // The names that start with what was typed: one range of `by_flat`.
        let from = self
            .by_flat
            .partition_point(|&i| self.names[i].flat.as_str() < squeezed.as_str());
        let starts = self.by_flat[from..]
            .iter()
            .map(|&i| &self.names[i])
            .take_while(|n| n.flat.starts_with(&squeezed));
        for NameEntry {
            key: name,
            flat,
            idx,
        } in starts
        {
            let word_end = name.starts_with(&key) && name[key.len()..].starts_with(' ');
            if *flat == squeezed
                || (squeezed.len() >= 3 && (word_end || flat.len() == squeezed.len() + 1))
            {
                prefix.extend(idx.iter().copied());
            } else if squeezed.len() >= 3 {
                loose.extend(idx.iter().copied());
            }
        }
        // One typo: only names of one character more, as many, or one less.
        let chars = squeezed.chars().count();
        if chars >= 4 {
            for i in self.one_edit_names(&squeezed) {
                let NameEntry { flat, idx, .. } = &self.names[i];
                // Names that start with it were taken above (as prefixes or loose ones).
                if !flat.starts_with(&squeezed) {
                    typo.extend(idx.iter().copied());
                }
            }
        }
        for found in [prefix, typo] {
            match found.as_slice() {
                [] => continue,
                [one] => return Resolved::One(&self.communes[*one]),
                _ => {
                    let mut v = pick(found);
                    v.truncate(MAX_CANDIDATES);
                    return Resolved::Unresolved(v);
                }
            }
        }
        let mut v = pick(loose);
        v.truncate(MAX_CANDIDATES);
        Resolved::Unresolved(v)
    }

    /// The names one edit away from `squeezed` (at least four characters), by length then in
    /// name order: only those of the same length give or take one, and the same first or
    /// last character, are compared.
    fn one_edit_names(&self, squeezed: &str) -> Vec<usize> {
        let chars = squeezed.chars().count();
        let (Some(first), Some(last)) = (squeezed.chars().next(), squeezed.chars().last()) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for len in chars.saturating_sub(1)..=chars + 1 {
            let from = found.len();
            let same_first = self.by_first.get(&(len, first)).into_iter().flatten();
            // Those of the same first character are in the first list already.
            let same_last = self.by_last.get(&(len, last)).into_iter().flatten();
            found.extend(
                same_first
                    .chain(same_last.filter(|&&i| !self.names[i].flat.starts_with(first)))
                    .copied()
                    .filter(|&i| within_one_edit(&self.names[i].flat, squeezed)),
            );
            found[from..].sort_unstable();
        }
        found
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The names one edit away found through the first- and last-character buckets are those
    /// a scan of every name finds, in the same order, for one-edit variants (at the start,
    /// the second place, the middle and the end) of names of the shipped communes.
    #[test]
    fn buckets_find_what_a_full_scan_finds() {
        let data = crate::data::shipped();
        let communes = &data.communes;
        let scan = |typed: &str| -> Vec<usize> {
            let chars = typed.chars().count();
            let mut found: Vec<(usize, usize)> = (0..communes.names.len())
                .map(|i| (communes.names[i].flat.chars().count(), i))
                .filter(|&(len, i)| {
                    len.abs_diff(chars) <= 1 && within_one_edit(&communes.names[i].flat, typed)
                })
                .collect();
            found.sort_unstable();
            found.into_iter().map(|(_, i)| i).collect()
        };
        let mut compared = 0;
        let mut found = 0;
        for entry in communes.names.iter().step_by(7) {
            let name: Vec<char> = entry.flat.chars().collect();
            let n = name.len();
            let mut variants = Vec::new();
            for at in [0, 1, n / 2, n.saturating_sub(1)] {
                if at >= n {
                    continue;
                }
                let mut v = name.clone();
                v.remove(at);
                variants.push(v);
                for c in ['x', 'e'] {
                    let mut v = name.clone();
                    v[at] = c;
                    variants.push(v.clone());
                    v.insert(at, c);
                    variants.push(v);
                }
                if at + 1 < n {
                    let mut v = name.clone();
                    v.swap(at, at + 1);
                    variants.push(v);
                }
            }
            for v in variants {
                let typed: String = v.into_iter().collect();
                if typed.chars().count() < 4 {
                    continue;
                }
                let expected = scan(&typed);
                assert_eq!(communes.one_edit_names(&typed), expected, "{typed}");
                compared += 1;
                found += usize::from(!expected.is_empty());
            }
        }
        assert!(compared > 1000 && found > 1000, "{compared} {found}");
    }

    fn communes() -> Communes {
        let c = |code: &str, nom: &str, cp: &[&str], epci: &str| Commune {
            code: code.into(),
            nom: nom.into(),
            codes_postaux: cp.iter().map(|s| s.to_string()).collect(),
            epci: Some(epci.into()),
        };
        Communes::new(
            None,
            vec![
                c("62160", "Boulogne-sur-Mer", &["62200"], "e1"),
                c("62193", "Calais", &["62100"], "e2"),
                c("62427", "Hénin-Beaumont", &["62110"], "e3"),
                c("62510", "Liévin", &["62800"], "e4"),
                c("62498", "Lens", &["62300"], "e4"),
                c("62250", "Éleu-dit-Leauwette", &["62300"], "e4"),
                c("62765", "Saint-Omer", &["62500"], "e5"),
                c("62888", "Saint-Martin-lez-Tatinghem", &["62500"], "e5"),
            ],
            Vec::new(),
        )
    }

    fn code(r: Resolved) -> String {
        match r {
            Resolved::One(c) => c.code.clone(),
            other => panic!("not one commune: {other:?}"),
        }
    }

    #[test]
    fn names_resolve_forgivingly() {
        let c = communes();
        assert_eq!(code(c.resolve("boulogne")), "62160", "prefix");
        assert_eq!(code(c.resolve("calai")), "62193", "prefix as you type");
        assert_eq!(code(c.resolve("henin")), "62427");
        assert_eq!(
            code(c.resolve("HENIN BEAUMONT")),
            "62427",
            "spaces, case, accents"
        );
        assert_eq!(code(c.resolve("heninbeaumont")), "62427", "glued");
        assert_eq!(code(c.resolve("st omer")), "62765", "st for saint");
        assert_eq!(code(c.resolve("lievn")), "62510", "one typo");
        assert_eq!(code(c.resolve("lievni")), "62510", "two letters swapped");
        assert_eq!(code(c.resolve("62800")), "62510", "postal code");
        assert_eq!(code(c.resolve("62498")), "62498", "INSEE code");
    }

    #[test]
    fn a_shared_postal_code_gives_all_its_communes() {
        let c = communes();
        match c.resolve("62300") {
            Resolved::Several(v) => {
                let mut codes: Vec<&str> = v.iter().map(|c| c.code.as_str()).collect();
                codes.sort();
                assert_eq!(codes, ["62250", "62498"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_or_ambiguous_input_lists_candidates() {
        let c = communes();
        match c.resolve("boulo") {
            Resolved::Unresolved(v) => assert_eq!(v[0].code, "62160", "a loose prefix suggests"),
            other => panic!("{other:?}"),
        }
        match c.resolve("saint") {
            Resolved::Unresolved(v) => assert_eq!(v.len(), 2, "both Saint- communes"),
            other => panic!("{other:?}"),
        }
        assert_eq!(c.resolve("paris"), Resolved::Unresolved(Vec::new()));
        assert_eq!(c.resolve("75001"), Resolved::Unresolved(Vec::new()));
        assert_eq!(c.resolve("  "), Resolved::Unresolved(Vec::new()));
    }

    #[test]
    fn one_edit_is_exact() {
        assert!(within_one_edit("lievin", "lievn"));
        assert!(within_one_edit("lievin", "lievim"));
        assert!(within_one_edit("lievin", "lievins"));
        assert!(within_one_edit("lievin", "ilevin"));
        assert!(!within_one_edit("lievin", "lvn"));
        assert!(!within_one_edit("calais", "lens"));
    }

    /// The linear scan `resolve` did before its names were indexed by prefix and length.
    fn resolve_by_scan<'a>(c: &'a Communes, input: &str) -> Vec<&'a str> {
        let key = name_key(input);
        if let Some(exact) = c.by_name.get(&key) {
            let mut names: Vec<&str> = exact.iter().map(|&i| c.communes[i].nom.as_str()).collect();
            names.sort();
            return names;
        }
        let squeezed: String = key.chars().filter(|c| *c != ' ').collect();
        let (mut prefix, mut loose, mut typo) = (Vec::new(), Vec::new(), Vec::new());
        for NameEntry {
            key: name,
            flat,
            idx,
        } in &c.names
        {
            let word_end = name.starts_with(&key) && name[key.len()..].starts_with(' ');
            if *flat == squeezed
                || (squeezed.len() >= 3
                    && flat.starts_with(&squeezed)
                    && (word_end || flat.len() == squeezed.len() + 1))
            {
                prefix.extend(idx.iter().copied());
            } else if squeezed.len() >= 3 && flat.starts_with(&squeezed) {
                loose.extend(idx.iter().copied());
            } else if squeezed.chars().count() >= 4 && within_one_edit(flat, &squeezed) {
                typo.extend(idx.iter().copied());
            }
        }
        let found = [prefix, typo, loose].into_iter().find(|v| !v.is_empty());
        let mut names: Vec<&str> = found
            .unwrap_or_default()
            .into_iter()
            .map(|i| c.communes[i].nom.as_str())
            .collect();
        names.sort();
        names
    }

    fn names_of(r: Resolved<'_>) -> Vec<&str> {
        let mut v: Vec<&str> = match r {
            Resolved::One(c) => vec![c.nom.as_str()],
            Resolved::Several(v) | Resolved::Unresolved(v) => {
                v.into_iter().map(|c| c.nom.as_str()).collect()
            }
        };
        v.sort();
        v
    }

    /// On every shipped commune, its prefixes and its one-letter typos, the indexed lookup
    /// finds what the scan found (candidates lists are cut at `MAX_CANDIDATES` in both).
    #[test]
    fn indexed_names_resolve_as_the_scan_did() {
        let c = crate::data::shipped().communes;
        assert!(c.len() > 800);
        let mut inputs = Vec::new();
        for e in &c.names {
            let k = &e.key;
            inputs.push(k.clone());
            for cut in [3, 4, 5, 7] {
                inputs.extend(k.get(..cut).map(str::to_owned));
            }
            let b = k.as_bytes();
            if b.len() > 4 {
                let mut swapped = b.to_vec();
                swapped.swap(1, 2);
                let mut dropped = b.to_vec();
                dropped.remove(b.len() / 2);
                let mut changed = b.to_vec();
                changed[0] = b'x';
                for v in [swapped, dropped, changed] {
                    inputs.extend(String::from_utf8(v).ok());
                }
            }
        }
        let mut compared = 0;
        for input in &inputs {
            let mut expected = resolve_by_scan(&c, input);
            let got = names_of(c.resolve(input));
            if expected.len() > MAX_CANDIDATES {
                assert_eq!(got.len(), MAX_CANDIDATES, "{input}");
                expected.retain(|n| got.contains(n));
            }
            assert_eq!(got, expected, "{input}");
            compared += 1;
        }
        assert!(compared > 5_000, "{compared}");
    }
}
