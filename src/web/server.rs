//! Running the server: bind, serve every connection within time and count limits, and shut
//! down gracefully on Ctrl-C / SIGTERM: in-flight requests get a few seconds, then it exits.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Sleep;
use tower::ServiceExt;

use super::reload::{self, Paths};
use super::{app, AppState};
use crate::config::ServeArgs;

/// Largest request head hyper buffers (the app refuses more than 16 KiB with a French 431;
/// hyper answers a bare 431 above this).
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// What a connection may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request's whole head must arrive within this delay from the moment the server waits
    /// for it: it cuts slow headers, silent sockets and idle keep-alive connections alike.
    pub header_read: Duration,
    /// A response that cannot be sent for this long (the client stopped reading) closes
    /// the connection.
    pub send_stall: Duration,
    /// Connections served at once; more wait in the system's listen queue.
    pub max_connections: usize,
    /// Once a shutdown is asked, how long in-flight requests get before the server returns.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            send_stall: Duration::from_secs(30),
            max_connections: 512,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

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
    serve(listener, app(state), Limits::default(), shutdown_signal()).await
}

/// Serves `router` on `listener` until `shutdown` completes: then stops accepting, lets
/// in-flight requests finish (idle connections close at once) for `limits.shutdown_grace`
/// at most, and returns, cutting whatever is left.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // HTTP/1 only: browsers speak HTTP/2 over TLS, which the reverse proxy terminates, and
    // guessing the version of a clear-text connection (hyper-util's ReadVersion) has no
    // time limit of its own.
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_buf_size(MAX_HEAD_BYTES);
    let builder = Arc::new(builder);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // Reap finished connections so the set stays small.
        while connections.try_join_next().is_some() {}
        let slot = tokio::select! {
            _ = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => slot,
        };
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(SendStall::new(stream, limits.send_stall));
        // The client address is what the editor's login throttling counts per address.
        let service = TowerToHyperService::new(router.clone().map_request(with_peer(peer)));
        let (builder, mut stopping) = (builder.clone(), stopping.clone());
        connections.spawn(async move {
            let _slot = slot;
            let conn = builder.serve_connection(io, service);
            tokio::pin!(conn);
            let result = tokio::select! {
                result = conn.as_mut() => result,
                _ = async { stopping.wait_for(|s| *s).await.map(|_| ()) } => {
                    // Finish the request in flight, if any, then close.
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "connexion terminée");
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_grace, drain)
        .await
        .is_err()
    {
        tracing::warn!(
            connexions = connections.len(),
            "arrêt : connexions coupées après le délai"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// Marks each request of a connection with the client's address (`ConnectInfo`).
fn with_peer<B>(
    peer: std::net::SocketAddr,
) -> impl Fn(axum::http::Request<B>) -> axum::http::Request<B> + Clone {
    move |mut req| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req
    }
}

/// After a failed `accept`: a connection reset before it was taken is nothing; anything else
/// (too many open files…) is logged and retried a moment later, as axum does.
async fn accept_failed(e: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept impossible");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// A socket whose writes fail with `TimedOut` when they make no progress for `limit`: a
/// client that stops reading cannot hold a connection (and its response) forever.
struct SendStall<T> {
    inner: T,
    limit: Duration,
    /// Running while a write waits.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> SendStall<T> {
    fn new(inner: T, limit: Duration) -> SendStall<T> {
        SendStall {
            inner,
            limit,
            stalled: None,
        }
    }

    /// Turns a pending write into an error once it has waited `limit`.
    fn watch<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "le client ne lit plus la réponse",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for SendStall<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for SendStall<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
