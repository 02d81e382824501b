//! The HTTP service: routes, bearer-key authentication, limits, health and metrics.
//!
//! | route | what |
//! |---|---|
//! | `GET /v1/read` | WebSocket: remote reading through a relaying device (`protocol`) |
//! | `POST /v1/verify` | verify an uploaded dump (multipart or JSON) |
//! | `POST /v1/challenges` | a fresh AA challenge as a MAC'd token |
//! | `GET /healthz`, `/readyz` | liveness, readiness |
//! | `GET /metrics` | Prometheus |
//!
//! The service keeps no state between requests or sessions beyond one WebSocket connection,
//! so replicas scale out behind any load balancer that passes WebSockets.

use crate::challenge::ChallengeIssuer;
use crate::metrics::Metrics;
use crate::receipt::ReceiptSigner;
use crate::relay_transport::RelayLimits;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cccd::pki::TrustStore;
use std::net::SocketAddr;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

/// Limits on what one client may cost the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Remote-read sessions open at once; more are refused (`503`, or `busy` on the socket).
    pub max_sessions: usize,
    /// The largest `/v1/verify` body, bytes.
    pub max_body: usize,
    /// Per-APDU and per-session time limits of remote reads.
    pub relay: RelayLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_sessions: 256,
            max_body: 8 * 1024 * 1024,
            relay: RelayLimits::default(),
        }
    }
}

/// Everything the service runs with, loaded once at start.
#[derive(Debug)]
pub struct ServiceConfig {
    /// The trust store (CSCAs, master lists, CRLs), as for `cccd verify`.
    pub trust: TrustStore,
    /// Accepted bearer API keys; empty = no authentication (loopback only).
    pub api_keys: Vec<Zeroizing<String>>,
    /// Issues and checks AA challenge tokens.
    pub challenges: ChallengeIssuer,
    /// Signs receipts, when configured.
    pub receipts: Option<ReceiptSigner>,
    /// Limits.
    pub limits: Limits,
    /// Verify as of this time instead of now (tests and replays of old samples only).
    pub fixed_time: Option<OffsetDateTime>,
}

/// Why the service cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Listening beyond loopback without API keys would open card reading to anyone.
    #[error(
        "refusing to listen on {0} without API keys: give --api-key-file, or listen on 127.0.0.1"
    )]
    OpenListen(SocketAddr),
    /// The socket could not be bound or served.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The shared state of every handler.
#[derive(Debug)]
pub struct AppState {
    /// The configuration.
    pub config: ServiceConfig,
    /// One permit per open remote-read session.
    pub sessions: Arc<Semaphore>,
    /// Metrics.
    pub metrics: Metrics,
}

impl AppState {
    /// State for `config`.
    pub fn new(config: ServiceConfig) -> Arc<Self> {
        let sessions = Arc::new(Semaphore::new(config.limits.max_sessions));
        Arc::new(Self {
            config,
            sessions,
            metrics: Metrics::new(),
        })
    }

    /// The verification time: now, or the fixed one.
    pub fn now(&self) -> OffsetDateTime {
        self.config
            .fixed_time
            .unwrap_or_else(OffsetDateTime::now_utc)
    }
}

/// Refuse a non-loopback address when no API key is configured.
pub fn check_listen(addr: SocketAddr, config: &ServiceConfig) -> Result<(), StartError> {
    if !addr.ip().is_loopback() && config.api_keys.is_empty() {
        return Err(StartError::OpenListen(addr));
    }
    Ok(())
}

/// The router with every route and limit.
pub fn router(state: Arc<AppState>) -> Router {
    let v1 = Router::new()
        .route("/v1/read", get(crate::read_socket::upgrade))
        .route(
            "/v1/verify",
            post(crate::verify_upload::handle)
                .layer(DefaultBodyLimit::max(state.config.limits.max_body)),
        )
        .route("/v1/challenges", post(challenge))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
    Router::new()
        .merge(v1)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// Serve on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let addr = listener.local_addr()?;
    check_listen(addr, &state.config)?;
    tracing::info!(%addr, "listening");
    // A relayed session is ~23 small request-response exchanges: Nagle's algorithm would add
    // a delayed-ACK wait to each.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Serve HTTPS on `listener` with `tls` until `shutdown` resolves: the same router as
/// [`serve`] behind rustls (axum-server's acceptor: each handshake on its own task, at most
/// 10 s, and at most 10 s more to the first request). A client that speaks plain HTTP to
/// this port fails its handshake and is closed.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let addr = listener.local_addr()?;
    check_listen(addr, &state.config)?;
    tracing::info!(%addr, "listening (TLS)");
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(
        axum_server::tls_rustls::RustlsConfig::from_config(tls),
    )
    .acceptor(axum_server::accept::NoDelayAcceptor::new());
    axum_server::from_tcp(listener.into_std()?)?
        .acceptor(acceptor)
        .handle(handle)
        // A client that completes the handshake and then sends nothing is dropped too.
        .first_request_timeout(std::time::Duration::from_secs(10))
        .serve(router(state).into_make_service())
        .await?;
    Ok(())
}

/// A JSON error body `{"error": code, "message": ...}`.
pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": code, "message": message })),
    )
        .into_response()
}

async fn require_key(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let keys = &state.config.api_keys;
    if keys.is_empty() {
        return next.run(request).await;
    }
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compare against every key, in constant time each, without stopping at a match.
    let mut matched = subtle::Choice::from(0);
    for key in keys {
        matched |= presented.as_bytes().ct_eq(key.as_bytes());
    }
    if bool::from(matched) {
        next.run(request).await
    } else {
        state
            .metrics
            .refused
            .get_or_create(&vec![("reason", "unauthorized")])
            .inc();
        error_response(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer API key is required",
        )
    }
}

async fn ready(State(state): State<Arc<AppState>>) -> Response {
    if state.sessions.available_permits() == 0 {
        error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "at the concurrent-session limit",
        )
    } else {
        "ready".into_response()
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    state
        .metrics
        .observe_prepared(state.config.trust.prepared_stats());
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

async fn challenge(State(state): State<Arc<AppState>>) -> Response {
    let issued = state.config.challenges.issue(OffsetDateTime::now_utc());
    let expires_at = issued
        .expires_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    axum::Json(serde_json::json!({
        "challenge": cccd::hex::encode(&issued.challenge),
        "token": issued.token,
        "expires_at": expires_at,
    }))
    .into_response()
}

/// Structured JSON logs on stderr via `tracing` (`RUST_LOG` filters; default `info`). The
/// service logs session ids, outcomes, verdicts and durations only, never personal data.
pub fn init_json_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Run the service on its own runtime until Ctrl-C or SIGTERM: bind `listen` (port 0 picks
/// one), call `on_listening` with the bound address, serve; over TLS when `tls` is given.
pub fn run(
    listen: SocketAddr,
    config: ServiceConfig,
    tls: Option<Arc<rustls::ServerConfig>>,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), StartError> {
    check_listen(listen, &config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        on_listening(listener.local_addr()?);
        let state = AppState::new(config);
        match tls {
            Some(tls) => serve_tls(listener, state, tls, shutdown_signal()).await,
            None => serve(listener, state, shutdown_signal()).await,
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let terminate = tokio::signal::unix::SignalKind::terminate();
        let Ok(mut term) = tokio::signal::unix::signal(terminate) else {
            let _ = ctrl_c.await;
            return;
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}
