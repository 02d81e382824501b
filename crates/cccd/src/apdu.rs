//! ISO 7816-4 command and response APDUs, and status words as a typed enum.
//!
//! A [`Command`] picks the short encoding when its data and expected length fit (Lc ≤ 255,
//! Le ≤ 256) and the extended encoding otherwise; Le = 256 (short) and Le = 65536 (extended)
//! are encoded as zero, as ISO 7816-4 says.

use std::fmt;

/// The largest expected length of a short APDU (encoded as `00`).
pub const SHORT_LE_MAX: usize = 256;
/// The largest expected length of an extended APDU (encoded as `00 00`).
pub const EXTENDED_LE_MAX: usize = 65_536;
/// The largest command data of an extended APDU.
pub const EXTENDED_LC_MAX: usize = 65_535;

/// A command APDU: header, optional data, optional expected response length.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data (Lc is its length).
    pub data: Vec<u8>,
    /// Expected response length: `None` for no response data, `Some(1..=65536)` otherwise.
    pub le: Option<usize>,
}

// Command data can hold secrets (PACE tokens); keep Debug to the header and sizes.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X}, Lc={}, Le={:?})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

/// Why a byte string is not a valid command APDU, or a command cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// Fewer than 4 header bytes, or fewer bytes than Lc announced.
    #[error("command APDU truncated at offset {offset}")]
    Truncated {
        /// Where the input ran out.
        offset: usize,
    },
    /// Lc = 0 in a position where it must be non-zero, or bytes after Le.
    #[error("command APDU has an inconsistent length field at offset {offset}")]
    BadLength {
        /// Offset of the bad length field.
        offset: usize,
    },
    /// Data longer than 65535 or Le outside 1..=65536.
    #[error("command does not fit an APDU: {0}")]
    TooLong(&'static str),
    /// A response shorter than its two status bytes.
    #[error("response APDU shorter than 2 bytes")]
    ResponseTooShort,
}

impl Command {
    /// A command with no data and no expected response.
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    /// Set the command data.
    #[must_use]
    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    /// Set the expected response length (1..=65536).
    #[must_use]
    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Whether this command needs the extended encoding.
    pub fn is_extended(&self) -> bool {
        self.data.len() > 255 || self.le.is_some_and(|le| le > SHORT_LE_MAX)
    }

    /// Encode as bytes (case 1, 2, 3 or 4; short or extended).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ApduError> {
        if self.data.len() > EXTENDED_LC_MAX {
            return Err(ApduError::TooLong("data longer than 65535 bytes"));
        }
        if let Some(le) = self.le
            && !(1..=EXTENDED_LE_MAX).contains(&le)
        {
            return Err(ApduError::TooLong("Le outside 1..=65536"));
        }
        let mut out = Vec::with_capacity(self.data.len() + 9);
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let extended = self.is_extended();
        if !self.data.is_empty() {
            if extended {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if extended {
                if self.data.is_empty() {
                    out.push(0);
                }
                // 65536 wraps to 0000 as the standard says.
                out.extend_from_slice(&((le % EXTENDED_LE_MAX) as u16).to_be_bytes());
            } else {
                out.push((le % SHORT_LE_MAX) as u8);
            }
        }
        Ok(out)
    }

    /// Decode a command APDU (the card side of the conversation).
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let [cla, ins, p1, p2, body @ ..] = bytes else {
            return Err(ApduError::Truncated {
                offset: bytes.len(),
            });
        };
        let mut cmd = Command::new(*cla, *ins, *p1, *p2);
        match body {
            // Case 1.
            [] => {}
            // Case 2 short.
            [le] => cmd.le = Some(short_le(*le)),
            // Extended forms start with a zero byte and have at least 3 body bytes.
            [0, hi, lo, rest @ ..] => {
                let n = usize::from(u16::from_be_bytes([*hi, *lo]));
                if rest.is_empty() {
                    // Case 2 extended.
                    cmd.le = Some(if n == 0 { EXTENDED_LE_MAX } else { n });
                } else {
                    if n == 0 {
                        return Err(ApduError::BadLength { offset: 4 });
                    }
                    if rest.len() < n {
                        return Err(ApduError::Truncated {
                            offset: bytes.len(),
                        });
                    }
                    let (data, tail) = rest.split_at(n);
                    cmd.data = data.to_vec();
                    match tail {
                        [] => {}
                        [hi, lo] => {
                            let le = usize::from(u16::from_be_bytes([*hi, *lo]));
                            cmd.le = Some(if le == 0 { EXTENDED_LE_MAX } else { le });
                        }
                        _ => return Err(ApduError::BadLength { offset: 7 + n }),
                    }
                }
            }
            [lc, rest @ ..] => {
                let n = usize::from(*lc);
                if n == 0 {
                    return Err(ApduError::BadLength { offset: 4 });
                }
                if rest.len() < n {
                    return Err(ApduError::Truncated {
                        offset: bytes.len(),
                    });
                }
                let (data, tail) = rest.split_at(n);
                cmd.data = data.to_vec();
                match tail {
                    [] => {}
                    [le] => cmd.le = Some(short_le(*le)),
                    _ => return Err(ApduError::BadLength { offset: 5 + n }),
                }
            }
        }
        Ok(cmd)
    }
}

/// Decode a short Le byte: 00 means 256.
fn short_le(b: u8) -> usize {
    if b == 0 { SHORT_LE_MAX } else { usize::from(b) }
}

/// A response APDU: data and status word.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// Response data, without the status word.
    pub data: Vec<u8>,
    /// The status word.
    pub sw: StatusWord,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Response({} bytes, {})", self.data.len(), self.sw)
    }
}

impl Response {
    /// A response with data and a status word.
    pub fn new(data: impl Into<Vec<u8>>, sw: StatusWord) -> Self {
        Self {
            data: data.into(),
            sw,
        }
    }

    /// Split raw response bytes into data and status word.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        match bytes {
            [data @ .., sw1, sw2] => Ok(Self {
                data: data.to_vec(),
                sw: StatusWord::from_bytes(*sw1, *sw2),
            }),
            _ => Err(ApduError::ResponseTooShort),
        }
    }

    /// Encode as data followed by SW1 SW2.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 2);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.sw.to_bytes());
        out
    }

    /// Whether the status word is 9000.
    pub fn is_ok(&self) -> bool {
        self.sw == StatusWord::Ok
    }
}

/// ISO 7816-4 status words met when talking to an eMRTD, plus a catch-all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusWord {
    /// 9000: normal processing.
    Ok,
    /// 61XX: XX more bytes available with GET RESPONSE (00 = 256 or more).
    BytesAvailable(u8),
    /// 6282: end of file reached before Le bytes were read.
    EndOfFile,
    /// 6300: verification failed (e.g. wrong BAC/PACE key on some chips).
    VerificationFailed,
    /// 63CX: verification failed, X tries left.
    TriesLeft(u8),
    /// 6700: wrong length.
    WrongLength,
    /// 6982: security status not satisfied (file needs access rights, e.g. EAC for DG3).
    SecurityStatusNotSatisfied,
    /// 6985: conditions of use not satisfied.
    ConditionsNotSatisfied,
    /// 6986: command not allowed (no current EF).
    CommandNotAllowed,
    /// 6987: expected secure messaging data objects missing.
    SmObjectsMissing,
    /// 6988: incorrect secure messaging data objects (bad MAC).
    SmObjectsIncorrect,
    /// 6A80: incorrect parameters in the data field.
    IncorrectData,
    /// 6A82: file or application not found.
    FileNotFound,
    /// 6A86: incorrect parameters P1-P2.
    IncorrectP1P2,
    /// 6A88: referenced data not found.
    ReferencedDataNotFound,
    /// 6B00: wrong parameters (offset outside the EF).
    WrongP1P2,
    /// 6CXX: wrong Le; XX is the right one (00 = 256).
    WrongLe(u8),
    /// 6D00: instruction not supported.
    InsNotSupported,
    /// 6E00: class not supported.
    ClaNotSupported,
    /// 6F00: no precise diagnosis.
    NoPreciseDiagnosis,
    /// Any other status word.
    Other(u16),
}

impl StatusWord {
    /// Classify two status bytes.
    pub fn from_bytes(sw1: u8, sw2: u8) -> Self {
        match (sw1, sw2) {
            (0x90, 0x00) => Self::Ok,
            (0x61, n) => Self::BytesAvailable(n),
            (0x62, 0x82) => Self::EndOfFile,
            (0x63, 0x00) => Self::VerificationFailed,
            (0x63, n) if n & 0xF0 == 0xC0 => Self::TriesLeft(n & 0x0F),
            (0x67, 0x00) => Self::WrongLength,
            (0x69, 0x82) => Self::SecurityStatusNotSatisfied,
            (0x69, 0x85) => Self::ConditionsNotSatisfied,
            (0x69, 0x86) => Self::CommandNotAllowed,
            (0x69, 0x87) => Self::SmObjectsMissing,
            (0x69, 0x88) => Self::SmObjectsIncorrect,
            (0x6A, 0x80) => Self::IncorrectData,
            (0x6A, 0x82) => Self::FileNotFound,
            (0x6A, 0x86) => Self::IncorrectP1P2,
            (0x6A, 0x88) => Self::ReferencedDataNotFound,
            (0x6B, 0x00) => Self::WrongP1P2,
            (0x6C, n) => Self::WrongLe(n),
            (0x6D, 0x00) => Self::InsNotSupported,
            (0x6E, 0x00) => Self::ClaNotSupported,
            (0x6F, 0x00) => Self::NoPreciseDiagnosis,
            _ => Self::Other(u16::from_be_bytes([sw1, sw2])),
        }
    }

    /// The status word as a 16-bit number.
    pub fn to_u16(self) -> u16 {
        u16::from_be_bytes(self.to_bytes())
    }

    /// The two status bytes.
    pub fn to_bytes(self) -> [u8; 2] {
        match self {
            Self::Ok => [0x90, 0x00],
            Self::BytesAvailable(n) => [0x61, n],
            Self::EndOfFile => [0x62, 0x82],
            Self::VerificationFailed => [0x63, 0x00],
            Self::TriesLeft(n) => [0x63, 0xC0 | (n & 0x0F)],
            Self::WrongLength => [0x67, 0x00],
            Self::SecurityStatusNotSatisfied => [0x69, 0x82],
            Self::ConditionsNotSatisfied => [0x69, 0x85],
            Self::CommandNotAllowed => [0x69, 0x86],
            Self::SmObjectsMissing => [0x69, 0x87],
            Self::SmObjectsIncorrect => [0x69, 0x88],
            Self::IncorrectData => [0x6A, 0x80],
            Self::FileNotFound => [0x6A, 0x82],
            Self::IncorrectP1P2 => [0x6A, 0x86],
            Self::ReferencedDataNotFound => [0x6A, 0x88],
            Self::WrongP1P2 => [0x6B, 0x00],
            Self::WrongLe(n) => [0x6C, n],
            Self::InsNotSupported => [0x6D, 0x00],
            Self::ClaNotSupported => [0x6E, 0x00],
            Self::NoPreciseDiagnosis => [0x6F, 0x00],
            Self::Other(v) => v.to_be_bytes(),
        }
    }

    /// A plain-words description for people.
    pub fn message(self) -> &'static str {
        match self {
            Self::Ok => "success",
            Self::BytesAvailable(_) => "more response bytes available",
            Self::EndOfFile => "end of file reached before the requested length",
            Self::VerificationFailed => "verification failed (wrong key or password)",
            Self::TriesLeft(_) => "verification failed; the card counts the remaining tries",
            Self::WrongLength => "wrong length",
            Self::SecurityStatusNotSatisfied => {
                "security status not satisfied (access rights missing)"
            }
            Self::ConditionsNotSatisfied => "conditions of use not satisfied",
            Self::CommandNotAllowed => "command not allowed (no current file)",
            Self::SmObjectsMissing => "secure messaging data objects missing",
            Self::SmObjectsIncorrect => "secure messaging data objects incorrect (bad MAC)",
            Self::IncorrectData => "incorrect parameters in the data field",
            Self::FileNotFound => "file or application not found",
            Self::IncorrectP1P2 => "incorrect parameters P1-P2",
            Self::ReferencedDataNotFound => "referenced data not found",
            Self::WrongP1P2 => "wrong parameters (offset outside the file)",
            Self::WrongLe(_) => "wrong expected length; the card states the right one",
            Self::InsNotSupported => "instruction not supported",
            Self::ClaNotSupported => "class not supported",
            Self::NoPreciseDiagnosis => "no precise diagnosis",
            Self::Other(_) => "unrecognised status word",
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X} ({})", self.to_u16(), self.message())
    }
}

#[cfg(test)]
mod tests;
