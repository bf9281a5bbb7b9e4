//! Problems found in a data set, and the error returned when any of them is fatal.

use std::fmt;

/// How serious a problem is: errors refuse the data set, warnings are only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, naming the file, the scheme (when known), the field (when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    pub scheme: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
        };
        write!(f, "{level} : {}", self.file)?;
        if let Some(scheme) = &self.scheme {
            let what = if self.file.starts_with("structures/") {
                "structure"
            } else {
                "dispositif"
            };
            write!(f, " [{what} « {scheme} »]")?;
        }
        if let Some(field) = &self.field {
            write!(f, " champ `{field}`")?;
        }
        write!(f, " : {}", self.message)
    }
}

/// All problems of a data set, in file order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(f, "{errors} erreur(s), {warnings} avertissement(s)")
    }
}

/// Why a data set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The data folder or one of its files could not be read at all.
    #[error("lecture impossible de {path} : {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The files were read but at least one problem is an error; the report lists them all.
    #[error("données invalides :\n{0}")]
    Invalid(Report),
}

/// Collects problems for one file while validating it.
pub struct Collector<'a> {
    pub problems: &'a mut Vec<Problem>,
    pub file: String,
    pub scheme: Option<String>,
}

impl Collector<'_> {
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.push(Severity::Error, field, message.into());
    }

    pub fn warning(&mut self, field: &str, message: impl Into<String>) {
        self.push(Severity::Warning, field, message.into());
    }

    fn push(&mut self, severity: Severity, field: &str, message: String) {
        self.problems.push(Problem {
            severity,
            file: self.file.clone(),
            scheme: self.scheme.clone(),
            field: (!field.is_empty()).then(|| field.to_owned()),
            message,
        });
    }
}
