//! The server on a real socket (issue 17, point 1): slow, silent and idle clients are cut
//! off, connections are capped, and shutdown drains in-flight requests within a deadline.
//! Every wait is bounded by `BOUND`, far above the limits set here, so a test that would
//! hang fails instead.

use std::net::SocketAddr;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use referentiel_jeunesse::web::server::{self, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Longest any step of these tests may take before it counts as « never ».
const BOUND: Duration = Duration::from_secs(20);

/// Short limits, so that a test needs well under a second of them.
fn quick() -> Limits {
    Limits {
        header_read: Duration::from_millis(400),
        send_stall: Duration::from_millis(400),
        max_connections: 64,
        shutdown_grace: Duration::from_millis(400),
    }
}

struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start(router: Router, limits: Limits) -> Running {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(server::serve(listener, router, limits, async move {
            let _ = stopped.await;
        }));
        Running {
            addr,
            stop: Some(stop),
            server,
        }
    }

    fn shut_down(&mut self) {
        let _ = self.stop.take().unwrap().send(());
    }

    /// Waits for `serve` to return; panics if it is still running after `BOUND`.
    async fn finished(self, what: &str) {
        tokio::time::timeout(BOUND, self.server)
            .await
            .unwrap_or_else(|_| panic!("{what}: the server did not stop"))
            .unwrap()
            .unwrap();
    }
}

fn site() -> Router {
    referentiel_jeunesse::app(crate::util::test_state())
}

/// Reads until the server closes the connection (end of stream or reset); panics after
/// `BOUND`. Returns what was read.
async fn until_closed(stream: &mut TcpStream, what: &str) -> Vec<u8> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(BOUND, read)
        .await
        .unwrap_or_else(|_| panic!("{what}: the connection stayed open"));
    got
}

/// Issue 17, point 1: a client sending its headers a byte at a time is cut off.
#[tokio::test]
async fn issue17_slow_headers_are_cut_off() {
    let running = Running::start(site(), quick()).await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Lent: ")
        .await
        .unwrap();
    let (mut reader, mut writer) = stream.split();
    let trickle = async {
        // Far longer than the header-read limit if the server let it go on.
        for _ in 0..400 {
            if writer.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let closed = async {
        let mut buf = [0u8; 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        _ = closed => {}
        _ = trickle => panic!("the server read slow headers to the end"),
    }
}

/// Issue 17, point 1: a silent socket and an idle keep-alive connection are closed.
#[tokio::test]
async fn issue17_silent_and_idle_connections_are_closed() {
    let running = Running::start(site(), quick()).await;
    let mut silent = TcpStream::connect(running.addr).await.unwrap();
    until_closed(&mut silent, "silent socket").await;

    let mut idle = TcpStream::connect(running.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let got = until_closed(&mut idle, "idle keep-alive").await;
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

/// Issue 17, point 1: a client that stops reading its answers does not hold its connection:
/// with a single connection slot, another client is served once the server gives up on it.
#[tokio::test]
async fn issue17_a_client_that_stops_reading_is_cut_off() {
    let limits = Limits {
        header_read: BOUND * 3,
        max_connections: 1,
        ..quick()
    };
    let running = Running::start(site(), limits).await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stalled = socket.connect(running.addr).await.unwrap();
    // Far more than the buffers on the way hold; never read.
    let many = "GET /donnees/dispositifs.json HTTP/1.1\r\nHost: x\r\n\r\n".repeat(50);
    stalled.write_all(many.as_bytes()).await.unwrap();
    let mut other = TcpStream::connect(running.addr).await.unwrap();
    other
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let got = until_closed(&mut other, "client waiting for the slot").await;
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    drop(stalled);
}

/// Issue 17, point 1: connections over the cap wait for a free slot.
#[tokio::test]
async fn issue17_connections_are_capped() {
    let limits = Limits {
        header_read: BOUND * 3,
        max_connections: 2,
        ..quick()
    };
    let running = Running::start(site(), limits).await;
    let first = TcpStream::connect(running.addr).await.unwrap();
    let _second = TcpStream::connect(running.addr).await.unwrap();
    let mut third = TcpStream::connect(running.addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut byte = [0u8; 1];
    // Not answered while two connections hold the slots (a wait that can only pass).
    assert!(
        tokio::time::timeout(Duration::from_millis(300), third.peek(&mut byte))
            .await
            .is_err(),
        "a third connection was served over the cap"
    );
    drop(first);
    let got = until_closed(&mut third, "third connection").await;
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

/// Issue 17, point 1: asked to stop, the server finishes a slow in-flight request, refuses
/// new connections, then exits.
#[tokio::test]
async fn issue17_shutdown_drains_in_flight_requests() {
    let (started_tx, mut started) = mpsc::channel::<()>(1);
    let (release, released) = tokio::sync::watch::channel(false);
    let router = Router::new().route(
        "/lent",
        get(move || {
            let (started_tx, mut released) = (started_tx.clone(), released.clone());
            async move {
                let _ = started_tx.send(()).await;
                let _ = released.wait_for(|r| *r).await;
                "fini"
            }
        }),
    );
    let limits = Limits {
        shutdown_grace: BOUND * 3,
        ..quick()
    };
    let mut running = Running::start(router, limits).await;
    let mut client = TcpStream::connect(running.addr).await.unwrap();
    client
        .write_all(b"GET /lent HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    tokio::time::timeout(BOUND, started.recv()).await.unwrap();
    running.shut_down();
    // Once the server stops accepting, new connections are refused.
    let refused = async {
        while TcpStream::connect(running.addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(BOUND, refused)
        .await
        .expect("still accepting after shutdown");
    assert!(
        !running.server.is_finished(),
        "exited before the request was done"
    );
    release.send(true).unwrap();
    let got = until_closed(&mut client, "in-flight request").await;
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.starts_with("HTTP/1.1 200") && text.ends_with("fini"),
        "{text}"
    );
    running.finished("drained").await;
}

/// Issue 17, point 1: a half-sent request does not hold the exit beyond the grace delay.
#[tokio::test]
async fn issue17_half_sent_request_does_not_block_exit() {
    let limits = Limits {
        // Without a deadline of its own, the shutdown would wait for these.
        header_read: BOUND * 3,
        send_stall: BOUND * 3,
        ..quick()
    };
    let mut running = Running::start(site(), limits).await;
    let mut half = TcpStream::connect(running.addr).await.unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Grand: aaaa")
        .await
        .unwrap();
    // Let the server take the connection in before asking it to stop.
    let mut probe = TcpStream::connect(running.addr).await.unwrap();
    probe
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    until_closed(&mut probe, "probe").await;
    running.shut_down();
    running.finished("half-sent request").await;
    until_closed(&mut half, "half-sent request after exit").await;
}

/// The editor's login throttling counts attempts per client address: the real server must
/// hand each request the address of its connection, or every client would share one count.
#[tokio::test]
async fn served_requests_carry_the_client_address() {
    use axum::extract::ConnectInfo;
    let router = Router::new().route(
        "/qui",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
    );
    let mut running = Running::start(router, quick()).await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    let me = stream.local_addr().unwrap();
    stream
        .write_all(b"GET /qui HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let reply = String::from_utf8(until_closed(&mut stream, "address").await).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(
        reply.ends_with(&me.to_string()),
        "{reply} should end with {me}"
    );
    running.shut_down();
    running.finished("address").await;
}
