//! Trust store unit tests.
