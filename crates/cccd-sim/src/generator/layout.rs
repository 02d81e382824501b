//! The DG13 (and EF.COM) layouts the generator writes: the one real cards use, an assumed
//! thin 2024 one, and the generator's earlier one.

use cccd::lds::dg13::Field;
use time::Date;

/// ASN.1 UTF8String.
pub const UTF8_STRING: u32 = 0x0C;
/// ASN.1 PrintableString.
pub const PRINTABLE_STRING: u32 = 0x13;

/// How a sample card's DG13 is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dg13Layout {
    /// The layout real cards use (CARD-FACTS): PrintableString for indices 1, 3, 11, 15 and
    /// 16, UTF8String elsewhere; parents as two SEQUENCEs after the index; no spouse as the
    /// index alone; index 16 present. EF.COM also lists DG3.
    RealCard,
    /// Real-card types with the entries a 2024 card may keep encrypted (ethnicity, religion,
    /// identifying marks) left as empty strings: an assumption until a real 2024 dump is
    /// available.
    Thin2024,
    /// The generator's earlier layout: UTF8String everywhere, parents in one SEQUENCE, an
    /// empty SEQUENCE for no spouse, no index 16; EF.COM without DG3.
    Legacy,
}

impl Dg13Layout {
    /// The name used in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Dg13Layout::RealCard => "real-card",
            Dg13Layout::Thin2024 => "thin-2024-assumed",
            Dg13Layout::Legacy => "legacy-utf8",
        }
    }

    /// A DG13 date in this layout.
    pub fn date(self, d: Date) -> Field<Option<Date>> {
        match self {
            Dg13Layout::Legacy => Field::date(d),
            Dg13Layout::RealCard | Dg13Layout::Thin2024 => Field::date_printable(d),
        }
    }

    /// Whether EF.COM lists DG3 (fingerprints, EAC-protected), as real cards' do.
    pub fn com_lists_dg3(self) -> bool {
        self != Dg13Layout::Legacy
    }
}
