//! Running the server: bind, serve, shut down gracefully on Ctrl-C / SIGTERM.

use tokio::net::TcpListener;

use super::reload::{self, Paths};
use super::{app, AppState};
use crate::config::ServeArgs;

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("arrêt demandé, fin des requêtes en cours");
}

pub async fn run(state: AppState, args: ServeArgs) -> std::io::Result<()> {
    let listener = TcpListener::bind(args.addr).await?;
    let paths = Paths {
        data: args.index.data.data.clone(),
        index: args.index.index.clone(),
    };
    let reloader = reload::spawn(state.clone(), paths.clone());
    state.set_reloader(reloader.clone());
    #[cfg(unix)]
    tokio::spawn(reload::on_hangup(reloader.clone()));
    let _watcher = if args.watch {
        tracing::info!(dossier = %paths.data.display(), "surveillance des données activée");
        match reload::watch(reloader.clone(), &paths.data) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::error!(error = %e, "surveillance des données impossible");
                None
            }
        }
    } else {
        None
    };
    tracing::info!("site disponible sur http://{}", listener.local_addr()?);
    // The client address is what the editor's login throttling counts per address.
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}
