//! The commands: `check` validates, `index` builds the index, `serve` runs the site, `comptes`
//! manages editor accounts.

use std::collections::BTreeMap;
use std::process::ExitCode;

use crate::config::{Cli, Command, DataArgs, IndexArgs, ServeArgs};
use crate::data::{self, Dataset, LoadError};
use crate::search::Engine;
use crate::web::{self, AppState};

pub fn run(cli: Cli) -> ExitCode {
    match cli.into_command() {
        Command::Check(args) => check(&args),
        Command::Index(args) => index(&args),
        Command::Serve(args) => serve(args),
        Command::Comptes(cmd) => crate::store::cli::run(cmd),
        Command::Structures(crate::config::PlaceCommand::Importer { fichier, data }) => {
            import_places(&fichier, &data)
        }
    }
}

fn import_places(file: &std::path::Path, args: &DataArgs) -> ExitCode {
    use crate::data::import::{self, ImportError};
    match import::import(file, &args.data, args.clock().today()) {
        Ok(done) => {
            println!(
                "{} structure(s) créée(s), {} remplacée(s) dans {}.",
                done.created.len(),
                done.replaced.len(),
                args.data.join("structures").display()
            );
            ExitCode::SUCCESS
        }
        Err(ImportError::Invalid(problems)) => {
            eprintln!("{} est invalide : rien n’a été écrit.", file.display());
            for p in &problems {
                eprintln!("{p}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn print_summary(data: &Dataset, today: time::Date) {
    println!(
        "{} dispositifs et {} structures valides.",
        data.schemes.len(),
        data.places.len()
    );
    let (official, cited) = data.official_share();
    let share = percent(official, cited);
    println!(
        "Sources : {official} pages officielles sur {cited} pages citées par fiche ({share:.0} %)."
    );
    let (official, distinct) = data.official_pages();
    println!(
        "Pages distinctes : {official} officielles sur {distinct} ({:.0} %).",
        percent(official, distinct)
    );
    let stale = data
        .schemes
        .iter()
        .flat_map(|s| &s.sources)
        .chain(data.places.iter().flat_map(|p| &p.sources))
        .filter(|s| s.url.is_some() && !s.is_recent(today))
        .count();
    println!("Pages lues il y a plus de 12 mois (ou sans date) : {stale}.");
    let mut by_state: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for s in &data.schemes {
        by_state
            .entry(s.availability(today).label())
            .or_default()
            .push(s.id.as_str());
    }
    println!("Par statut affiché :");
    for (label, ids) in &by_state {
        println!("  {label:<40} {}", ids.len());
    }
    if let Some(ids) = by_state.get(crate::scheme::Availability::ToConfirm.label()) {
        println!("À confirmer : {}", ids.join(", "));
    }
    let mut by_theme: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_public: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &data.schemes {
        for t in &s.thematiques {
            *by_theme.entry(t.as_str()).or_default() += 1;
        }
        for p in &s.publics {
            *by_public.entry(p.as_str()).or_default() += 1;
        }
    }
    println!("Par thématique :");
    for t in &data.themes {
        println!(
            "  {:<40} {}",
            t.libelle,
            by_theme.get(t.slug.as_str()).unwrap_or(&0)
        );
    }
    println!("Par public :");
    for p in &data.publics {
        println!(
            "  {:<40} {}",
            p.libelle,
            by_public.get(p.slug.as_str()).unwrap_or(&0)
        );
    }
    println!(
        "{} communes, {} synonymes, {} avertissement(s).",
        data.communes.len(),
        data.synonyms.len(),
        data.warnings.len()
    );
}

fn load_or_report(args: &DataArgs) -> Option<Dataset> {
    match data::load(&args.data, args.clock().today()) {
        Ok(data) => {
            for w in &data.warnings {
                eprintln!("{w}");
            }
            Some(data)
        }
        Err(LoadError::Invalid(report)) => {
            eprintln!("Les données de {} sont invalides :", args.data.display());
            eprintln!("{report}");
            None
        }
        Err(e) => {
            eprintln!("{e}");
            None
        }
    }
}

fn check(args: &DataArgs) -> ExitCode {
    match load_or_report(args) {
        Some(data) => {
            print_summary(&data, args.clock().today());
            ExitCode::SUCCESS
        }
        None => ExitCode::FAILURE,
    }
}

fn index(args: &IndexArgs) -> ExitCode {
    let Some(data) = load_or_report(&args.data) else {
        return ExitCode::FAILURE;
    };
    match Engine::on_disk(data, &args.index) {
        Ok(engine) => {
            let what = if engine.rebuilt {
                "construit"
            } else {
                "déjà à jour"
            };
            println!(
                "Index {what} dans {} ({} dispositifs).",
                args.index.display(),
                engine.num_docs()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Construction de l’index impossible : {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let Some(data) = load_or_report(&args.index.data) else {
        eprintln!("Le site ne démarre pas sur des données invalides.");
        return ExitCode::FAILURE;
    };
    let engine = match Engine::on_disk(data, &args.index.index) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("Index impossible : {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Démarrage impossible : {e}");
            return ExitCode::FAILURE;
        }
    };
    let state = AppState::with_clock(engine, args.base_url.clone(), args.index.data.clock());
    let store = crate::store::Store::open(&args.state.etat);
    if let Err(e) = &store {
        eprintln!("Espace rédaction indisponible (le site public fonctionne) : {e}");
    }
    state.install_editor(crate::editor::Services::new(
        store,
        args.index.data.data.clone(),
        &args.base_url,
    ));
    match runtime.block_on(web::server::run(state, args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Erreur du serveur : {e}");
            ExitCode::FAILURE
        }
    }
}
