//! Cryptographic primitives of ICAO 9303: key derivation, 3DES/AES, retail MAC, CMAC, padding.
