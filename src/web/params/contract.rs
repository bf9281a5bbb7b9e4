//! Query parameters checked against their own OpenAPI description: the bounds, defaults,
//! required flags and closed lists that utoipa's `IntoParams` derives from a query struct are
//! read back here and enforced, so the document and the parser cannot disagree.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::path::ParameterIn;
use utoipa::IntoParams;

use crate::data::Dataset;
use crate::scheme::Situation;

/// The most problems one answer lists; the others are counted.
pub const MAX_MESSAGES: usize = 3;
/// Longest piece of a received value quoted back in a message, in characters.
const QUOTE_CHARS: usize = 40;
/// A fixed list is spelled out in a message when it has at most this many values.
const SPELLED_CHOICES: usize = 6;

/// A closed list whose values come from the data (or the domain), not from the struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataList {
    Themes,
    Publics,
    Situations,
    PlaceTypes,
}

impl DataList {
    /// The list a parameter of this name takes its values from: the same rule documents the
    /// parameter (`enum` in the OpenAPI document) and validates it.
    pub fn for_param(name: &str) -> Option<DataList> {
        match name {
            "theme" => Some(DataList::Themes),
            "public" => Some(DataList::Publics),
            "situation" => Some(DataList::Situations),
            "type" => Some(DataList::PlaceTypes),
            _ => None,
        }
    }

    pub fn values(self, data: &Dataset) -> Vec<String> {
        match self {
            DataList::Themes => data.themes.iter().map(|c| c.slug.to_string()).collect(),
            DataList::Publics => data.publics.iter().map(|c| c.slug.to_string()).collect(),
            DataList::Situations => Situation::ALL.iter().map(|s| s.slug().to_owned()).collect(),
            DataList::PlaceTypes => data
                .place_types
                .iter()
                .map(|c| c.slug.to_string())
                .collect(),
        }
    }

    fn contains(self, data: &Dataset, value: &str) -> bool {
        match self {
            DataList::Themes => data.theme(value).is_some(),
            DataList::Publics => data.public(value).is_some(),
            DataList::Situations => Situation::parse(value).is_some(),
            DataList::PlaceTypes => data.place_type(value).is_some(),
        }
    }
}

/// Adds the data's closed list to a documented parameter (a JSON `Parameter` object).
pub fn document(param: &mut Value, data: &Dataset) {
    let Some(list) = param["name"].as_str().and_then(DataList::for_param) else {
        return;
    };
    let schema = &mut param["schema"];
    let item = if schema["type"] == "array" {
        &mut schema["items"]
    } else {
        schema
    };
    if let Some(obj) = item.as_object_mut() {
        let values = list.values(data).into_iter().map(Value::String).collect();
        obj.insert("enum".to_owned(), Value::Array(values));
    }
}

/// How a parameter's values are checked.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Text {
        min_chars: usize,
        max_chars: Option<usize>,
        /// A fixed list written in the struct (an enum).
        fixed: Option<Vec<String>>,
        /// A list from the data.
        data: Option<DataList>,
    },
}

/// What one parameter accepts, as its OpenAPI description says.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    /// How messages name it (« L’âge »).
    label: &'static str,
    required: bool,
    repeated: bool,
    kind: Kind,
    default: Option<Value>,
}

/// The rules of a query struct, in the order the struct declares its fields.
#[derive(Debug, Clone)]
pub struct Rules(Vec<Rule>);

/// How messages name a parameter, unless a struct names it otherwise.
fn label(name: &str) -> &'static str {
    match name {
        "q" => "Le texte cherché",
        "age" => "L’âge",
        "commune" => "La commune",
        "theme" => "La thématique",
        "public" => "Le public",
        "situation" => "La situation",
        "type" => "Le type de lieu",
        "tri" => "Le tri",
        "page" => "Le numéro de page",
        "par_page" => "Le nombre de résultats par page",
        _ => "Ce paramètre",
    }
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_u64().map(|n| i64::try_from(n).unwrap_or(i64::MAX)))
}

fn count(v: &Value) -> Option<usize> {
    v.as_u64().and_then(|n| usize::try_from(n).ok())
}

/// The schema itself, or the one schema it wraps (utoipa writes an inlined enum with a
/// default as `oneOf: [enum]`).
fn only(schema: &Value) -> &Value {
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some([one]) = schema[key].as_array().map(Vec::as_slice) {
            return one;
        }
    }
    schema
}

impl Rule {
    /// Reads a rule from a documented parameter; `None` for a schema this parser cannot
    /// enforce, which the tests refuse (every documented parameter must have a rule).
    fn from_doc(param: &Value) -> Option<Rule> {
        let name = param["name"].as_str()?.to_owned();
        let schema = only(&param["schema"]);
        let repeated = schema["type"] == "array";
        let item = if repeated {
            only(&schema["items"])
        } else {
            schema
        };
        let kind = match item["type"].as_str()? {
            "integer" => Kind::Integer {
                min: int(&item["minimum"]),
                max: int(&item["maximum"]),
            },
            "string" => Kind::Text {
                min_chars: count(&item["minLength"]).unwrap_or(0),
                max_chars: count(&item["maxLength"]),
                fixed: item["enum"].as_array().map(|values| {
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                }),
                data: DataList::for_param(&name),
            },
            _ => return None,
        };
        let default = param["schema"]
            .get("default")
            .or_else(|| item.get("default"))
            .cloned();
        Some(Rule {
            label: label(&name),
            required: param["required"] == true,
            repeated,
            kind,
            default,
            name,
        })
    }

    fn label(&self) -> &'static str {
        self.label
    }

    /// Whether the parameter may be repeated (a list).
    pub fn repeated(&self) -> bool {
        self.repeated
    }

    /// Values the rule accepts: its bounds and a middle value, every listed value, texts of
    /// the shortest and longest lengths allowed. For tests (round trips, bounds).
    pub fn accepted_samples(&self, data: &Dataset) -> Vec<String> {
        match &self.kind {
            Kind::Integer { min, max } => {
                let lo = min.unwrap_or(0);
                let hi = max.unwrap_or(lo + 1000);
                vec![lo.to_string(), ((lo + hi) / 2).to_string(), hi.to_string()]
            }
            Kind::Text {
                min_chars,
                max_chars,
                fixed,
                data: list,
            } => match (list, fixed) {
                (Some(list), _) => list.values(data),
                (None, Some(values)) => values.clone(),
                (None, None) => {
                    let longest = max_chars.unwrap_or(200);
                    let mut v = vec![
                        "é".repeat((*min_chars).max(1)),
                        "aide au permis".chars().take(longest).collect(),
                        "l’été à 2 €".chars().take(longest).collect(),
                        "é".repeat(longest),
                    ];
                    if *min_chars == 0 {
                        v.push(String::new());
                    }
                    v
                }
            },
        }
    }

    /// Values the rule refuses: just past each bound, a word for a number, an unknown value
    /// for a list, a text one character too long or too short.
    pub fn refused_samples(&self) -> Vec<String> {
        match &self.kind {
            Kind::Integer { min, max } => {
                let mut v = vec!["abc".to_owned(), "1.5".to_owned(), String::new()];
                v.extend(min.map(|m| (m - 1).to_string()));
                v.extend(max.map(|m| (m + 1).to_string()));
                v
            }
            Kind::Text {
                min_chars,
                max_chars,
                fixed,
                data: list,
            } => {
                let mut v = Vec::new();
                if fixed.is_some() || list.is_some() {
                    v.push("zz-inconnu".to_owned());
                }
                v.extend(max_chars.map(|m| "é".repeat(m + 1)));
                if *min_chars > 0 {
                    v.push("é".repeat(min_chars - 1));
                }
                v
            }
        }
    }

    /// The value as JSON for the struct, or a French message.
    fn check(&self, raw: &str, data: &Dataset) -> Result<Value, String> {
        let label = self.label();
        match &self.kind {
            Kind::Integer { min, max } => {
                let digits = raw.strip_prefix('-').unwrap_or(raw);
                let parsed = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| raw.parse::<i64>().ok())
                    .flatten();
                match parsed {
                    Some(n) if min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) => {
                        Ok(Value::from(n))
                    }
                    _ if raw.is_empty() => Err(format!(
                        "{label} est vide : il faut un nombre entier{}.",
                        range(*min, *max)
                    )),
                    _ => Err(format!(
                        "{label} doit être un nombre entier{} (reçu « {} »).",
                        range(*min, *max),
                        quote(raw)
                    )),
                }
            }
            Kind::Text {
                min_chars,
                max_chars,
                fixed,
                data: list,
            } => {
                let chars = raw.chars().count();
                if chars == 0 && *min_chars > 0 {
                    return Err(format!("{label} ne peut pas être vide."));
                }
                if chars < *min_chars {
                    return Err(format!(
                        "{label} doit compter au moins {min_chars} caractères."
                    ));
                }
                if let Some(max) = max_chars.filter(|m| chars > *m) {
                    return Err(format!(
                        "{label} ne peut pas dépasser {} caractères.",
                        french_number(max as i64)
                    ));
                }
                let known = match (fixed, list) {
                    (_, Some(list)) => list.contains(data, raw),
                    (Some(values), None) => values.iter().any(|v| v == raw),
                    (None, None) => true,
                };
                if known {
                    return Ok(Value::String(raw.to_owned()));
                }
                let mut message = format!("{label} « {} » n’existe pas.", quote(raw));
                if let Some(values) = fixed.as_ref().filter(|v| v.len() <= SPELLED_CHOICES) {
                    message.push_str(&format!(" Choisis {}.", one_of(values)));
                }
                Err(message)
            }
        }
    }
}

/// « « a », « b » ou « c » ».
fn one_of(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("« {v} »")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} ou {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// « de 1 à 1 000 », « d’au moins 1 », « d’au plus 120 » or nothing.
fn range(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!(" de {} à {}", french_number(a), french_number(b)),
        (Some(a), None) => format!(" d’au moins {}", french_number(a)),
        (None, Some(b)) => format!(" d’au plus {}", french_number(b)),
        (None, None) => String::new(),
    }
}

/// A number with a narrow no-break space between thousands (« 1 000 »).
fn french_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A received value as quoted back: no control characters, at most 40 characters.
pub fn quote(value: &str) -> String {
    let mut s: String = value
        .chars()
        .filter(|c| !c.is_control())
        .take(QUOTE_CHARS)
        .collect();
    if value.chars().count() > QUOTE_CHARS {
        s.push('…');
    }
    s
}

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

/// A query struct whose OpenAPI parameters are its parsing rules.
pub trait Contract: IntoParams + Serialize + DeserializeOwned {
    /// The rules, read once from the struct's documented parameters.
    fn rules() -> &'static Rules;
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
                    refused.push(rule.name.as_str());
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
        let built = serde_json::from_value::<T>(Value::Object(object.clone()));
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
                let partial = self.partial(object);
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

    /// The query string of `value`: known parameters in declared order, values equal to the
    /// reader's default left out, lists repeated. Parsing it again gives `value` back.
    pub fn encode<T: Serialize>(&self, value: &T, policy: &Policy) -> String {
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
    }

    #[test]
    fn numbers_read_the_french_way() {
        assert_eq!(french_number(7), "7");
        assert_eq!(french_number(1000), "1\u{202f}000");
        assert_eq!(french_number(-1234567), "-1\u{202f}234\u{202f}567");
        assert_eq!(range(Some(1), Some(1000)), " de 1 à 1\u{202f}000");
    }

    #[test]
    fn quotes_are_short_and_clean() {
        assert_eq!(quote("a\u{0}b"), "ab");
        assert_eq!(quote(&"x".repeat(50)).chars().count(), QUOTE_CHARS + 1);
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
