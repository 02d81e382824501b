//! The chip side of Basic Access Control.
