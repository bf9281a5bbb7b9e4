//! Query parameters checked against their own OpenAPI description: the bounds, defaults,
//! required flags and closed lists that utoipa's `IntoParams` derives from a query struct are
//! read back here and enforced, so the document and the parser cannot disagree.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::path::ParameterIn;
use utoipa::IntoParams;

use super::flat::{self, Field, Scalar};
use super::rule::{Kind, Rule};
use crate::data::Dataset;

/// The most problems one answer lists; the others are counted.
pub const MAX_MESSAGES: usize = 3;

/// The rules of a query struct, in the order the struct declares its fields.
#[derive(Debug, Clone)]
pub struct Rules(Vec<Rule>);

/// How a query string is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// HTML forms send untouched fields empty (`age=`) and users type spaces: values are
    /// trimmed and an empty value means the parameter is absent. The API takes exactly what
    /// the document says.
    pub lenient: bool,
    /// Defaults of this reader that differ from the documented ones (the pages show 20
    /// results where the API gives 100).
    pub defaults: &'static [(&'static str, i64)],
}

/// The JSON API: what the OpenAPI document says, nothing more.
pub const API: Policy = Policy {
    lenient: false,
    defaults: &[],
};

/// HTML forms whose defaults are the documented ones: untouched fields arrive empty and
/// mean « not given ».
pub const FORM: Policy = Policy {
    lenient: true,
    defaults: &[],
};

/// A query struct whose OpenAPI parameters are its parsing rules.
pub trait Contract: IntoParams + Serialize + DeserializeOwned {
    /// The rules, read once from the struct's documented parameters.
    fn rules() -> &'static Rules;

    /// Reads `raw` for a reader that goes on with what was valid: the struct (when refused,
    /// what could be read, or the defaults) and the refusal's French message, if any.
    fn parse_or_partial(
        raw: Option<&str>,
        data: &Dataset,
        policy: &Policy,
    ) -> (Self, Option<String>)
    where
        Self: Default,
    {
        match Self::rules().parse::<Self>(raw, data, policy) {
            Ok(q) => (q, None),
            Err(r) => {
                let message = r.message();
                (r.partial.unwrap_or_default(), Some(message))
            }
        }
    }
}

/// What a refused query string gives: the messages and what could be read.
#[derive(Debug, Clone)]
pub struct Rejected<T> {
    pub messages: Vec<String>,
    /// The struct built from the valid values alone, when it can be built.
    pub partial: Option<T>,
}

impl<T> Rejected<T> {
    /// The messages as one text: the first few, and how many others there are.
    pub fn message(&self) -> String {
        let mut text = self
            .messages
            .iter()
            .take(MAX_MESSAGES)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let more = self.messages.len().saturating_sub(MAX_MESSAGES);
        match more {
            0 => {}
            1 => text.push_str(" Et un autre problème."),
            n => text.push_str(&format!(" Et {n} autres problèmes.")),
        }
        text
    }
}

/// Key/value pairs of a query string; invalid percent-encoding decodes lossily.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

impl Rules {
    /// The rules of `T`'s documented query parameters.
    pub fn of<T: IntoParams>() -> Rules {
        Rules(
            T::into_params(|| Some(ParameterIn::Query))
                .iter()
                .map(|p| {
                    let doc = serde_json::to_value(p).unwrap_or_default();
                    Rule::from_doc(&doc).unwrap_or_else(|| {
                        panic!(
                            "parameter {} has a schema the parser cannot enforce",
                            p.name
                        )
                    })
                })
                .collect(),
        )
    }

    /// The same rules, with messages naming some parameters otherwise (`q` of
    /// `/api/communes` is a commune, not a search).
    pub fn labelled(mut self, labels: &[(&str, &'static str)]) -> Rules {
        for rule in &mut self.0 {
            if let Some((_, l)) = labels.iter().find(|(n, _)| *n == rule.name) {
                rule.label = l;
            }
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.0.iter().find(|r| r.name == name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.0.iter()
    }

    fn default_of(&self, rule: &Rule, policy: &Policy) -> Option<Value> {
        policy
            .defaults
            .iter()
            .find(|(name, _)| *name == rule.name)
            .map(|(_, v)| Value::from(*v))
            .or_else(|| rule.default.clone())
    }

    /// Reads a query string into `T`: unknown parameters are ignored; every known one is
    /// checked against its rule; absent ones take their documented default.
    pub fn parse<T: DeserializeOwned>(
        &self,
        raw: Option<&str>,
        data: &Dataset,
        policy: &Policy,
    ) -> Result<T, Rejected<T>> {
        let mut values: BTreeMap<&str, Value> = BTreeMap::new();
        let mut messages: Vec<String> = Vec::new();
        let mut refused: Vec<&str> = Vec::new();
        for (key, value) in pairs(raw) {
            let Some(rule) = self.get(&key) else {
                continue;
            };
            let value = if policy.lenient {
                value.trim()
            } else {
                value.as_str()
            };
            if policy.lenient && value.is_empty() {
                continue;
            }
            match rule.check(value, data) {
                Ok(v) if rule.repeated => {
                    let list = values
                        .entry(rule.name.as_str())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(items) = list {
                        if !items.contains(&v) {
                            items.push(v);
                        }
                    }
                }
                Ok(v) => {
                    if values.insert(rule.name.as_str(), v).is_some() {
                        refused.push(rule.name.as_str());
                        messages.push(format!("{} ne peut être donné qu’une fois.", rule.label()));
                    }
                }
                Err(m) => {
                    // A list keeps its valid values (a page shows them checked again).
                    if !rule.repeated {
                        refused.push(rule.name.as_str());
                    }
                    messages.push(m);
                }
            }
        }
        for name in &refused {
            values.remove(name);
        }
        let mut object = Map::new();
        for rule in &self.0 {
            match values.remove(rule.name.as_str()) {
                Some(v) => {
                    object.insert(rule.name.clone(), v);
                }
                None if rule.required && !refused.contains(&rule.name.as_str()) => {
                    messages.push(format!(
                        "{} est obligatoire (paramètre « {} »).",
                        rule.label(),
                        rule.name
                    ))
                }
                None => {
                    if let Some(d) = self.default_of(rule, policy) {
                        object.insert(rule.name.clone(), d);
                    }
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        messages.retain(|m| seen.insert(m.clone()));
        let object = Value::Object(object);
        // Read by reference: the error path below still needs the values.
        let built = T::deserialize(&object);
        match (built, messages.is_empty()) {
            (Ok(t), true) => Ok(t),
            (Ok(t), false) => Err(Rejected {
                messages,
                partial: Some(t),
            }),
            (Err(e), _) => {
                if messages.is_empty() {
                    // Only a struct that disagrees with its own description gets here; the
                    // tests parse every documented bound to keep it from happening.
                    tracing::error!(error = %e, "paramètres : la structure contredit sa description");
                    messages.push("Les paramètres de la demande sont incorrects.".to_owned());
                }
                // Rebuild what can be: required values that failed are simply absent.
                let partial = match object {
                    Value::Object(object) => self.partial(object),
                    _ => None,
                };
                Err(Rejected { messages, partial })
            }
        }
    }

    /// The struct of an empty query string: every parameter at its default, if that builds.
    pub fn defaults<T: DeserializeOwned>(&self, policy: &Policy) -> Option<T> {
        let object: Map<String, Value> = self
            .0
            .iter()
            .filter_map(|r| Some((r.name.clone(), self.default_of(r, policy)?)))
            .collect();
        serde_json::from_value(Value::Object(object)).ok()
    }

    /// Tries the struct with the missing required values left at their empty form.
    fn partial<T: DeserializeOwned>(&self, mut object: Map<String, Value>) -> Option<T> {
        for rule in &self.0 {
            object.entry(rule.name.clone()).or_insert_with(|| {
                if rule.repeated {
                    Value::Array(Vec::new())
                } else {
                    match rule.kind {
                        Kind::Text { .. } => Value::String(String::new()),
                        Kind::Integer { min, .. } => Value::from(min.unwrap_or(0)),
                    }
                }
            });
        }
        serde_json::from_value(Value::Object(object)).ok()
    }

    /// Whether `field` is the reader's default for `rule`.
    fn is_default(&self, rule: &Rule, policy: &Policy, field: &Field) -> bool {
        match policy.defaults.iter().find(|(name, _)| *name == rule.name) {
            Some((_, v)) => field.is(&Value::from(*v)),
            None => rule.default.as_ref().is_some_and(|d| field.is(d)),
        }
    }

    /// The query string of `value`: known parameters in declared order, values equal to the
    /// reader's default left out, lists repeated. Parsing it again gives `value` back.
    pub fn encode<T: Serialize>(&self, value: &T, policy: &Policy) -> String {
        let fields = match flat::fields(value) {
            Ok(fields) => fields,
            Err(e) => {
                // A query struct with a field of another shape: through a JSON document.
                tracing::debug!(error = %e, "paramètres écrits par un document JSON");
                return self.encode_json(value, policy);
            }
        };
        let mut out = form_urlencoded::Serializer::new(String::new());
        for rule in &self.0 {
            let Some((_, field)) = fields.iter().find(|(name, _)| *name == rule.name) else {
                continue;
            };
            if self.is_default(rule, policy, field) {
                continue;
            }
            let items = match field {
                Field::Absent => continue,
                Field::One(one) => std::slice::from_ref(one),
                Field::Many(items) => items.as_slice(),
            };
            for item in items {
                match item {
                    Scalar::Text(s) if s.is_empty() && !rule.required => {}
                    Scalar::Text(s) => {
                        out.append_pair(&rule.name, s);
                    }
                    Scalar::Integer(n) => {
                        out.append_pair(&rule.name, &n.to_string());
                    }
                    Scalar::Bool(b) => {
                        out.append_pair(&rule.name, if *b { "true" } else { "false" });
                    }
                }
            }
        }
        out.finish()
    }

    /// [`Rules::encode`] through `value`'s JSON document: for any serialisable struct.
    pub fn encode_json<T: Serialize>(&self, value: &T, policy: &Policy) -> String {
        let json = serde_json::to_value(value).unwrap_or_default();
        let mut out = form_urlencoded::Serializer::new(String::new());
        for rule in &self.0 {
            let v = &json[rule.name.as_str()];
            if v.is_null() || self.default_of(rule, policy).as_ref() == Some(v) {
                continue;
            }
            let items: Vec<&Value> = match v {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            for item in items {
                match item {
                    Value::String(s) if s.is_empty() && !rule.required => {}
                    Value::String(s) => {
                        out.append_pair(&rule.name, s);
                    }
                    other => {
                        out.append_pair(&rule.name, &other.to_string());
                    }
                }
            }
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// A toy endpoint with one parameter of each kind.
    #[derive(Debug, PartialEq, Serialize, Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    struct Toy {
        /// Required text.
        #[param(min_length = 1, max_length = 5)]
        nom: String,
        /// Bounded number with a default.
        #[param(required = false, minimum = 1, maximum = 10, default = 3)]
        page: u8,
        /// Optional number.
        #[param(minimum = 0, maximum = 120)]
        age: Option<u8>,
        /// A list from the data.
        #[serde(default)]
        theme: Vec<String>,
    }

    fn data() -> Dataset {
        Dataset {
            schemes: Vec::new(),
            themes: vec![crate::scheme::Category {
                slug: crate::scheme::Slug::parse("sport").unwrap(),
                libelle: "Sport".into(),
                description: String::new(),
            }],
            publics: Vec::new(),
            synonyms: Default::default(),
            communes: Default::default(),
            places: Vec::new(),
            place_types: Vec::new(),
            urgency: Default::default(),
            glossary: Default::default(),
            fingerprint: String::new(),
            warnings: Vec::new(),
        }
    }

    fn parse(raw: &str, policy: &Policy) -> Result<Toy, Vec<String>> {
        Rules::of::<Toy>()
            .parse(Some(raw), &data(), policy)
            .map_err(|r| r.messages)
    }

    #[test]
    fn the_document_is_the_rule() {
        let ok = parse("nom=ana&age=120&theme=sport&theme=sport", &API).unwrap();
        assert_eq!(
            ok,
            Toy {
                nom: "ana".into(),
                page: 3,
                age: Some(120),
                theme: vec!["sport".into()]
            }
        );
        for bad in [
            "age=1",
            "nom=",
            "nom=abcdef",
            "nom=a&page=0",
            "nom=a&page=11",
            "nom=a&age=-1",
            "nom=a&age=%2012",
            "nom=a&age=",
            "nom=a&theme=inconnu",
            "nom=a&nom=b",
        ] {
            assert!(parse(bad, &API).is_err(), "{bad}");
        }
        assert_eq!(
            parse("age=1", &API).unwrap_err(),
            ["Ce paramètre est obligatoire (paramètre « nom »)."]
        );
    }

    #[test]
    fn forms_are_read_leniently_and_with_their_defaults() {
        const FORM: Policy = Policy {
            lenient: true,
            defaults: &[("page", 5)],
        };
        let p = parse("nom=%20ana%20&age=&theme=&inconnu=1", &FORM).unwrap();
        assert_eq!((p.nom.as_str(), p.page, p.age), ("ana", 5, None));
        let rules = Rules::of::<Toy>();
        assert_eq!(rules.encode(&p, &FORM), "nom=ana");
        assert_eq!(rules.encode(&p, &API), "nom=ana&page=5");
    }

    /// Reading the struct's fields straight gives the query string its JSON document gives,
    /// for the toy endpoint and the site's search parameters, under both readers' defaults.
    #[test]
    fn fields_read_straight_encode_as_the_json_document_does() {
        const PAGE5: Policy = Policy {
            lenient: true,
            defaults: &[("page", 5), ("par_page", 20)],
        };
        let toy = Rules::of::<Toy>();
        for raw in [
            "nom=ana",
            "nom=l%E2%80%99%C3%A9t&page=3&age=0",
            "nom=a&page=5&age=120&theme=sport",
        ] {
            let t: Toy = toy.parse(Some(raw), &data(), &API).unwrap();
            for policy in [&API, &FORM, &PAGE5] {
                assert_eq!(toy.encode(&t, policy), toy.encode_json(&t, policy), "{raw}");
            }
        }
        let rules = crate::web::params::SearchParams::rules();
        let mut p = crate::web::params::SearchParams::default();
        let mut seen = std::collections::HashSet::new();
        for (q, age, page, per_page) in [
            ("", None, 1, 100),
            ("servise civik", Some(17), 2, 20),
            ("job d’été & co", Some(0), 5, 10),
        ] {
            p.q = q.to_owned();
            p.age = age;
            p.page = page;
            p.per_page = per_page;
            p.commune_input = if age.is_some() {
                "Béthune".into()
            } else {
                String::new()
            };
            p.themes = vec!["sport".into(); usize::from(page > 1)];
            p.publics = vec!["etudiants".into(), "lyceens".into()];
            p.sort = if page == 2 {
                crate::web::params::Tri::Nom
            } else {
                crate::web::params::Tri::Pertinence
            };
            for policy in [&API, &FORM, &PAGE5] {
                let encoded = rules.encode(&p, policy);
                assert_eq!(encoded, rules.encode_json(&p, policy), "{p:?}");
                seen.insert(encoded);
            }
        }
        assert!(seen.len() >= 6, "{seen:?}");
    }

    #[test]
    fn encoding_then_parsing_gives_the_same_struct() {
        let rules = Rules::of::<Toy>();
        let p = parse("theme=sport&age=0&nom=l%E2%80%99%C3%A9t&page=10", &API).unwrap();
        let again: Toy = rules
            .parse(Some(&rules.encode(&p, &API)), &data(), &API)
            .unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn refused_values_leave_a_partial_struct() {
        let r = Rules::of::<Toy>()
            .parse::<Toy>(Some("nom=ana&age=300&page=2"), &data(), &API)
            .unwrap_err();
        assert_eq!(r.messages.len(), 1);
        let partial = r.partial.unwrap();
        assert_eq!(
            (partial.nom.as_str(), partial.age, partial.page),
            ("ana", None, 2)
        );
        let r = Rules::of::<Toy>()
            .parse::<Toy>(Some("nom=a&theme=zz&theme=sport"), &data(), &API)
            .unwrap_err();
        assert_eq!(r.partial.unwrap().theme, ["sport"]);
    }

    #[test]
    fn messages_are_bounded() {
        let r: Rejected<()> = Rejected {
            messages: (0..10).map(|i| format!("m{i}.")).collect(),
            partial: None,
        };
        assert_eq!(r.message(), "m0. m1. m2. Et 7 autres problèmes.");
    }
}
