//! Fictional card holders and everything derived from them: the 12-digit ID number, the expiry
//! date by the Vietnamese rules, the MRZ, DG13 and the QR text.
//!
//! All people here are invented. Names are common Vietnamese names; addresses use real
//! province and district names with made-up house numbers.

use super::GenError;
use super::keys::random_bytes;
pub use super::layout::Dg13Layout;
use super::layout::{PRINTABLE_STRING, UTF8_STRING};
use cccd::lds::dg13::{Dg13, Expiry, Field, Layout, Parents, RawEntry};
use cccd::mrz::dates::yymmdd;
use cccd::tlv::{self, Tag};
use time::Date;
use time::macros::date;
use unicode_normalization::UnicodeNormalization;

/// Card generation, which decides the expiry rules, the DG13 container and the QR form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// CCCD gắn chip, issued 2021-01-01 .. 2024-06-30.
    Cccd2021,
    /// Căn cước, issued from 2024-07-01.
    CanCuoc2024,
}

impl Generation {
    /// The name used in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Generation::Cccd2021 => "cccd-2021",
            Generation::CanCuoc2024 => "can-cuoc-2024",
        }
    }
}

/// Sex of a holder: the one model, `cccd_qr::Sex`.
pub use cccd::cccd_qr::Sex;

/// The face picture's encoding in DG2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceFormat {
    /// JPEG (JFIF), as seen on the cards.
    Jpeg,
    /// JPEG 2000 (JP2), the ICAO alternative.
    Jpeg2000,
}

/// A fictional card holder.
#[derive(Debug, Clone)]
pub struct Persona {
    /// Short key, used in folder and file names.
    pub key: &'static str,
    /// Full name with diacritics (family name first).
    pub full_name: &'static str,
    /// Sex.
    pub sex: Sex,
    /// Date of birth.
    pub dob: Date,
    /// Province code of the ID number (the legacy 63-province table).
    pub province: u16,
    /// Card generation.
    pub generation: Generation,
    /// Date of issue.
    pub issued: Date,
    /// Old 9-digit CMND number, if the holder had one.
    pub old_cmnd: Option<&'static str>,
    /// Cancelled 12-digit ID numbers (listed in the 2024 QR; the last one is DG13 index 15,
    /// "a previous 12-digit number on newer cards").
    pub cancelled_ids: &'static [&'static str],
    /// Spouse's name, if married.
    pub spouse: Option<&'static str>,
    /// Father's name.
    pub father: &'static str,
    /// Mother's name.
    pub mother: &'static str,
    /// Place of origin (quê quán).
    pub origin: &'static str,
    /// Place of residence.
    pub residence: &'static str,
    /// Identifying marks.
    pub marks: &'static str,
    /// Face picture format.
    pub face: FaceFormat,
    /// Which expiry rule this persona exercises (for the README).
    pub rule: &'static str,
}

/// The personas, in a fixed order.
#[allow(clippy::too_many_lines)]
pub fn personas() -> Vec<Persona> {
    vec![
        Persona {
            key: "p01-ngoc",
            full_name: "Trần Thị Bảo Ngọc",
            sex: Sex::Female,
            dob: date!(2015 - 03 - 12),
            province: 1,
            generation: Generation::CanCuoc2024,
            issued: date!(2024 - 09 - 10),
            old_cmnd: None,
            cancelled_ids: &[],
            spouse: None,
            father: "Trần Văn Quang",
            mother: "Lê Thị Hạnh",
            origin: "Xã Liên Hà, huyện Đông Anh, Hà Nội",
            residence: "Số 18 ngõ 42 phố Kim Mã, phường Kim Mã, quận Ba Đình, Hà Nội",
            marks: "Nốt ruồi C:1cm dưới trước cánh mũi phải",
            face: FaceFormat::Jpeg,
            rule: "under 14 (Căn cước): expires at 14",
        },
        Persona {
            key: "p02-minh",
            full_name: "Lê Đức Minh",
            sex: Sex::Male,
            dob: date!(2003 - 07 - 20),
            province: 38,
            generation: Generation::Cccd2021,
            issued: date!(2021 - 05 - 15),
            old_cmnd: None,
            cancelled_ids: &[],
            spouse: None,
            father: "Lê Văn Thành",
            mother: "Nguyễn Thị Xuân",
            origin: "Xã Hoằng Quỳ, huyện Hoằng Hóa, Thanh Hóa",
            residence: "Thôn 3, xã Hoằng Quỳ, huyện Hoằng Hóa, Thanh Hóa",
            marks: "Sẹo chấm C:2cm trên sau đầu mày trái",
            face: FaceFormat::Jpeg,
            rule: "14-25: expires at 25",
        },
        Persona {
            key: "p03-huong",
            full_name: "Phạm Thị Thu Hương",
            sex: Sex::Female,
            dob: date!(1992 - 11 - 05),
            province: 36,
            generation: Generation::Cccd2021,
            issued: date!(2021 - 03 - 02),
            old_cmnd: Some("163245879"),
            cancelled_ids: &[],
            spouse: Some("Ngô Văn Tuấn"),
            father: "Phạm Văn Lộc",
            mother: "Trịnh Thị Nga",
            origin: "Xã Hải Hưng, huyện Hải Hậu, Nam Định",
            residence: "Số 7 đường Trần Hưng Đạo, phường Bà Triệu, thành phố Nam Định, Nam Định",
            marks: "Nốt ruồi C:1,5cm dưới sau mép trái",
            face: FaceFormat::Jpeg2000,
            rule: "25-40: expires at 40",
        },
        Persona {
            key: "p04-hung",
            full_name: "Nguyễn Văn Hùng",
            sex: Sex::Male,
            dob: date!(1978 - 04 - 30),
            province: 40,
            generation: Generation::Cccd2021,
            issued: date!(2021 - 08 - 10),
            old_cmnd: Some("186523471"),
            cancelled_ids: &[],
            spouse: Some("Đinh Thị Mai"),
            father: "Nguyễn Văn Bình",
            mother: "Hồ Thị Liên",
            origin: "Xã Nghi Phong, huyện Nghi Lộc, Nghệ An",
            residence: "Khối 5, phường Hưng Dũng, thành phố Vinh, Nghệ An",
            marks: "Sẹo chấm C:3cm trên trước cằm",
            face: FaceFormat::Jpeg,
            rule: "40-60: expires at 60",
        },
        Persona {
            key: "p05-duyen",
            full_name: "Võ Thị Mỹ Duyên",
            sex: Sex::Female,
            dob: date!(1998 - 12 - 01),
            province: 52,
            generation: Generation::Cccd2021,
            issued: date!(2022 - 03 - 15),
            old_cmnd: Some("215487963"),
            cancelled_ids: &[],
            spouse: None,
            father: "Võ Văn Trung",
            mother: "Đoàn Thị Hoa",
            origin: "Phường Bình Định, thị xã An Nhơn, Bình Định",
            residence: "Số 24 đường Nguyễn Huệ, phường Lê Lợi, thành phố Quy Nhơn, Bình Định",
            marks: "Nốt ruồi C:0,5cm trên trước đầu mày phải",
            face: FaceFormat::Jpeg,
            rule: "issued at 23, less than 2 years before 25: runs to 40",
        },
        Persona {
            key: "p06-thang",
            full_name: "Đặng Văn Thắng",
            sex: Sex::Male,
            dob: date!(1955 - 09 - 09),
            province: 34,
            generation: Generation::Cccd2021,
            issued: date!(2021 - 04 - 20),
            old_cmnd: Some("151023648"),
            cancelled_ids: &[],
            spouse: Some("Phan Thị Lụa"),
            father: "Đặng Văn Cừ",
            mother: "Lương Thị Tấm",
            origin: "Xã Vũ Hội, huyện Vũ Thư, Thái Bình",
            residence: "Thôn Đông, xã Vũ Hội, huyện Vũ Thư, Thái Bình",
            marks: "Sẹo chấm C:2cm dưới trước tai trái",
            face: FaceFormat::Jpeg,
            rule: "over 60: no expiry",
        },
        Persona {
            key: "p07-lananh",
            full_name: "Hoàng Thị Lan Anh",
            sex: Sex::Female,
            dob: date!(1990 - 06 - 25),
            province: 79,
            generation: Generation::CanCuoc2024,
            issued: date!(2024 - 08 - 05),
            old_cmnd: Some("025874136"),
            cancelled_ids: &["079190000731"],
            spouse: None,
            father: "Hoàng Văn Sơn",
            mother: "Mai Thị Hồng",
            origin: "Xã Tân Thông Hội, huyện Củ Chi, Hồ Chí Minh",
            residence: "Số 112/5 đường Lê Văn Sỹ, phường 13, quận 3, Hồ Chí Minh",
            marks: "Nốt ruồi C:1cm trên sau cánh mũi trái",
            face: FaceFormat::Jpeg,
            rule: "25-40 (Căn cước): expires at 40",
        },
        Persona {
            key: "p08-dao",
            full_name: "Bùi Quang Đạo",
            sex: Sex::Male,
            dob: date!(1966 - 01 - 15),
            province: 31,
            generation: Generation::CanCuoc2024,
            issued: date!(2024 - 10 - 01),
            old_cmnd: Some("031548762"),
            cancelled_ids: &[],
            spouse: Some("Vũ Thị Thanh"),
            father: "Bùi Văn Khải",
            mother: "Đỗ Thị Nhàn",
            origin: "Xã An Hồng, huyện An Dương, Hải Phòng",
            residence: "Số 56 phố Lạch Tray, phường Lạch Tray, quận Ngô Quyền, Hải Phòng",
            marks: "Sẹo chấm C:1cm dưới sau mắt phải",
            face: FaceFormat::Jpeg2000,
            rule: "issued at 58, less than 2 years before 60: no expiry",
        },
        Persona {
            key: "p09-khoi",
            full_name: "Đỗ Minh Khôi",
            sex: Sex::Male,
            dob: date!(2001 - 10 - 10),
            province: 92,
            generation: Generation::Cccd2021,
            issued: date!(2021 - 11 - 11),
            old_cmnd: Some("362514789"),
            cancelled_ids: &[],
            spouse: None,
            father: "Đỗ Văn Tài",
            mother: "Châu Thị Kim",
            origin: "Xã Mỹ Khánh, huyện Phong Điền, Cần Thơ",
            residence: "Số 9 hẻm 51 đường 3 Tháng 2, phường Xuân Khánh, quận Ninh Kiều, Cần Thơ",
            marks: "Nốt ruồi C:2cm trên trước mép phải",
            face: FaceFormat::Jpeg,
            rule: "14-25, expiring 2026: expires at 25",
        },
        Persona {
            key: "p10-tram",
            full_name: "Huỳnh Ngọc Trâm",
            sex: Sex::Female,
            dob: date!(2008 - 05 - 05),
            province: 66,
            generation: Generation::CanCuoc2024,
            issued: date!(2025 - 04 - 10),
            old_cmnd: None,
            cancelled_ids: &[],
            spouse: None,
            father: "Huỳnh Văn Lực",
            mother: "Y Hờ Niê",
            origin: "Xã Ea Tu, thành phố Buôn Ma Thuột, Đắk Lắk",
            residence: "Số 31 đường Y Jút, phường Thắng Lợi, thành phố Buôn Ma Thuột, Đắk Lắk",
            marks: "Nốt ruồi C:1cm dưới trước cằm",
            face: FaceFormat::Jpeg,
            rule: "14-25 (Căn cước): expires at 25",
        },
        Persona {
            key: "p11-an",
            full_name: "Lý Gia An",
            sex: Sex::Male,
            dob: date!(2021 - 02 - 14),
            province: 48,
            generation: Generation::CanCuoc2024,
            issued: date!(2024 - 11 - 20),
            old_cmnd: None,
            cancelled_ids: &[],
            spouse: None,
            father: "Lý Văn Phúc",
            mother: "Trương Thị Ngân",
            origin: "Phường Hòa Khánh Bắc, quận Liên Chiểu, Đà Nẵng",
            residence: "Số 45 đường Âu Cơ, phường Hòa Khánh Bắc, quận Liên Chiểu, Đà Nẵng",
            marks: "",
            face: FaceFormat::Jpeg,
            rule: "under 6 (Căn cước): no photo, expires at 14",
        },
    ]
}

/// The holder's birthday in the year they turn `age` (29 February -> 28 February).
fn birthday_at(dob: Date, age: i32) -> Option<Date> {
    let y = dob.year() + age;
    Date::from_calendar_date(y, dob.month(), dob.day())
        .or_else(|_| Date::from_calendar_date(y, dob.month(), dob.day() - 1))
        .ok()
}

/// The date of expiry by the rules in CARD-FACTS: the birthday at 25, 40 or 60 (also 14 for
/// Căn cước); a card issued less than two years before a threshold runs to the next one;
/// `None` = no expiry.
pub fn expiry(dob: Date, issued: Date, generation: Generation) -> Option<Date> {
    let thresholds: &[i32] = match generation {
        Generation::Cccd2021 => &[25, 40, 60],
        Generation::CanCuoc2024 => &[14, 25, 40, 60],
    };
    thresholds.iter().find_map(|&age| {
        let at = birthday_at(dob, age)?;
        let limit = birthday_at(dob, age - 2)?;
        (issued < limit).then_some(at)
    })
}

/// Everything derived from a persona for one seed.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The 12-digit ID number.
    pub id_number: String,
    /// The date of expiry (`None`: no expiry).
    pub expiry: Option<Date>,
    /// The three MRZ lines.
    pub mrz: [String; 3],
    /// The CAN (last 6 digits of the ID).
    pub can: String,
    /// The QR text.
    pub qr_text: String,
    /// The MRZ name (`SURNAME<<GIVEN<NAMES`), as in line 3 without fillers.
    pub mrz_name: String,
}

/// What the MRZ holds for a card without expiry (CARD-FACTS: uncertain; this is the first
/// candidate `cccd::mrz::expiry` tries).
pub const NO_EXPIRY_MRZ: &str = "991231";
/// What DG13 index 12 holds for a card without expiry.
pub const NO_EXPIRY_TEXT: &str = "Không thời hạn";

/// Upper-case ASCII transliteration for the MRZ: diacritics dropped, đ -> D.
pub fn transliterate(name: &str) -> String {
    name.nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'D',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

fn ddmmyyyy(d: Date) -> String {
    format!("{:02}{:02}{:04}", d.day(), u8::from(d.month()), d.year())
}

/// The century/sex digit of the ID number (CARD-FACTS).
fn century_sex_digit(dob: Date, sex: Sex) -> Result<u8, GenError> {
    let base = match dob.year() / 100 {
        19 => 0,
        20 => 2,
        21 => 4,
        22 => 6,
        23 => 8,
        _ => return Err(GenError::Data("birth year outside 1900-2399".into())),
    };
    Ok(base + u8::from(sex == Sex::Female))
}

impl Persona {
    /// Derive the ID number, expiry, MRZ, CAN and QR text for `seed`.
    pub fn derive(&self, seed: u64) -> Result<Derived, GenError> {
        let r = random_bytes(seed, &format!("id-number/{}", self.key), 8);
        let tail = u64::from_be_bytes(r.try_into().unwrap_or([0; 8])) % 1_000_000;
        let id_number = format!(
            "{:03}{}{:02}{:06}",
            self.province,
            century_sex_digit(self.dob, self.sex)?,
            self.dob.year().rem_euclid(100),
            tail
        );
        let expiry = expiry(self.dob, self.issued, self.generation);
        let latin = transliterate(self.full_name);
        let mut words = latin.split_whitespace();
        let surname = words.next().unwrap_or_default().to_owned();
        let given: Vec<&str> = words.collect();
        let given = given.join(" ");
        let mrz = cccd::mrz::vietnam_td1(
            &id_number,
            &yymmdd(self.dob),
            self.sex.mrz_letter(),
            &expiry.map_or_else(|| NO_EXPIRY_MRZ.to_owned(), yymmdd),
            &surname,
            &given,
        )
        .map_err(|e| GenError::Data(format!("MRZ for {}: {e}", self.key)))?;
        let mrz_name = format!("{surname}<<{}", given.replace(' ', "<"));
        let can = id_number.get(6..).unwrap_or_default().to_owned();
        let qr_text = self.qr_text(&id_number);
        Ok(Derived {
            id_number,
            expiry,
            mrz,
            can,
            qr_text,
            mrz_name,
        })
    }

    /// The QR text. CCCD 2021: the 7-field form of CARD-FACTS. Căn cước 2024 (field order
    /// uncertain, an assumption): the same seven fields, then any cancelled ID numbers, then
    /// the parents' names for a child under 14.
    fn qr_text(&self, id: &str) -> String {
        let mut fields = vec![
            id.to_owned(),
            self.old_cmnd.unwrap_or_default().to_owned(),
            self.full_name.to_owned(),
            ddmmyyyy(self.dob),
            self.sex.card_text().to_owned(),
            self.residence.to_owned(),
            ddmmyyyy(self.issued),
        ];
        if self.generation == Generation::CanCuoc2024 {
            fields.extend(self.cancelled_ids.iter().map(|&c| c.to_owned()));
        }
        if self.generation == Generation::CanCuoc2024 && self.age_on(self.issued) < 14 {
            fields.push(self.father.to_owned());
            fields.push(self.mother.to_owned());
        }
        fields.join("|")
    }

    /// Age in whole years on `day`.
    pub fn age_on(&self, day: Date) -> i32 {
        let mut age = day.year() - self.dob.year();
        if (day.month(), day.day()) < (self.dob.month(), self.dob.day()) {
            age -= 1;
        }
        age
    }

    /// Whether the card carries a face (DG2): Căn cước cards for children under 6 have no
    /// photo.
    pub fn has_photo(&self) -> bool {
        !(self.generation == Generation::CanCuoc2024 && self.age_on(self.issued) < 6)
    }

    /// DG13 index 15: the last cancelled 12-digit number, else the old CMND.
    pub fn previous_document_number(&self) -> Option<&'static str> {
        self.cancelled_ids.last().copied().or(self.old_cmnd)
    }

    /// DG13 for this holder in `layout`. CCCD 2021 uses a SET container, Căn cước 2024 a
    /// SEQUENCE (the 2024 difference is a guess: CARD-FACTS says only that the content "may
    /// differ", and readers must take both).
    pub fn dg13(&self, d: &Derived, layout: Dg13Layout, seed: u64) -> Dg13 {
        let real = layout != Dg13Layout::Legacy;
        let thin = layout == Dg13Layout::Thin2024;
        let text = |s: &str| {
            if real {
                Field::printable_value(s).unwrap_or_else(|| Field::text_value(s))
            } else {
                Field::text_value(s)
            }
        };
        let mut g = Dg13::new();
        g.id_number = Some(text(&d.id_number));
        g.full_name = Some(Field::text_value(self.full_name));
        g.date_of_birth = Some(layout.date(self.dob));
        g.sex = Some(Field::sex(self.sex));
        g.nationality = Some(Field::text_value("Việt Nam"));
        // The thin 2024 layout (an assumption from one public parser): entries the issuing
        // authority stores encrypted are kept as empty strings.
        let maybe_empty = |s: &str| Field::text_value(if thin { "" } else { s });
        g.ethnicity = Some(maybe_empty("Kinh"));
        g.religion = Some(maybe_empty("Không"));
        g.place_of_origin = Some(Field::text_value(self.origin));
        g.place_of_residence = Some(Field::text_value(self.residence));
        g.identifying_marks = Some(maybe_empty(self.marks));
        g.date_of_issue = Some(layout.date(self.issued));
        g.date_of_expiry = Some(Field::expiry(match d.expiry {
            Some(e) => Expiry::Date(e),
            None => Expiry::NoExpiry(NO_EXPIRY_TEXT.to_owned()),
        }));
        let parents = Parents {
            father: Some(self.father.to_owned()),
            mother: Some(self.mother.to_owned()),
        };
        if real {
            g.parents = Some(Field::parents_two_sequences(parents));
            g.spouse = Some(Field::spouse_or_index_only(self.spouse));
        } else {
            g.parents = Some(Field::parents(parents));
            g.spouse = Some(Field::spouse(self.spouse));
        }
        if let Some(previous) = self.previous_document_number() {
            let raw = if real {
                tlv::encode(Tag::new(PRINTABLE_STRING), previous.as_bytes())
            } else {
                tlv::encode(Tag::new(UTF8_STRING), previous.as_bytes())
            };
            g.other.push(RawEntry { index: 15, raw });
        }
        if real {
            g.other.push(RawEntry {
                index: 16,
                raw: tlv::encode(
                    Tag::new(PRINTABLE_STRING),
                    self.index16_code(seed).as_bytes(),
                ),
            });
        }
        g.set_layout(match self.generation {
            Generation::Cccd2021 => Layout::Set,
            Generation::CanCuoc2024 => Layout::Sequence,
        });
        g
    }

    /// DG13 index 16: 16 upper-case hex characters from the seed (its meaning on real cards
    /// is unknown; only its shape is imitated).
    pub fn index16_code(&self, seed: u64) -> String {
        cccd::hex::encode_upper(&random_bytes(seed, &format!("dg13-16/{}", self.key), 8))
    }
}

/// The reference day all dates are relative to (no wall clock anywhere).
pub const REFERENCE_DAY: Date = date!(2025 - 06 - 01);
