//! Running a search: plan, query, one pass for the page and the counts per theme,
//! re-ranking, snippets; and the suggestions under the search box.

use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Order};

use super::query;
use super::ranking::RERANK_WINDOW;
use super::snippet::Highlighter;
use super::themes::ThemeCounter;
use super::{Engine, Hit, Results, SearchError, SearchRequest, Sort};
use crate::scheme::{Availability, Scheme};

impl Engine {
    /// Runs a search: relevance (or name) order, filters, counts per theme, snippets.
    pub fn search(&self, req: &SearchRequest) -> Result<Results<'_>, SearchError> {
        let searcher = self.reader.searcher();
        let plan = query::plan(&req.text, &self.vocab, &self.data.synonyms);
        if plan.is_empty() && !req.text.trim().is_empty() {
            // Only symbols or emoji: nothing to search, and no wildcard either.
            return Ok(Results::empty());
        }
        let scoring = query::scoring_query(&self.lookup(), &plan);
        let full = self.full_query(&searcher, scoring.as_deref(), &req.filters, true);
        let limit = req.limit.max(1);
        let sort = if scoring.is_none() {
            Sort::Name
        } else {
            req.sort
        };
        // Without a theme filter, the counts per theme come from the same pass.
        let facets = req
            .filters
            .themes
            .is_empty()
            .then(|| ThemeCounter(self.themes.clone()));
        let (addresses, total, counts) = match sort {
            Sort::Relevance => {
                let window = (req.offset + limit).max(RERANK_WINDOW);
                let top = TopDocs::with_limit(window).order_by_score();
                let (docs, total, counts) = searcher.search(&*full, &(top, Count, facets))?;
                let page = self.rerank(&plan, docs, req, limit)?;
                (page, total, counts)
            }
            Sort::Name => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_u64_field("name_rank", Order::Asc);
                let (docs, total, counts) = searcher.search(&*full, &(top, Count, facets))?;
                let page: Vec<(f32, DocAddress)> =
                    docs.into_iter().map(|(_, a)| (0.0, a)).collect();
                (page, total, counts)
            }
        };
        let counts = match counts {
            Some(counts) => counts,
            None => {
                let unthemed = self.full_query(&searcher, scoring.as_deref(), &req.filters, false);
                searcher.search(&*unthemed, &ThemeCounter(self.themes.clone()))?
            }
        };
        let theme_counts = self.themes.named(&counts);
        let snippets = (req.snippets && !plan.is_empty())
            .then(|| Highlighter::new(&plan, &self.texts.lexicon));
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, addr) in addresses {
            let rank = self.rank_of(addr);
            let scheme = self.scheme_of_rank(rank)?;
            let snippet_html = snippets.as_ref().and_then(|h| {
                let (text, tokens) = self.texts.description(rank, scheme);
                h.html(text, &tokens)
            });
            hits.push(Hit {
                scheme,
                score,
                snippet_html,
            });
        }
        Ok(Results {
            total,
            hits,
            theme_counts,
            did_you_mean: plan.corrected(),
            words_without_match: plan.words_without_match(),
        })
    }

    /// Schemes for the suggestion list under the search box (as you type): never a scheme
    /// closed or whose campaign is over on `today`, which the list could not mark as such.
    pub fn suggest(
        &self,
        text: &str,
        limit: usize,
        today: time::Date,
    ) -> Result<Vec<&Scheme>, SearchError> {
        // A blank box suggests nothing (a blank search would list everything); text without
        // searchable words already gets no result from `search`.
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        // The whole re-ranked window: closed schemes left out, the list still fills up.
        let req = SearchRequest {
            text: text.to_owned(),
            limit: limit.max(RERANK_WINDOW),
            ..SearchRequest::new(today)
        };
        Ok(self
            .search(&req)?
            .hits
            .into_iter()
            .map(|h| h.scheme)
            .filter(|s| {
                !matches!(
                    s.availability(today),
                    Availability::Closed | Availability::CampaignOver
                )
            })
            .take(limit)
            .collect())
    }
}
