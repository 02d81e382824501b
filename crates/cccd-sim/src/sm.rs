//! The chip side of secure messaging: unwrap commands, wrap responses.
