//! Readable differences between two versions of a record: field by field, in French words,
//! for the history page and the conflict page.

use serde_json::Value;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The field's path (`sources[2].url`).
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every leaf of a record with its path, in document order.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, child, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            // Lists of texts read best as one value, one item per line.
            let text = items
                .iter()
                .map(super::form::display)
                .collect::<Vec<_>>()
                .join(" · ");
            out.push((prefix.to_owned(), text));
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), child, out);
            }
        }
        other => out.push((prefix.to_owned(), super::form::display(other))),
    }
}

/// The fields that differ between `before` (absent for a creation) and `after`.
pub fn rows(before: Option<&Value>, after: &Value) -> Vec<Row> {
    let mut a = Vec::new();
    if let Some(b) = before {
        flatten("", b, &mut a);
    }
    let mut b = Vec::new();
    flatten("", after, &mut b);
    let mut out = Vec::new();
    for (field, new) in &b {
        let old = a.iter().find(|(f, _)| f == field).map(|(_, v)| v);
        if old != Some(new) {
            out.push(Row {
                field: field.clone(),
                before: old.cloned(),
                after: Some(new.clone()),
            });
        }
    }
    for (field, old) in &a {
        if !b.iter().any(|(f, _)| f == field) {
            out.push(Row {
                field: field.clone(),
                before: Some(old.clone()),
                after: None,
            });
        }
    }
    out
}

/// Same, from the files' texts (a text that is not JSON shows as one value).
pub fn rows_of_texts(before: Option<&str>, after: &str) -> Vec<Row> {
    let parse =
        |t: &str| serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::String(t.to_owned()));
    rows(before.map(parse).as_ref(), &parse(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_added_and_removed_fields() {
        let a = json!({"nom": "A", "age_max": 25, "mots_cles": ["x", "y"], "sources": [{"titre": "T"}]});
        let b = json!({"nom": "B", "mots_cles": ["x", "y"], "sources": [{"titre": "T", "url": "https://u.fr"}]});
        let r = rows(Some(&a), &b);
        assert_eq!(
            r,
            vec![
                Row {
                    field: "nom".into(),
                    before: Some("A".into()),
                    after: Some("B".into())
                },
                Row {
                    field: "sources[0].url".into(),
                    before: None,
                    after: Some("https://u.fr".into())
                },
                Row {
                    field: "age_max".into(),
                    before: Some("25".into()),
                    after: None
                },
            ]
        );
        assert!(rows(Some(&a), &a).is_empty());
    }
}
