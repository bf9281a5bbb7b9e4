//! The index schema and the `Fields` handles kept instead of looking fields up by name.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};

use super::analyzer::{FOLDED, STEMMED};

/// Handles to every field of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// Name and aliases, folded, not stemmed.
    pub name_exact: Field,
    /// Name and aliases, stemmed.
    pub name_stem: Field,
    /// Keywords, folded.
    pub kw_exact: Field,
    /// Keywords, stemmed.
    pub kw_stem: Field,
    /// Summary, stemmed.
    pub summary_stem: Field,
    /// Summary, description and the rest of the text, folded.
    pub body_exact: Field,
    /// Description, stemmed (excerpts are cut from the in-memory data, not stored here).
    pub description: Field,
    /// Advantages, conditions, steps, carrier, themes: stemmed.
    pub details_stem: Field,
    /// Whole name and aliases with their words glued (« sacados »), for the exact-name bonus.
    pub name_key: Field,
    pub theme: Field,
    pub public: Field,
    /// `all`, `epci:<siren>` or `commune:<insee>`.
    pub territory: Field,
    pub age_min: Field,
    pub age_max: Field,
    /// Position of the scheme in the data set's name order: the browse sort and the key back
    /// to the in-memory scheme.
    pub name_rank: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqs);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        name_exact: b.add_text_field("name_exact", text(FOLDED, false)),
        name_stem: b.add_text_field("name_stem", text(STEMMED, false)),
        kw_exact: b.add_text_field("kw_exact", text(FOLDED, false)),
        kw_stem: b.add_text_field("kw_stem", text(STEMMED, false)),
        summary_stem: b.add_text_field("summary_stem", text(STEMMED, false)),
        body_exact: b.add_text_field("body_exact", text(FOLDED, false)),
        description: b.add_text_field("description", text(STEMMED, false)),
        details_stem: b.add_text_field("details_stem", text(STEMMED, false)),
        name_key: b.add_text_field("name_key", STRING),
        theme: b.add_facet_field("theme", FacetOptions::default()),
        public: b.add_text_field("public", STRING),
        territory: b.add_text_field("territory", STRING),
        age_min: b.add_u64_field("age_min", num.clone()),
        age_max: b.add_u64_field("age_max", num.clone()),
        name_rank: b.add_u64_field("name_rank", num),
    };
    (b.build(), fields)
}

impl Fields {
    /// Rebuilds the handles from an opened index's schema (same names as `build`).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            name_exact: f("name_exact")?,
            name_stem: f("name_stem")?,
            kw_exact: f("kw_exact")?,
            kw_stem: f("kw_stem")?,
            summary_stem: f("summary_stem")?,
            body_exact: f("body_exact")?,
            description: f("description")?,
            details_stem: f("details_stem")?,
            name_key: f("name_key")?,
            theme: f("theme")?,
            public: f("public")?,
            territory: f("territory")?,
            age_min: f("age_min")?,
            age_max: f("age_max")?,
            name_rank: f("name_rank")?,
        })
    }

    /// The folded fields whose terms make the vocabulary for typos, prefixes and splits,
    /// with the weight of a word found there.
    pub fn exact_fields(&self) -> [(Field, u32); 3] {
        let [name, keywords, body] = super::ranking::VOCABULARY_WEIGHTS;
        [
            (self.name_exact, name),
            (self.kw_exact, keywords),
            (self.body_exact, body),
        ]
    }

    /// The stemmed fields.
    pub fn stem_fields(&self) -> [Field; 4] {
        [
            self.name_stem,
            self.kw_stem,
            self.summary_stem,
            self.details_stem,
        ]
    }
}
