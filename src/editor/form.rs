//! The editing forms as data: one definition per field of a scheme and of a structure, named
//! by its JSON path (so `check`'s field names point at the inputs), and the conversions
//! record → form fields → record. Lists of objects get add / remove / move buttons that work
//! without JavaScript; lists of short texts are one line each in a text area.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

/// How a field is edited.
#[derive(Debug, Clone, Copy)]
pub enum Widget {
    Text,
    Url,
    Email,
    Tel,
    Date,
    Textarea,
    /// A list of short texts, one per line.
    Lines,
    /// A whole number up to `max` (the JSON type's bound; `check` applies the real rules).
    Number {
        max: u32,
    },
    Select(Choices),
    Checkboxes(Choices),
    Checkbox,
    /// A list of objects, each with these fields.
    Group(&'static [Def]),
}

/// Where the options of a choice come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Themes,
    Publics,
    Situations,
    Statuses,
    /// A structure's `statut`: `ouverte` (or absent) and `fermee`.
    PlaceStatuses,
    Levels,
    PlaceTypes,
    Schemes,
}

/// One field: its JSON path, its label and help, how it is edited.
#[derive(Debug)]
pub struct Def {
    pub path: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub widget: Widget,
    /// Written as `[]` when empty instead of left out (structures' `dessert`, `dispositifs`).
    pub keep_empty: bool,
}

/// A titled part of a form.
#[derive(Debug)]
pub struct Section {
    pub title: &'static str,
    pub fields: &'static [Def],
}

const fn def(path: &'static str, label: &'static str, hint: &'static str, widget: Widget) -> Def {
    Def {
        path,
        label,
        hint,
        widget,
        keep_empty: false,
    }
}

const fn kept(path: &'static str, label: &'static str, hint: &'static str, widget: Widget) -> Def {
    Def {
        path,
        label,
        hint,
        widget,
        keep_empty: true,
    }
}

const AGE: Widget = Widget::Number { max: 255 };

const SOURCE_FIELDS: &[Def] = &[
    def(
        "titre",
        "Titre",
        "Le titre de la page ou du document.",
        Widget::Text,
    ),
    def(
        "url",
        "Adresse de la page",
        "https://… ; vide pour une section du Pacte.",
        Widget::Url,
    ),
    def(
        "section",
        "Section",
        "Pour un document sans adresse : la partie citée.",
        Widget::Text,
    ),
    def(
        "extrait",
        "Extrait",
        "La phrase exacte qui appuie le fait.",
        Widget::Textarea,
    ),
    def(
        "consulte_le",
        "Lue le",
        "Obligatoire avec une adresse.",
        Widget::Date,
    ),
];

/// Every field of a scheme (`dispositifs/<id>.json`), in the documented order.
pub const SCHEME: &[Section] = &[
    Section {
        title: "Identité",
        fields: &[
            def("id", "Identifiant", "Lettres minuscules sans accent, chiffres et tirets ; c’est aussi le nom du fichier et l’adresse de la fiche.", Widget::Text),
            def("nom", "Nom", "Le nom sous lequel les gens connaissent le dispositif.", Widget::Text),
            def("alias", "Autres noms", "Un par ligne : sigles, graphies (« SNU », « sacados »).", Widget::Lines),
            def("resume", "Résumé", "Une phrase, en « tu », qui dit ce que c’est.", Widget::Textarea),
            def("description", "Description", "Quelques phrases simples, en « tu ».", Widget::Textarea),
            def("porteur", "Porteur", "Qui porte le dispositif (« Département du Pas-de-Calais », « État »…).", Widget::Text),
        ],
    },
    Section {
        title: "Pour qui, où",
        fields: &[
            def("thematiques", "Thématiques", "Au moins une.", Widget::Checkboxes(Choices::Themes)),
            def("publics", "Publics", "Au moins un.", Widget::Checkboxes(Choices::Publics)),
            def("age_min", "Âge minimum", "Seulement si une source le donne.", AGE),
            def("age_max", "Âge maximum", "Seulement si une source le donne (120 au plus).", AGE),
            def("territoire.niveau", "Territoire", "« local » demande au moins un code EPCI ou commune.", Widget::Select(Choices::Levels)),
            def("territoire.epci", "Codes EPCI (SIREN)", "Un par ligne, seulement pour le niveau « local ».", Widget::Lines),
            def("territoire.communes", "Codes communes (INSEE)", "Un par ligne, seulement pour le niveau « local ».", Widget::Lines),
        ],
    },
    Section {
        title: "Éligibilité",
        fields: &[
            def("eligibilite.exceptions_age", "Exceptions d’âge", "Un autre âge pour une situation (service civique : jusqu’à 30 ans avec un handicap).", Widget::Group(&[
                def("situation", "Situation", "", Widget::Select(Choices::Situations)),
                def("age_min", "Âge minimum", "", AGE),
                def("age_max", "Âge maximum", "", AGE),
            ])),
            def("eligibilite.situations", "Situations demandées", "Il faut être dans au moins une (aucune : tout le monde).", Widget::Checkboxes(Choices::Situations)),
            def("eligibilite.situations_exclues", "Situations exclues", "Il ne faut être dans aucune.", Widget::Checkboxes(Choices::Situations)),
            def("eligibilite.a_verifier", "À vérifier", "Une par ligne : ce que le site ne peut pas vérifier.", Widget::Lines),
        ],
    },
    Section {
        title: "J’obtiens quoi, je fais comment",
        fields: &[
            def("avantages", "Avantages", "Un par ligne : ce que l’on obtient.", Widget::Lines),
            def("conditions", "Conditions", "Une par ligne.", Widget::Lines),
            def("demarches", "Démarches", "Une étape par ligne, dans l’ordre.", Widget::Lines),
            def("lien_demarche.url", "Page où faire sa demande", "https://… ; citée dans les sources ou comme site de contact.", Widget::Url),
            def("lien_demarche.libelle", "Texte du bouton", "Par exemple « Faire ma demande ».", Widget::Text),
        ],
    },
    Section {
        title: "Contact",
        fields: &[
            def("contact.site", "Site", "Seulement si une source le donne.", Widget::Url),
            def("contact.email", "Courriel", "", Widget::Email),
            def("contact.telephone", "Téléphone", "", Widget::Tel),
            def("contact.adresse", "Adresse", "", Widget::Text),
        ],
    },
    Section {
        title: "Chiffres clés",
        fields: &[def("chiffres_cles", "Chiffres clés", "« 1 400 » « jeunes en service civique » (2021).", Widget::Group(&[
            def("valeur", "Valeur", "", Widget::Text),
            def("libelle", "Libellé", "", Widget::Text),
            def("annee", "Année", "", Widget::Number { max: 65535 }),
        ]))],
    },
    Section {
        title: "Statut et calendrier",
        fields: &[
            def("statut", "Statut", "« Ouvert » demande une page lue depuis moins de 12 mois.", Widget::Select(Choices::Statuses)),
            def("calendrier.debut", "Début", "", Widget::Date),
            def("calendrier.fin", "Fin", "", Widget::Date),
            def("calendrier.date_limite", "Date limite", "", Widget::Date),
            def("calendrier.commentaire", "Commentaire sur le calendrier", "", Widget::Textarea),
            def("gratuit", "Gratuit", "Seulement si une source dit que c’est gratuit.", Widget::Checkbox),
        ],
    },
    Section {
        title: "Recherche",
        fields: &[def("mots_cles", "Mots clés", "Un par ligne : les mots que les jeunes tapent vraiment.", Widget::Lines)],
    },
    Section {
        title: "Sources",
        fields: &[
            def("sources", "Sources", "Chaque fait vient d’une source citée.", Widget::Group(SOURCE_FIELDS)),
            def("mis_a_jour", "Faits vérifiés le", "La date de ta dernière vérification des faits.", Widget::Date),
        ],
    },
];

/// Every field of a structure (`structures/<id>.json`), in the documented order.
pub const PLACE: &[Section] = &[
    Section {
        title: "Identité",
        fields: &[
            def("id", "Identifiant", "Lettres minuscules sans accent, chiffres et tirets ; c’est aussi le nom du fichier.", Widget::Text),
            def("nom", "Nom", "", Widget::Text),
            def("type", "Type", "", Widget::Select(Choices::PlaceTypes)),
            def("statut", "Statut", "« Fermée » retire la structure des listes ; sa page dit qu’elle a fermé. Vide : ouverte.", Widget::Select(Choices::PlaceStatuses)),
        ],
    },
    Section {
        title: "Adresse",
        fields: &[
            def("adresse.rue", "Rue", "", Widget::Text),
            def("adresse.code_postal", "Code postal", "Celui de la commune.", Widget::Text),
            def("adresse.commune", "Commune (code INSEE)", "Par exemple 62041 pour Arras.", Widget::Text),
        ],
    },
    Section {
        title: "Communes desservies",
        fields: &[
            kept("dessert.epci", "Codes EPCI (SIREN)", "Un par ligne.", Widget::Lines),
            kept("dessert.communes", "Codes communes (INSEE)", "Un par ligne.", Widget::Lines),
        ],
    },
    Section {
        title: "Contact et horaires",
        fields: &[
            def("contact.telephone", "Téléphone", "Seulement si une source le donne.", Widget::Tel),
            def("contact.courriel", "Courriel", "", Widget::Email),
            def("contact.site", "Site", "", Widget::Url),
            def("horaires", "Horaires", "", Widget::Textarea),
        ],
    },
    Section {
        title: "Dispositifs",
        fields: &[kept("dispositifs", "Dispositifs proposés sur place", "", Widget::Checkboxes(Choices::Schemes))],
    },
    Section {
        title: "Sources",
        fields: &[
            def("sources", "Sources", "Chaque adresse, téléphone et courriel vient d’une source citée.", Widget::Group(SOURCE_FIELDS)),
            def("mis_a_jour", "Faits vérifiés le", "", Widget::Date),
        ],
    },
];

/// The submitted fields, by name (several values for checkboxes).
pub type Fields = HashMap<String, Vec<String>>;

pub fn fields(body: &[u8]) -> Fields {
    let mut out: Fields = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        out.entry(k.into_owned()).or_default().push(v.into_owned());
    }
    out
}

pub fn first<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(|v| v.first()).map(String::as_str)
}

/// A value that the form could not turn into JSON (a number that is not one): field name,
/// message, and the text typed (shown again, never lost).
pub type FormErrors = Vec<(String, String, String)>;

/// The value at a dotted path.
pub fn get<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, k| v.get(k))
}

/// Sets the value at a dotted path, creating the objects on the way.
pub fn set(value: &mut Value, path: &str, v: Value) {
    let mut cur = value;
    let mut parts = path.split('.').peekable();
    while let Some(k) = parts.next() {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let map = cur.as_object_mut().expect("object");
        if parts.peek().is_none() {
            map.insert(k.to_owned(), v);
            return;
        }
        cur = map
            .entry(k.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

fn leaf(def: &Def, name: &str, fields: &Fields, errors: &mut FormErrors) -> Option<Value> {
    let raw = first(fields, name).unwrap_or_default();
    let text = raw.replace("\r\n", "\n");
    let trimmed = text.trim();
    match def.widget {
        Widget::Text
        | Widget::Url
        | Widget::Email
        | Widget::Tel
        | Widget::Date
        | Widget::Select(_) => (!trimmed.is_empty()).then(|| Value::String(trimmed.to_owned())),
        Widget::Textarea => (!trimmed.is_empty()).then(|| Value::String(trimmed.to_owned())),
        Widget::Lines => {
            let items: Vec<Value> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_owned()))
                .collect();
            (!items.is_empty() || def.keep_empty).then_some(Value::Array(items))
        }
        Widget::Number { max } => {
            if trimmed.is_empty() {
                return None;
            }
            match trimmed.parse::<u32>() {
                Ok(n) if n <= max => Some(Value::from(n)),
                _ => {
                    let what = if max <= 255 {
                        "un âge est un nombre entier de 0 à 120"
                    } else {
                        "nombre entier attendu"
                    };
                    errors.push((
                        name.to_owned(),
                        format!("« {trimmed} » : {what}"),
                        trimmed.to_owned(),
                    ));
                    None
                }
            }
        }
        Widget::Checkboxes(_) => {
            let items: Vec<Value> = fields
                .get(name)
                .into_iter()
                .flatten()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(|v| Value::String(v.to_owned()))
                .collect();
            (!items.is_empty() || def.keep_empty).then_some(Value::Array(items))
        }
        Widget::Checkbox => (!trimmed.is_empty()).then_some(Value::Bool(true)),
        Widget::Group(_) => None,
    }
}

/// The items of a group field (`sources[3].titre` …), by index; empty items are kept so that
/// the add / remove / move buttons find the index they were rendered with.
fn group(path: &str, subs: &[Def], fields: &Fields, errors: &mut FormErrors) -> Option<Value> {
    let prefix = format!("{path}[");
    let mut indices: Vec<usize> = fields
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix))
        .filter_map(|rest| rest.split(']').next())
        .filter_map(|i| i.parse().ok())
        .filter(|i| *i < 1000)
        .collect();
    indices.sort_unstable();
    indices.dedup();
    if indices.is_empty() {
        return None;
    }
    let items = indices
        .into_iter()
        .map(|i| {
            let mut item = Value::Object(Map::new());
            for sub in subs {
                let name = format!("{path}[{i}].{}", sub.path);
                if let Some(v) = leaf(sub, &name, fields, errors) {
                    set(&mut item, sub.path, v);
                }
            }
            item
        })
        .collect();
    Some(Value::Array(items))
}

/// The record described by the submitted fields, with the fields that could not be read.
pub fn parse(sections: &[Section], fields: &Fields) -> (Value, FormErrors) {
    let mut value = Value::Object(Map::new());
    let mut errors = Vec::new();
    for def in sections.iter().flat_map(|s| s.fields) {
        let v = match def.widget {
            Widget::Group(subs) => group(def.path, subs, fields, &mut errors),
            _ => leaf(def, def.path, fields, &mut errors),
        };
        if let Some(v) = v {
            set(&mut value, def.path, v);
        }
    }
    (value, errors)
}

/// Drops the empty items of group fields (an « Ajouter » never filled in), and the lists left
/// empty by that.
pub fn strip_empty(sections: &[Section], value: &mut Value) {
    for def in sections.iter().flat_map(|s| s.fields) {
        if !matches!(def.widget, Widget::Group(_)) {
            continue;
        }
        let Some(Value::Array(items)) = get(value, def.path).cloned() else {
            continue;
        };
        let kept: Vec<Value> = items
            .into_iter()
            .filter(|i| i.as_object().is_some_and(|o| !o.is_empty()))
            .collect();
        if kept.is_empty() {
            remove(value, def.path);
        } else {
            set(value, def.path, Value::Array(kept));
        }
    }
    // An object left empty (`eligibilite` without anything) is not written.
    if let Value::Object(map) = value {
        map.retain(|_, v| !v.as_object().is_some_and(Map::is_empty));
    }
}

fn remove(value: &mut Value, path: &str) {
    let (parent, key) = match path.rsplit_once('.') {
        Some((p, k)) => (get_mut(value, p), k),
        None => (Some(value), path),
    };
    if let Some(Value::Object(map)) = parent {
        map.remove(key);
    }
}

fn get_mut<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    path.split('.').try_fold(value, |v, k| v.get_mut(k))
}

/// A button of a list: add an item, or remove / move item `index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListAction {
    Add(String),
    Remove(String, usize),
    Up(String, usize),
    Down(String, usize),
}

impl ListAction {
    /// Reads `ajouter:sources`, `retirer:sources:2`, `monter:…`, `descendre:…`, for a group
    /// field of `sections` only.
    pub fn parse(raw: &str, sections: &[Section]) -> Option<ListAction> {
        let mut parts = raw.splitn(3, ':');
        let verb = parts.next()?;
        let path = parts.next()?;
        let is_group = sections
            .iter()
            .flat_map(|s| s.fields)
            .any(|d| d.path == path && matches!(d.widget, Widget::Group(_)));
        if !is_group {
            return None;
        }
        let index = parts.next().and_then(|i| i.parse::<usize>().ok());
        let path = path.to_owned();
        match (verb, index) {
            ("ajouter", None) => Some(ListAction::Add(path)),
            ("retirer", Some(i)) => Some(ListAction::Remove(path, i)),
            ("monter", Some(i)) => Some(ListAction::Up(path, i)),
            ("descendre", Some(i)) => Some(ListAction::Down(path, i)),
            _ => None,
        }
    }

    /// Applies the button to the record; returns what to announce.
    pub fn apply(&self, value: &mut Value) -> &'static str {
        let path = match self {
            ListAction::Add(p)
            | ListAction::Remove(p, _)
            | ListAction::Up(p, _)
            | ListAction::Down(p, _) => p,
        };
        let mut items = match get(value, path) {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let message = match *self {
            ListAction::Add(_) => {
                items.push(Value::Object(Map::new()));
                "Élément ajouté en fin de liste."
            }
            ListAction::Remove(_, i) if i < items.len() => {
                items.remove(i);
                "Élément retiré."
            }
            ListAction::Up(_, i) if i > 0 && i < items.len() => {
                items.swap(i - 1, i);
                "Élément monté d’un cran."
            }
            ListAction::Down(_, i) if i + 1 < items.len() => {
                items.swap(i, i + 1);
                "Élément descendu d’un cran."
            }
            _ => "Rien à déplacer.",
        };
        set(value, path, Value::Array(items));
        message
    }
}

/// The pairs a browser would submit for `value` (tests and the round-trip guarantee).
pub fn pairs(sections: &[Section], value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for def in sections.iter().flat_map(|s| s.fields) {
        match def.widget {
            Widget::Group(subs) => {
                if let Some(Value::Array(items)) = get(value, def.path) {
                    for (i, item) in items.iter().enumerate() {
                        for sub in subs {
                            let name = format!("{}[{i}].{}", def.path, sub.path);
                            push_leaf(&mut out, sub, &name, get(item, sub.path));
                        }
                    }
                }
            }
            _ => push_leaf(&mut out, def, def.path, get(value, def.path)),
        }
    }
    out
}

fn push_leaf(out: &mut Vec<(String, String)>, def: &Def, name: &str, v: Option<&Value>) {
    match def.widget {
        Widget::Checkboxes(_) => {
            for item in v.and_then(Value::as_array).into_iter().flatten() {
                out.push((name.to_owned(), display(item)));
            }
        }
        Widget::Checkbox => {
            if v.and_then(Value::as_bool) == Some(true) {
                out.push((name.to_owned(), "oui".to_owned()));
            }
        }
        _ => out.push((name.to_owned(), v.map(display).unwrap_or_default())),
    }
}

/// How a JSON value shows in an input: strings as they are, lists one per line.
pub fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join("\n"),
        other => other.to_string(),
    }
}

/// Problems of `check` (and of the form) by field name, for showing them at their input.
#[derive(Debug, Default, Clone)]
pub struct ErrorMap {
    pub by_field: BTreeMap<String, Vec<String>>,
    /// What was typed in fields that could not be read, shown again as typed.
    pub raw: BTreeMap<String, String>,
}

impl ErrorMap {
    pub fn add(&mut self, field: &str, message: String) {
        self.by_field
            .entry(field.to_owned())
            .or_default()
            .push(message);
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }
}

/// The input a `check` field name belongs to: itself, the list it is a line of
/// (`avantages[2]` → `avantages`), or the first input under it (`territoire` →
/// `territoire.niveau`); `None` for file-level problems.
pub fn target(sections: &[Section], field: &str) -> Option<String> {
    let names = names(sections);
    if field.is_empty() {
        return None;
    }
    if names.iter().any(|n| n == field) {
        return Some(field.to_owned());
    }
    if let Some(stem) = field.strip_suffix(']').and_then(|f| f.rsplit_once('[')) {
        let list = stem.0;
        let is_item = names.iter().any(|n| n.starts_with(&format!("{field}.")));
        if is_item {
            return Some(field.to_owned());
        }
        if names.iter().any(|n| n == list) {
            return Some(list.to_owned());
        }
    }
    names
        .iter()
        .find(|n| n.starts_with(&format!("{field}.")) || n.starts_with(&format!("{field}[")))
        .cloned()
        .or_else(|| {
            // A group with no item yet (`sources` empty): its « Ajouter » button.
            sections
                .iter()
                .flat_map(|s| s.fields)
                .find(|d| d.path == field)
                .map(|d| d.path.to_owned())
        })
}

/// Every input name of the form as currently filled (groups expanded per item).
fn names(sections: &[Section]) -> Vec<String> {
    // Group items are numbered when rendered; their names are matched by `target` through
    // `names_for`, which knows the item count. Here: every top-level path.
    sections
        .iter()
        .flat_map(|s| s.fields)
        .map(|d| d.path.to_owned())
        .collect()
}

/// Same as `target`, knowing the record (so `sources[2].url` matches an existing item).
pub fn target_in(sections: &[Section], value: &Value, field: &str) -> Option<String> {
    for def in sections.iter().flat_map(|s| s.fields) {
        let Widget::Group(subs) = def.widget else {
            continue;
        };
        let Some(rest) = field.strip_prefix(&format!("{}[", def.path)) else {
            continue;
        };
        let Some((index, tail)) = rest.split_once(']') else {
            continue;
        };
        let Ok(i) = index.parse::<usize>() else {
            continue;
        };
        let count = get(value, def.path)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if i >= count {
            return Some(def.path.to_owned());
        }
        let sub = tail.trim_start_matches('.');
        if sub.is_empty() {
            return Some(format!("{}[{i}]", def.path));
        }
        return Some(if subs.iter().any(|s| s.path == sub) {
            format!("{}[{i}].{sub}", def.path)
        } else {
            format!("{}[{i}]", def.path)
        });
    }
    target(sections, field)
}
