//! Authentication: passive (SOD), active (AA) and chip (CA).
