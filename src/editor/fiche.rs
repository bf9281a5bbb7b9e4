//! The form page of a record: fields with their values, errors at each field (linked with
//! `aria-describedby`) and at the top, options from the closed lists.

use askama::Template;
use serde_json::Value;

use super::form::{self, Choices, ErrorMap, Section, Widget};
use super::views::Frame;
use crate::data::Dataset;
use crate::scheme::{Situation, Status};

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One input (or a group of inputs) as rendered.
pub struct FieldView {
    pub name: String,
    pub id: String,
    pub label: String,
    pub hint: String,
    /// text, url, email, tel, date, number, textarea, lines, select, checkboxes, checkbox, group
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<OptionView>,
    pub checked: bool,
    pub errors: Vec<String>,
    pub describedby: String,
    pub readonly: bool,
    pub items: Vec<ItemView>,
    /// `ajouter:PATH` for a group's add button.
    pub add_action: String,
    /// « Ajouter une source ».
    pub add_label: String,
}

/// One element of a list of objects, with its buttons.
pub struct ItemView {
    pub id: String,
    pub legend: String,
    pub fields: Vec<FieldView>,
    pub errors: Vec<String>,
    pub up: Option<(String, String)>,
    pub down: Option<(String, String)>,
    pub remove: (String, String),
}

pub struct SectionView {
    pub id: String,
    pub title: String,
    pub fields: Vec<FieldView>,
}

/// A problem listed at the top, linking to its field when it has one.
pub struct TopError {
    pub href: Option<String>,
    pub label: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "redaction/fiche.html")]
pub struct FichePage {
    pub frame: Frame,
    pub heading: String,
    /// « Dispositifs » or « Structures », and the public page when there is one.
    pub crumb: String,
    pub public_href: Option<String>,
    pub history_href: Option<String>,
    pub action: String,
    pub csrf: String,
    pub base: String,
    pub notice: Option<String>,
    pub top_errors: Vec<TopError>,
    pub warnings: Vec<String>,
    pub sections: Vec<SectionView>,
    /// « Publier » or « Proposer » (structure accounts).
    pub publish_label: String,
    pub can_preview: bool,
    /// The archive form (existing records, editors).
    pub archive_action: Option<String>,
    /// Archiving a structure (« fermée », left out of the lists) rather than a scheme.
    pub archive_place: bool,
}

/// The HTML id of an input name: `sources[2].url` → `f-sources-2-url`.
pub fn html_id(name: &str) -> String {
    let mut id = String::from("f-");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

fn options(choices: Choices, data: &Dataset) -> Vec<(String, String)> {
    match choices {
        Choices::Themes => data
            .themes
            .iter()
            .map(|t| (t.slug.to_string(), t.libelle.clone()))
            .collect(),
        Choices::Publics => data
            .publics
            .iter()
            .map(|t| (t.slug.to_string(), t.libelle.clone()))
            .collect(),
        Choices::PlaceTypes => data
            .place_types
            .iter()
            .map(|t| (t.slug.to_string(), t.libelle.clone()))
            .collect(),
        Choices::Schemes => data
            .schemes
            .iter()
            .map(|s| (s.id.to_string(), s.nom.clone()))
            .collect(),
        Choices::Situations => Situation::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), s.label().to_owned()))
            .collect(),
        Choices::Statuses => Status::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), status_label(*s).to_owned()))
            .collect(),
        Choices::PlaceStatuses => [("ouverte", "Ouverte"), ("fermee", "Fermée (archivée)")]
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect(),
        Choices::Levels => [
            ("national", "Toute la France"),
            ("region", "Hauts-de-France"),
            ("departement", "Tout le Pas-de-Calais"),
            ("local", "Certaines communes ou intercommunalités"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect(),
    }
}

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Open => "Ouvert",
        Status::ToConfirm => "À confirmer",
        Status::Planned => "En projet",
        Status::Paused => "En pause",
        Status::Upcoming => "À venir",
        Status::Closed => "Fermé (archivé)",
    }
}

fn singular(path: &str) -> &'static str {
    match path {
        "sources" => "Source",
        "chiffres_cles" => "Chiffre clé",
        "eligibilite.exceptions_age" => "Exception d’âge",
        _ => "Élément",
    }
}

/// Builds the option list, keeping values not in the closed list so that input is never lost.
fn option_views(known: Vec<(String, String)>, selected: &[String], empty: bool) -> Vec<OptionView> {
    let mut out: Vec<OptionView> = Vec::new();
    if empty {
        out.push(OptionView {
            value: String::new(),
            label: "— choisir —".into(),
            selected: selected.is_empty(),
        });
    }
    for (value, label) in known {
        out.push(OptionView {
            selected: selected.contains(&value),
            value,
            label,
        });
    }
    for s in selected {
        if !out.iter().any(|o| &o.value == s) {
            out.push(OptionView {
                value: s.clone(),
                label: format!("{s} (inconnu)"),
                selected: true,
            });
        }
    }
    out
}

fn leaf_view(
    def: &form::Def,
    name: String,
    v: Option<&Value>,
    errors: &ErrorMap,
    data: &Dataset,
    readonly: bool,
) -> FieldView {
    let id = html_id(&name);
    let errs = errors.by_field.get(&name).cloned().unwrap_or_default();
    let mut describedby = Vec::new();
    if !def.hint.is_empty() {
        describedby.push(format!("h-{id}"));
    }
    if !errs.is_empty() {
        describedby.push(format!("e-{id}"));
    }
    let selected: Vec<String> = match v {
        Some(Value::Array(items)) => items.iter().map(form::display).collect(),
        Some(other) => vec![form::display(other)],
        None => Vec::new(),
    };
    let (kind, options) = match def.widget {
        Widget::Text => ("text", Vec::new()),
        Widget::Url => ("url", Vec::new()),
        Widget::Email => ("email", Vec::new()),
        Widget::Tel => ("tel", Vec::new()),
        Widget::Date => ("date", Vec::new()),
        Widget::Number { .. } => ("number", Vec::new()),
        Widget::Textarea => ("textarea", Vec::new()),
        Widget::Lines => ("lines", Vec::new()),
        Widget::Checkbox => ("checkbox", Vec::new()),
        Widget::Select(c) => ("select", option_views(options(c, data), &selected, true)),
        Widget::Checkboxes(c) => {
            // Ticked values first, in the record's order (the first theme is the page's
            // breadcrumb), then the others in the list's order.
            let mut known = options(c, data);
            known.sort_by_key(|(v, _)| selected.iter().position(|s| s == v).unwrap_or(usize::MAX));
            ("checkboxes", option_views(known, &selected, false))
        }
        Widget::Group(_) => ("group", Vec::new()),
    };
    let value = errors
        .raw
        .get(&name)
        .cloned()
        .or_else(|| v.map(form::display))
        .unwrap_or_default();
    FieldView {
        name,
        id,
        label: def.label.to_owned(),
        hint: def.hint.to_owned(),
        kind,
        value,
        options,
        checked: v.and_then(Value::as_bool) == Some(true),
        errors: errs,
        describedby: describedby.join(" "),
        readonly,
        items: Vec::new(),
        add_action: String::new(),
        add_label: String::new(),
    }
}

/// The sections of a form filled with `value`, errors placed at their fields.
pub fn sections(
    defs: &[Section],
    value: &Value,
    errors: &ErrorMap,
    data: &Dataset,
    id_locked: bool,
) -> Vec<SectionView> {
    defs.iter()
        .enumerate()
        .map(|(n, section)| SectionView {
            id: format!("section-{n}"),
            title: section.title.to_owned(),
            fields: section
                .fields
                .iter()
                .map(|def| {
                    let v = form::get(value, def.path);
                    let Widget::Group(subs) = def.widget else {
                        let locked = id_locked && def.path == "id";
                        return leaf_view(def, def.path.to_owned(), v, errors, data, locked);
                    };
                    let mut group = leaf_view(def, def.path.to_owned(), None, errors, data, false);
                    let items: Vec<&Value> =
                        v.and_then(Value::as_array).into_iter().flatten().collect();
                    let count = items.len();
                    let word = singular(def.path);
                    group.add_action = format!("ajouter:{}", def.path);
                    group.add_label = format!("Ajouter : {}", word.to_lowercase());
                    group.items = items
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let n = i + 1;
                            let item_name = format!("{}[{i}]", def.path);
                            ItemView {
                                id: html_id(&item_name),
                                legend: format!("{word} {n}"),
                                errors: errors
                                    .by_field
                                    .get(&item_name)
                                    .cloned()
                                    .unwrap_or_default(),
                                fields: subs
                                    .iter()
                                    .map(|sub| {
                                        leaf_view(
                                            sub,
                                            format!("{item_name}.{}", sub.path),
                                            form::get(item, sub.path),
                                            errors,
                                            data,
                                            false,
                                        )
                                    })
                                    .collect(),
                                up: (i > 0).then(|| {
                                    (
                                        format!("monter:{}:{i}", def.path),
                                        format!("Monter : {} {n}", word.to_lowercase()),
                                    )
                                }),
                                down: (i + 1 < count).then(|| {
                                    (
                                        format!("descendre:{}:{i}", def.path),
                                        format!("Descendre : {} {n}", word.to_lowercase()),
                                    )
                                }),
                                remove: (
                                    format!("retirer:{}:{i}", def.path),
                                    format!("Retirer : {} {n}", word.to_lowercase()),
                                ),
                            }
                        })
                        .collect();
                    group
                })
                .collect(),
        })
        .collect()
}

/// The label of an input name, for the list of errors at the top.
pub fn label_of(defs: &[Section], name: &str) -> String {
    for def in defs.iter().flat_map(|s| s.fields) {
        if def.path == name {
            return def.label.to_owned();
        }
        if let Some(rest) = name.strip_prefix(&format!("{}[", def.path)) {
            let (index, tail) = rest.split_once(']').unwrap_or((rest, ""));
            let n = index.parse::<usize>().map(|i| i + 1).unwrap_or(0);
            let sub = tail.trim_start_matches('.');
            let word = singular(def.path);
            if let Widget::Group(subs) = def.widget {
                if let Some(s) = subs.iter().find(|s| s.path == sub) {
                    return format!("{word} {n}, {}", s.label.to_lowercase());
                }
            }
            return format!("{word} {n}");
        }
    }
    name.to_owned()
}
