//! The chip side of PACE (ECDH generic mapping).
