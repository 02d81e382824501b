//! Trust store: CSCA certificates from PEM/DER files, folders and ICAO master lists; CRLs.
