//! Fake personas shared by the tests. All data is invented; ID numbers are built to be
//! structurally consistent (province code, century/sex digit, birth year).
#![allow(dead_code)]

use time::Date;
use time::macros::date;

use cccd_qr::Sex;

/// One invented card holder.
pub struct Persona {
    pub id: &'static str,
    pub cmnd: &'static str,
    pub name: &'static str,
    pub dob: &'static str,
    pub dob_date: Date,
    pub sex_text: &'static str,
    pub sex: Sex,
    pub residence: &'static str,
    pub issued: &'static str,
    pub issued_date: Date,
}

impl Persona {
    /// The CCCD-2021 QR text: `ID|CMND|name|DOB|sex|residence|issue`.
    pub fn qr_2021(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}|{}",
            self.id, self.cmnd, self.name, self.dob, self.sex_text, self.residence, self.issued
        )
    }
}

pub const HA: Persona = Persona {
    id: "001190012345",
    cmnd: "012345678",
    name: "Nguyễn Thị Thu Hà",
    dob: "05031990",
    dob_date: date!(1990 - 03 - 05),
    sex_text: "Nữ",
    sex: Sex::Female,
    residence: "Số 1, Phố Huế, Phường Ngô Thì Nhậm, Quận Hai Bà Trưng, Hà Nội",
    issued: "20042021",
    issued_date: date!(2021 - 04 - 20),
};

pub const DUC: Persona = Persona {
    id: "079085001234",
    cmnd: "025123456",
    name: "Trần Văn Đức",
    dob: "17081985",
    dob_date: date!(1985 - 08 - 17),
    sex_text: "Nam",
    sex: Sex::Male,
    residence: "123 Đường Lê Lợi, Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh",
    issued: "10062021",
    issued_date: date!(2021 - 06 - 10),
};

pub const NAM: Persona = Persona {
    id: "096205000777",
    cmnd: "",
    name: "Lê Hoàng Nam",
    dob: "30112005",
    dob_date: date!(2005 - 11 - 30),
    sex_text: "Nam",
    sex: Sex::Male,
    residence: "Ấp 3, Xã Tân Hưng, Huyện Cái Nước, Cà Mau",
    issued: "01032022",
    issued_date: date!(2022 - 03 - 01),
};

/// A child with a Căn cước card issued after 1 July 2024.
pub const ANH: Persona = Persona {
    id: "048312345678",
    cmnd: "",
    name: "Phạm Ngọc Ánh",
    dob: "14022012",
    dob_date: date!(2012 - 02 - 14),
    sex_text: "Nữ",
    sex: Sex::Female,
    residence: "Tổ 5, Phường Hòa Khánh Bắc, Quận Liên Chiểu, Đà Nẵng",
    issued: "15082024",
    issued_date: date!(2024 - 08 - 15),
};

/// An adult with a Căn cước card, an old CMND and a cancelled 12-digit number.
pub const BAO: Persona = Persona {
    id: "031095009999",
    cmnd: "031456789",
    name: "Đặng Quốc Bảo",
    dob: "02091995",
    dob_date: date!(1995 - 09 - 02),
    sex_text: "Nam",
    sex: Sex::Male,
    residence: "Số 45, Đường Lạch Tray, Phường Đằng Giang, Quận Ngô Quyền, Hải Phòng",
    issued: "03012025",
    issued_date: date!(2025 - 01 - 03),
};

pub const ALL: [&Persona; 5] = [&HA, &DUC, &NAM, &ANH, &BAO];
