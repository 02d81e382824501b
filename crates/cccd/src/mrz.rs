//! Machine readable zone: TD1/TD3 parsing, check digits, the Vietnamese document-number rule, BAC key seeds.
