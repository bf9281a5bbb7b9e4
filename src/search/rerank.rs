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

/// Share of the plan's typed words that a scheme's words (sorted) cover (1.0 when nothing
/// typed).
fn coverage(plan: &Plan, forms: &[Vec<u32>], words: &[u32]) -> f32 {
    let typed: Vec<usize> = (0..plan.slots.len())
        .filter(|&i| !plan.slots[i].typed.is_empty())
        .collect();
    if typed.is_empty() {
        return 1.0;
    }
    let covered = typed
        .iter()
        .filter(|&&i| forms[i].iter().any(|w| words.binary_search(w).is_ok()))
        .count();
    covered as f32 / typed.len() as f32
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
        let mut scored = Vec::with_capacity(docs.len());
        let mut words = Vec::new();
        for (score, addr) in docs {
            let rank = self.rank_of(addr);
            self.texts.words(rank, &mut words);
            let covered = coverage(plan, &forms, &words);
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
