//! Prometheus metrics (`/metrics`): sessions and requests by outcome, verdicts, APDUs relayed,
//! durations. Labels are outcomes and verdicts only, never anything about the holder.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, &'static str)>;

/// The service's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Remote-read sessions ended, by outcome (`report` or an error code).
    pub sessions: Family<Labels, Counter>,
    /// Verdicts given, by endpoint (`read`, `verify`) and verdict.
    pub verdicts: Family<Labels, Counter>,
    /// Command APDUs relayed.
    pub apdus: Counter,
    /// Remote-read sessions open now.
    pub sessions_open: Gauge,
    /// Remote-read session durations, seconds.
    pub session_seconds: Histogram,
    /// `/v1/verify` requests, by outcome (`report` or an error kind).
    pub verify_requests: Family<Labels, Counter>,
    /// `/v1/verify` durations, seconds.
    pub verify_seconds: Histogram,
    /// Requests refused before any work: `unauthorized`, `busy`.
    pub refused: Family<Labels, Counter>,
    /// The trust store's prepared-signer cache (`cccd::pki::prepared`), by figure: `held`,
    /// `capacity`, `hits`, `misses`, `tables_built`, `table_bytes`, `evictions`. Set from the
    /// cache's own counters at each scrape ([`Metrics::observe_prepared`]).
    pub prepared_signers: Family<Labels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Register every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("cccd");
        let sessions = Family::<Labels, Counter>::default();
        let verdicts = Family::<Labels, Counter>::default();
        let apdus = Counter::default();
        let sessions_open = Gauge::default();
        let session_seconds = Histogram::new(exponential_buckets(0.05, 2.0, 12));
        let verify_requests = Family::<Labels, Counter>::default();
        let verify_seconds = Histogram::new(exponential_buckets(0.000_5, 2.0, 14));
        let refused = Family::<Labels, Counter>::default();
        let prepared_signers = Family::<Labels, Gauge>::default();
        registry.register(
            "read_sessions",
            "Remote-read sessions ended, by outcome",
            sessions.clone(),
        );
        registry.register(
            "verdicts",
            "Verdicts given, by endpoint and verdict",
            verdicts.clone(),
        );
        registry.register(
            "relayed_apdus",
            "Command APDUs relayed to devices",
            apdus.clone(),
        );
        registry.register(
            "read_sessions_open",
            "Remote-read sessions open",
            sessions_open.clone(),
        );
        registry.register(
            "read_session_seconds",
            "Remote-read session durations",
            session_seconds.clone(),
        );
        registry.register(
            "verify_requests",
            "/v1/verify requests, by outcome",
            verify_requests.clone(),
        );
        registry.register(
            "verify_seconds",
            "/v1/verify durations",
            verify_seconds.clone(),
        );
        registry.register(
            "refused_requests",
            "Requests refused, by reason",
            refused.clone(),
        );
        registry.register(
            "prepared_signers",
            "Prepared document signer cache, by figure (held, capacity, hits, misses, \
             tables_built, table_bytes, evictions; counts since start)",
            prepared_signers.clone(),
        );
        Self {
            registry,
            sessions,
            verdicts,
            apdus,
            sessions_open,
            session_seconds,
            verify_requests,
            verify_seconds,
            refused,
            prepared_signers,
        }
    }

    /// Copy the prepared-signer cache's figures into [`Metrics::prepared_signers`].
    pub fn observe_prepared(&self, stats: cccd::pki::PreparedStats) {
        let figures = [
            ("held", u64::try_from(stats.entries).unwrap_or(u64::MAX)),
            (
                "capacity",
                u64::try_from(cccd::pki::PREPARED_CAPACITY).unwrap_or(u64::MAX),
            ),
            ("hits", stats.hits),
            ("misses", stats.misses),
            ("tables_built", stats.tables_built),
            (
                "table_bytes",
                u64::try_from(stats.table_bytes).unwrap_or(u64::MAX),
            ),
            ("evictions", stats.evictions),
        ];
        for (figure, value) in figures {
            self.prepared_signers
                .get_or_create(&vec![("figure", figure)])
                .set(i64::try_from(value).unwrap_or(i64::MAX));
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }

    /// Count a verdict.
    pub fn verdict(&self, endpoint: &'static str, verdict: cccd::verify::Verdict) {
        let verdict = match verdict {
            cccd::verify::Verdict::Verified => "verified",
            cccd::verify::Verdict::NotVerified => "not_verified",
            cccd::verify::Verdict::Inconclusive => "inconclusive",
        };
        self.verdicts
            .get_or_create(&vec![("endpoint", endpoint), ("verdict", verdict)])
            .inc();
    }
}
