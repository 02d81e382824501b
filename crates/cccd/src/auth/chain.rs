//! Document signer -> CSCA chain validation (placeholder while being written).
