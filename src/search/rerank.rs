//! Re-ranking of the first results: by the share of typed words each covers (Meilisearch's
//! first rule, softened) and by whether the scheme can be used on the day of the search.

use std::collections::HashSet;

use tantivy::{DocAddress, Searcher};

use super::analyzer;
use super::query::{Alt, Plan};
use super::ranking;
use super::{Engine, SearchError, SearchRequest};
use crate::scheme::Scheme;
use crate::text;

/// The folded words of every text of a scheme, and their stems.
pub(super) fn scheme_words(s: &Scheme) -> HashSet<String> {
    let mut out = HashSet::new();
    let texts = [&s.nom, &s.resume, &s.description, &s.porteur]
        .into_iter()
        .chain(&s.alias)
        .chain(&s.mots_cles)
        .chain(&s.avantages)
        .chain(&s.conditions)
        .chain(&s.demarches);
    for t in texts {
        out.extend(text::words(t));
    }
    let stems: Vec<String> = out.iter().filter_map(|w| analyzer::stem(w)).collect();
    out.extend(stems);
    out
}

/// Every form each slot of the plan may match in a scheme's words (its alternatives' words
/// and their stems), slot by slot.
pub(super) fn slot_forms(plan: &Plan) -> Vec<Vec<String>> {
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
                    forms.push(w.clone());
                    forms.extend(analyzer::stem(w));
                }
            }
            forms
        })
        .collect()
}

/// Share of the plan's typed words that a scheme's words cover (1.0 when nothing typed).
fn coverage(plan: &Plan, forms: &[Vec<String>], words: &HashSet<String>) -> f32 {
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

impl Engine {
    /// Re-ranks `docs` by coverage and status, then cuts the requested page.
    pub(super) fn rerank(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        docs: Vec<(f32, DocAddress)>,
        req: &SearchRequest,
        limit: usize,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let forms = slot_forms(plan);
        let mut scored = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let rank = self.rank_of(searcher, addr)?;
            let covered = self
                .words
                .get(rank)
                .map(|w| coverage(plan, &forms, w))
                .unwrap_or(1.0);
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
