//! One documented parameter read back as a rule: its type, bounds, closed list, default and
//! whether it is required or repeated; checking a value gives the typed value or a French
//! message.

use serde_json::Value;

use super::lists::DataList;
use crate::data::Dataset;

/// Longest piece of a received value quoted back in a message, in characters.
const QUOTE_CHARS: usize = 40;
/// A fixed list is spelled out in a message when it has at most this many values.
const SPELLED_CHOICES: usize = 6;

/// How a parameter's values are checked.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
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
    pub(super) label: &'static str,
    pub(super) required: bool,
    pub(super) repeated: bool,
    pub(super) kind: Kind,
    pub(super) default: Option<Value>,
}

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
        "dispositif" => "Le dispositif",
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
    pub(super) fn from_doc(param: &Value) -> Option<Rule> {
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

    pub(super) fn label(&self) -> &'static str {
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
    pub(super) fn check(&self, raw: &str, data: &Dataset) -> Result<Value, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
