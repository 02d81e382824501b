//! Logical Data Structure: parsers and encoders for EF.COM, EF.SOD and the data groups.
