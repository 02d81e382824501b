//! cccd-qr: the QR code of Vietnamese citizen ID cards, and the 12-digit ID number.
//!
//! * [`parse`] / [`parse_bytes`] turn QR text into typed [`QrData`]: the CCCD-2021 form
//!   `ID12|CMND9|Full name|DDMMYYYY|Nam/Nữ|Residence|DDMMYYYY (issue)` and the 2024
//!   Căn cước form(s), whose field order is not known for sure and which are therefore read
//!   by recognising each field's shape. Fields not understood are kept.
//! * [`IdNumber`] explains a 12-digit ID number (province, century, sex, birth year), checks
//!   it against a date of birth and sex, and yields the PACE CAN ([`IdNumber::can`]) and
//!   the MRZ document number for BAC ([`IdNumber::document_number`]). With
//!   [`QrData::id_number`] and [`QrData::date_of_birth`], that is all a reader needs to build
//!   BAC keys (the expiry date has only a few candidates).
//! * With the default feature `image`, [`decode_image`] / [`decode_image_file`] read the
//!   QR text out of a PNG or JPEG photo.
//!
//! # What the parser tolerates
//! What scanners and phone apps do to the text: a UTF-8 BOM, leading/trailing whitespace
//! and CR/LF, spaces around fields, NFD instead of NFC (output is NFC), UTF-8 that was
//! decoded as Windows-1252/Latin-1 ("Nguyá»…n" → "Nguyễn"), non-UTF-8 bytes
//! ([`parse_bytes`]), a missing CMND field, extra trailing fields (kept), commas in
//! addresses, `DD/MM/YYYY` dates, and "Nam"/"Nữ" in any case or without diacritics.
//!
//! It refuses, with an error naming the field and the reason ([`QrError`]): wrong field
//! counts, days that do not exist, an unknown sex word, IDs that are not 12 digits or have
//! an unknown province code, and input over [`MAX_INPUT_BYTES`]. It never panics.
//!
//! # Example
//! ```
//! use cccd_qr::{CardGeneration, Sex, parse};
//!
//! let qr = "001190012345|012345678|Nguyễn Thị Thu Hà|05031990|Nữ|Số 1, Phố Huế, Hà Nội|20042021\r\n";
//! let data = parse(qr)?;
//! assert_eq!(data.full_name(), "Nguyễn Thị Thu Hà");
//! assert_eq!(data.sex(), Sex::Female);
//! assert_eq!(data.generation(), CardGeneration::Cccd2021);
//!
//! let id = data.id_number();
//! assert_eq!(id.province(), "Hà Nội");
//! assert_eq!(id.birth_year(), 1990);
//! assert_eq!(id.can(), "012345");
//! assert_eq!(id.document_number(), "190012345");
//! // The ID number encodes 1990 and "female" (4th digit 1), as the QR says.
//! assert!(data.check_consistency().is_ok());
//! # Ok::<(), cccd_qr::QrError>(())
//! ```
//!
//! # Choice of QR decoder
//! Pictures are decoded with `rxing` (a Rust port of ZXing) rather than `rqrr`. Both are
//! pure Rust and maintained. On the same set of synthetic card-QR photos (rotations of
//! 3–45°, scale 0.35–2.3×, blur, noise, low contrast, uneven lighting) rxing decoded the raw
//! picture more often (rqrr failed at 15° rotation, heavy noise and a lighting gradient,
//! where rxing succeeded) and was about 10× faster per attempt (≈0.7 ms vs ≈10 ms for a
//! 342×342 picture). Its costs are more dependencies (used without its own `image` feature,
//! which pins an exact `image` version) and a larger codebase with internal indexing; each
//! decoding call is therefore wrapped so that a panic inside it counts as "no QR found".
//! rqrr did better on one case: a raw picture with grey levels squeezed into 100..160,
//! which rxing only read after contrast stretching; at 120..140 both needed it. With the
//! retries in `decode_gray` (stretch, Otsu, blur+Otsu, half and double size), rxing read
//! every test picture except a Gaussian blur of σ ≈ 2/3 of a module, which neither read.

#![forbid(unsafe_code)]

mod date;
mod error;
mod id_number;
mod parse;
#[cfg(feature = "image")]
mod picture;
mod province;
mod sex;
mod text;

pub use date::parse_card_date;
pub use error::{DateError, FieldProblem, QrError};
pub use id_number::{IdError, IdExplanation, IdNumber, Inconsistency, Mismatch};
pub use parse::{
    CardGeneration, DocumentKind, ExtraField, MAX_INPUT_BYTES, QrData, QrParents, parse,
    parse_bytes,
};
#[cfg(feature = "image")]
pub use picture::{
    MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, QrImageError, decode_gray, decode_image, decode_image_file,
    find_card_qr, find_card_qr_in_file,
};
pub use province::{PROVINCES, province_name};
pub use sex::Sex;

/// The `image` crate this crate was built with, so callers can build a [`decode_gray`]
/// input with the matching version.
#[cfg(feature = "image")]
pub use ::image as image_crate;
