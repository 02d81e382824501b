//! One module per subcommand.

pub mod batch;
pub mod inspect;
pub mod inspect_chip;
pub mod mrz;
pub mod qr;
pub mod read;
pub mod readers;
pub mod receipt;
pub mod relay;
pub mod serve;
#[cfg(feature = "sim")]
pub mod simulate;
pub mod trust;
pub mod verify;
