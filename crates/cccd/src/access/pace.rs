//! PACE
