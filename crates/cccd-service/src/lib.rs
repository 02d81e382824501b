//! `cccd serve` and `cccd relay`: read and verify Vietnamese chip ID cards from a server.
//!
//! The device (a phone, a kiosk, `cccd relay`) only relays APDUs over a WebSocket; the server
//! runs access control, chip authentication and the reads itself ([`relay_transport`] under
//! the real `cccd::session::Session`), so the session keys never leave the server and a cloned
//! chip fails against the backend itself. Uploaded dumps are verified too ([`verify_upload`]),
//! AA challenges are stateless MAC'd tokens ([`challenge`]), and reports can be signed as JWS
//! receipts ([`receipt`]). The relay protocol is in `docs/RELAY-PROTOCOL.md`.
#![forbid(unsafe_code)]

pub mod challenge;
pub mod identity;
pub mod inputs;
pub mod metrics;
pub mod protocol;
pub mod read_socket;
pub mod receipt;
pub mod redact;
pub mod relay_client;
pub mod relay_transport;
pub mod remote_read;
pub mod server;
pub mod tls;
pub mod verification;
pub mod verify_upload;
