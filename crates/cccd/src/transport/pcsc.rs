//! PC/SC backend (todo)
