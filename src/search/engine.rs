//! The engine's life cycle: a data set with its index, vocabulary and per-scheme word sets,
//! built in memory or opened from `index/`, swapped whole on reload.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy};

use super::index;
use super::lexicon::SchemeTexts;
use super::query::{self, FilterTable, Impacts, Lookup};
use super::schema::Fields;
use super::themes::ThemeTable;
use super::vocab::Vocabulary;
use super::{SearchError, Shown};
use crate::data::Dataset;
use crate::scheme::Scheme;

/// A data set with its index: what a running server swaps whole on reload.
pub struct Engine {
    pub data: Arc<Dataset>,
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    pub(super) vocab: Vocabulary,
    /// Glued names and aliases of every scheme, sorted (for name completions).
    pub(super) name_keys: Vec<String>,
    /// Each scheme's words and stems (coverage) and description tokens (excerpts), same
    /// order as `data.schemes`.
    pub(super) texts: SchemeTexts,
    /// Position in `data.schemes` of each document, by segment (the reader never reloads:
    /// a new data version is a new engine).
    ranks: Vec<Vec<u32>>,
    /// Each document's themes, for the counts per theme.
    pub(super) themes: Arc<ThemeTable>,
    /// The scoring fields' BM25 impacts, when the index is small enough to hold them.
    pub(super) impacts: Option<Arc<Impacts>>,
    /// The filters' sets of documents, when the index is small enough to hold them.
    pub(super) filter_table: Option<FilterTable>,
    /// Each scheme's texts for display, computed when it is first a result.
    shown: Vec<OnceLock<Box<Shown>>>,
    /// Whether opening needed a (re)build.
    pub rebuilt: bool,
    /// Whether the index lives in memory because `index/` could not be used.
    pub memory_fallback: bool,
}

/// Runs `index` (build or open) while another thread analyses the schemes' texts: the two
/// are independent, and each takes a good part of a large data set's build time.
fn beside_texts<T>(
    data: &Dataset,
    index: impl FnOnce() -> Result<T, SearchError>,
) -> Result<(T, SchemeTexts), SearchError> {
    std::thread::scope(|s| {
        let texts = s.spawn(|| SchemeTexts::build(&data.schemes));
        let index = index();
        let texts = texts.join().map_err(|_| SearchError::Texts)?;
        Ok((index?, texts))
    })
}

impl Engine {
    /// Builds the index in memory.
    pub fn in_ram(data: Dataset) -> Result<Engine, SearchError> {
        let ((index, fields), texts) = beside_texts(&data, || index::build_in_ram(&data))?;
        Engine::new(data, index, fields, index::Opened::Built, texts)
    }

    /// Opens `root`'s index for this data version or rebuilds it there.
    pub fn on_disk(data: Dataset, root: &Path) -> Result<Engine, SearchError> {
        let ((index, fields, opened), texts) =
            beside_texts(&data, || index::open_or_build(root, &data))?;
        Engine::new(data, index, fields, opened, texts)
    }

    fn new(
        data: Dataset,
        index: Index,
        fields: Fields,
        opened: index::Opened,
        texts: SchemeTexts,
    ) -> Result<Engine, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let mut stems = fields.stem_fields().to_vec();
        stems.push(fields.description);
        let vocab = Vocabulary::build(&searcher, &fields.exact_fields(), &stems)?;
        let mut name_keys: Vec<String> = data
            .schemes
            .iter()
            .flat_map(|s| std::iter::once(&s.nom).chain(s.alias.iter()))
            .map(|n| index::name_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        name_keys.sort();
        name_keys.dedup();
        let mut ranks = Vec::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("name_rank")?;
            ranks.push(
                (0..segment.max_doc())
                    .map(|d| column.first(d).map_or(u32::MAX, |r| r as u32))
                    .collect(),
            );
        }
        let themes = Arc::new(ThemeTable::build(&data.schemes, &ranks));
        let impacts = Impacts::build(&searcher, &query::scoring_fields(&fields))?.map(Arc::new);
        let filter_table = FilterTable::build(&searcher, &fields)?;
        let shown = std::iter::repeat_with(OnceLock::new)
            .take(data.schemes.len())
            .collect();
        Ok(Engine {
            shown,
            data: Arc::new(data),
            index,
            reader,
            fields,
            vocab,
            name_keys,
            texts,
            ranks,
            themes,
            impacts,
            filter_table,
            rebuilt: opened != index::Opened::Reused,
            memory_fallback: opened == index::Opened::MemoryFallback,
        })
    }

    /// What building a query looks terms up in.
    pub(super) fn lookup(&self) -> Lookup<'_> {
        Lookup {
            fields: &self.fields,
            vocab: &self.vocab,
            name_keys: &self.name_keys,
        }
    }

    /// Whether searches score from precomputed impacts and filter from precomputed sets (a
    /// small index) rather than with tantivy's term, range and filter queries.
    pub fn has_precomputed(&self) -> bool {
        self.impacts.is_some() && self.filter_table.is_some()
    }

    /// The same engine scoring and filtering with tantivy's own queries (to check that the
    /// precomputed impacts and filter sets change no result).
    #[doc(hidden)]
    pub fn without_precomputed(mut self) -> Engine {
        self.impacts = None;
        self.filter_table = None;
        self
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The position in `data.schemes` of the scheme indexed at `addr`.
    pub(super) fn rank_of(&self, addr: DocAddress) -> usize {
        self.ranks
            .get(addr.segment_ord as usize)
            .and_then(|r| r.get(addr.doc_id as usize))
            .map_or(usize::MAX, |&r| r as usize)
    }

    pub(super) fn scheme_of_rank(&self, rank: usize) -> Result<&Scheme, SearchError> {
        self.data
            .schemes
            .get(rank)
            .ok_or_else(|| unknown_rank(rank))
    }

    /// The display texts of the scheme at `rank`, computed the first time they are asked.
    pub(super) fn shown_of_rank(&self, rank: usize) -> Result<&Shown, SearchError> {
        let scheme = self.scheme_of_rank(rank)?;
        let cell = self.shown.get(rank).ok_or_else(|| unknown_rank(rank))?;
        Ok(cell.get_or_init(|| Box::new(Shown::of(scheme))))
    }
}

fn unknown_rank(rank: usize) -> SearchError {
    SearchError::Tantivy(tantivy::TantivyError::InternalError(format!(
        "rang inconnu {rank}"
    )))
}
