//! Secure messaging: a channel that wraps a Transport and is itself one.
