//! The closed lists that come from the data (themes, publics, place types, scheme ids) or the domain
//! (situations): one rule names the list a parameter takes its values from, and the same rule
//! writes it into the OpenAPI document and checks the values.

use serde_json::Value;

use crate::data::Dataset;
use crate::scheme::Situation;

/// A closed list whose values come from the data (or the domain), not from the struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataList {
    Themes,
    Publics,
    Situations,
    PlaceTypes,
    Schemes,
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
            "dispositif" => Some(DataList::Schemes),
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
            DataList::Schemes => data.schemes.iter().map(|s| s.id.to_string()).collect(),
        }
    }

    pub fn contains(self, data: &Dataset, value: &str) -> bool {
        match self {
            DataList::Themes => data.theme(value).is_some(),
            DataList::Publics => data.public(value).is_some(),
            DataList::Situations => Situation::parse(value).is_some(),
            DataList::PlaceTypes => data.place_type(value).is_some(),
            DataList::Schemes => data.scheme(value).is_some(),
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
