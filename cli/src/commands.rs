//! One module per subcommand.

pub mod readers;
pub mod simulate;
