//! One module per subcommand.

pub mod batch;
pub mod inspect;
pub mod mrz;
pub mod qr;
pub mod read;
pub mod readers;
pub mod simulate;
pub mod trust;
pub mod verify;
