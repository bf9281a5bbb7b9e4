//! Re-ranking of the first results: by the share of typed words each covers (Meilisearch's
//! first rule, softened) and by whether the scheme can be used on the day of the search.

use tantivy::DocAddress;

use super::analyzer;
use super::lexicon::Lexicon;
use super::query::{Alt, Plan};
use super::ranking;
use super::{Engine, SearchError, SearchRequest};

/// Every form each slot of the plan may match in a scheme's words (its alternatives' words
/// and their stems), slot by slot, as lexicon numbers (a form no scheme has is left out).
pub(super) fn slot_forms(plan: &Plan, lexicon: &Lexicon) -> Vec<Vec<u32>> {
    plan.slots
        .iter()
        .map(|slot| {
            let mut forms = Vec::new();
            for (alt, _) in &slot.alts {
                let ws: Vec<&String> = match alt {
                    Alt::Word(w) => vec![w],
                    Alt::Words(ws) => ws.iter().collect(),
                };
                for w in ws {
                    forms.extend(lexicon.id(w));
                    forms.extend(analyzer::stem(w).and_then(|s| lexicon.id(&s)));
                }
            }
            forms
        })
        .collect()
}

/// The forms of the plan's typed slots, sorted, each with the typed slots it stands for
/// (bit `k` = the `k`-th typed slot), and how many slots are typed.
fn typed_forms(plan: &Plan, forms: &[Vec<u32>]) -> (Vec<(u32, u32)>, u32) {
    const _: () = assert!(ranking::MAX_WORDS <= 32, "one bit per typed slot");
    let mut typed = 0;
    let mut all: Vec<(u32, u32)> = Vec::new();
    for (slot, slot_forms) in plan.slots.iter().zip(forms) {
        if slot.typed.is_empty() {
            continue;
        }
        all.extend(slot_forms.iter().map(|&f| (f, 1 << typed)));
        typed += 1;
    }
    all.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(all.len());
    for (form, bit) in all {
        match merged.last_mut() {
            Some((f, bits)) if *f == form => *bits |= bit,
            _ => merged.push((form, bit)),
        }
    }
    (merged, typed)
}

/// Share of the plan's typed words that a scheme's words (sorted, increasing) cover (1.0
/// when nothing is typed): the words are read until the last typed form.
fn coverage(typed_forms: &[(u32, u32)], typed: u32, words: impl Iterator<Item = u32>) -> f32 {
    if typed == 0 {
        return 1.0;
    }
    let mut covered = 0u32;
    let mut next = 0;
    for word in words {
        while next < typed_forms.len() && typed_forms[next].0 < word {
            next += 1;
        }
        match typed_forms.get(next) {
            None => break,
            Some(&(form, bits)) if form == word => covered |= bits,
            Some(_) => {}
        }
    }
    share(covered, typed)
}

/// The share of `typed` slots that the slot bits `covered` hold (1.0 when nothing is typed).
fn share(covered: u32, typed: u32) -> f32 {
    if typed == 0 {
        return 1.0;
    }
    covered.count_ones() as f32 / typed as f32
}

impl Engine {
    /// Re-ranks `docs` by coverage and status, then cuts the requested page.
    pub(super) fn rerank(
        &self,
        plan: &Plan,
        docs: Vec<(f32, DocAddress)>,
        req: &SearchRequest,
        limit: usize,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let forms = slot_forms(plan, &self.texts.lexicon);
        let (typed_forms, typed) = typed_forms(plan, &forms);
        // A small catalogue gives every scheme's covered slots at once from the typed forms.
        let slots = self.texts.covered_slots(&typed_forms);
        let mut scored = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let rank = self.rank_of(addr);
            let covered = match slots.as_ref().and_then(|s| s.get(rank)) {
                Some(&bits) => share(bits, typed),
                None => coverage(&typed_forms, typed, self.texts.words(rank)),
            };
            let status = self
                .data
                .schemes
                .get(rank)
                .map(|s| ranking::status_factor(s.availability(req.today)))
                .unwrap_or(1.0);
            scored.push((score * ranking::coverage_factor(covered) * status, addr));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(scored.into_iter().skip(req.offset).take(limit).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query;

    /// The share of typed slots having a form among the scheme's words, computed plainly.
    fn plain_coverage(plan: &Plan, forms: &[Vec<u32>], words: &[u32]) -> f32 {
        let typed: Vec<usize> = (0..plan.slots.len())
            .filter(|&i| !plan.slots[i].typed.is_empty())
            .collect();
        if typed.is_empty() {
            return 1.0;
        }
        let covered = typed
            .iter()
            .filter(|&&i| forms[i].iter().any(|w| words.contains(w)))
            .count();
        covered as f32 / typed.len() as f32
    }

    /// Reading a scheme's words until the last typed form, and reading the typed forms'
    /// schemes (small catalogue), both give the plain share, for every scheme of the shipped
    /// data and queries of one to many words, typos and synonyms.
    #[test]
    fn coverage_is_the_share_of_typed_slots_covered() {
        let data = crate::data::shipped();
        let engine = Engine::in_ram(data).expect("engine");
        let mut partial = 0;
        for text in [
            "",
            "vacances",
            "partir en vacances avec mes potes",
            "servise civik",
            "aide pour le permis de conduire",
            "stage 3eme college",
            "j'ai besoin de thune pour mes etudes",
            "bafa sport culture logement sante argent",
        ] {
            let plan = query::plan(text, &engine.vocab, &engine.data.synonyms);
            let forms = slot_forms(&plan, &engine.texts.lexicon);
            let (typed_forms, typed) = typed_forms(&plan, &forms);
            let slots = engine
                .texts
                .covered_slots(&typed_forms)
                .expect("a small catalogue keeps each form's schemes");
            assert_eq!(slots.len(), engine.data.schemes.len());
            for (rank, &covered) in slots.iter().enumerate() {
                let words: Vec<u32> = engine.texts.words(rank).collect();
                let expected = plain_coverage(&plan, &forms, &words);
                let got = coverage(&typed_forms, typed, words.iter().copied());
                assert_eq!(got.to_bits(), expected.to_bits(), "« {text} », rang {rank}");
                let inverted = share(covered, typed);
                assert_eq!(
                    inverted.to_bits(),
                    expected.to_bits(),
                    "« {text} », rang {rank}"
                );
                partial += usize::from(expected > 0.0 && expected < 1.0);
            }
        }
        assert!(
            partial > 20,
            "some schemes cover part of a query: {partial}"
        );
    }
}
