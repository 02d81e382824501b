//! Elliptic curves used by eMRTDs: named and explicit parameters, brainpoolP512r1, point arithmetic for PACE and CA.

pub mod bp512;
