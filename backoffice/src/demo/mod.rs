//! Demo data: the Bürgeramt of the Landeshauptstadt Saarbrücken with its service groups,
//! counters, staff accounts, a terminal and appointments spread around the current time.

mod running;

pub use running::{DemoBackOffice, DemoError, start, start_with};

use jiff::civil::{Time, Weekday};
use jiff::{Timestamp, ToSpan};

use crate::api::staff_auth::hash_password;
use crate::domain::office::{OfficeRules, OpeningHours, ServiceRules, TimeRange, WalkInRules};
use crate::domain::text::Texts;
use crate::store::appointments::{Appointment, code_hash};
use crate::store::catalog::{Counter, Office, Service, ServiceGroup};
use crate::store::staff::{Role, StaffMember};
use crate::store::{Db, StoreError};

pub const OFFICE: &str = "sb-mitte";
pub const OTHER_OFFICE: &str = "sb-dudweiler";
pub const TERMINAL: &str = "terminal-1";

/// Demo staff accounts: user name, display name, role, password.
pub const STAFF: &[(&str, &str, Role, &str)] = &[
    ("schalter1", "Anna Becker", Role::Staff, "demo-schalter1"),
    ("schalter2", "Murat Yilmaz", Role::Staff, "demo-schalter2"),
    ("leitung", "Petra Schmitt", Role::Supervisor, "demo-leitung"),
    ("it", "Jonas Weber", Role::Admin, "demo-it"),
];

/// A demo appointment as printed for the user.
#[derive(Debug, Clone)]
pub struct DemoAppointment {
    pub booking_number: String,
    pub code: String,
    pub starts_at: Timestamp,
    pub office_id: &'static str,
    pub service_id: &'static str,
}

fn all_day() -> TimeRange {
    TimeRange {
        from: Time::midnight(),
        until: Time::MAX,
    }
}

fn rules() -> OfficeRules {
    // The demo office is open around the clock so the demo works at any hour; the rules of
    // individual services show the usual restrictions.
    OfficeRules {
        hours: OpeningHours([0; 7].map(|_| vec![all_day()])),
        closing_days: vec![],
        max_calls: 3,
        checkin_early_minutes: 30,
        checkin_late_minutes: 15,
        traffic_light: [10, 20],
    }
}

fn walk_in(quota: Option<u32>) -> ServiceRules {
    ServiceRules {
        walk_in: WalkInRules {
            hours: OpeningHours([0; 7].map(|_| vec![all_day()])),
            daily_quota: quota,
        },
        closed_today: false,
    }
}

type ServiceSeed = (&'static str, u32, ServiceRules, Texts);

fn catalogue() -> Vec<(char, &'static str, Texts, Texts, Vec<ServiceSeed>)> {
    let t = |de: &str, en: &str, fr: &str, tr: &str, ar: &str, uk: &str| {
        Texts::de(de)
            .with("en", en)
            .with("fr", fr)
            .with("tr", tr)
            .with("ar", ar)
            .with("uk", uk)
    };
    let area = |n: u32| {
        t(
            &format!("Wartebereich {n}, Erdgeschoss"),
            &format!("Waiting area {n}, ground floor"),
            &format!("Salle d'attente {n}, rez-de-chaussée"),
            &format!("Bekleme alanı {n}, zemin kat"),
            &format!("منطقة الانتظار {n}، الطابق الأرضي"),
            &format!("Зона очікування {n}, перший поверх"),
        )
    };
    let appointments_only_wednesday = ServiceRules {
        walk_in: WalkInRules {
            hours: OpeningHours([0; 7].map(|_| vec![all_day()])).set(Weekday::Wednesday, &[]),
            daily_quota: None,
        },
        closed_today: false,
    };
    vec![
        (
            'A',
            "ausweise",
            t(
                "Ausweise und Pässe",
                "ID cards and passports",
                "Cartes d'identité et passeports",
                "Kimlik kartları ve pasaportlar",
                "بطاقات الهوية وجوازات السفر",
                "Посвідчення та паспорти",
            ),
            area(1),
            vec![
                (
                    "personalausweis",
                    15,
                    walk_in(None),
                    t(
                        "Personalausweis beantragen",
                        "Apply for an ID card",
                        "Demander une carte d'identité",
                        "Kimlik kartı başvurusu",
                        "طلب بطاقة هوية",
                        "Подати заяву на посвідчення",
                    ),
                ),
                (
                    "reisepass",
                    15,
                    walk_in(None),
                    t(
                        "Reisepass beantragen",
                        "Apply for a passport",
                        "Demander un passeport",
                        "Pasaport başvurusu",
                        "طلب جواز سفر",
                        "Подати заяву на паспорт",
                    ),
                ),
                (
                    "abholung",
                    5,
                    walk_in(None),
                    t(
                        "Ausweis oder Pass abholen",
                        "Collect an ID card or passport",
                        "Retirer une carte ou un passeport",
                        "Kimlik veya pasaport teslim alma",
                        "استلام بطاقة الهوية أو جواز السفر",
                        "Отримати посвідчення або паспорт",
                    ),
                ),
            ],
        ),
        (
            'B',
            "meldewesen",
            t(
                "Meldewesen",
                "Registration of address",
                "Déclaration de domicile",
                "İkamet kaydı",
                "تسجيل العنوان",
                "Реєстрація місця проживання",
            ),
            area(2),
            vec![
                (
                    "anmeldung",
                    10,
                    walk_in(None),
                    t(
                        "Wohnsitz anmelden oder ummelden",
                        "Register or change your address",
                        "Déclarer ou changer d'adresse",
                        "Adres kaydı veya değişikliği",
                        "تسجيل العنوان أو تغييره",
                        "Зареєструвати або змінити адресу",
                    ),
                ),
                (
                    "meldebescheinigung",
                    5,
                    walk_in(None),
                    t(
                        "Meldebescheinigung",
                        "Certificate of registration",
                        "Attestation de domicile",
                        "İkamet belgesi",
                        "شهادة التسجيل",
                        "Довідка про реєстрацію",
                    ),
                ),
            ],
        ),
        (
            'C',
            "bescheinigungen",
            t(
                "Bescheinigungen",
                "Certificates",
                "Certificats",
                "Belgeler",
                "الشهادات",
                "Довідки",
            ),
            area(2),
            vec![
                (
                    "fuehrungszeugnis",
                    8,
                    walk_in(Some(30)),
                    t(
                        "Führungszeugnis",
                        "Certificate of good conduct",
                        "Extrait de casier judiciaire",
                        "Sabıka kaydı",
                        "شهادة حسن السلوك",
                        "Довідка про несудимість",
                    ),
                ),
                (
                    "beglaubigung",
                    5,
                    walk_in(None),
                    t(
                        "Beglaubigung",
                        "Certified copy",
                        "Copie certifiée conforme",
                        "Onaylı suret",
                        "نسخة مصدقة",
                        "Засвідчена копія",
                    ),
                ),
            ],
        ),
        (
            'D',
            "fahrzeuge",
            t(
                "Fahrzeuge",
                "Vehicles",
                "Véhicules",
                "Araçlar",
                "المركبات",
                "Транспортні засоби",
            ),
            area(3),
            vec![(
                "bewohnerparken",
                8,
                appointments_only_wednesday,
                t(
                    "Bewohnerparkausweis",
                    "Resident parking permit",
                    "Vignette de stationnement résident",
                    "Sakin park izni",
                    "تصريح وقوف السكان",
                    "Дозвіл на паркування для мешканців",
                ),
            )],
        ),
        (
            'F',
            "fundbuero",
            t(
                "Fundbüro",
                "Lost and found",
                "Objets trouvés",
                "Kayıp eşya",
                "المفقودات",
                "Бюро знахідок",
            ),
            area(3),
            vec![(
                "fundsache",
                5,
                walk_in(None),
                t(
                    "Fundsache abgeben oder abholen",
                    "Hand in or collect a found item",
                    "Déposer ou retirer un objet trouvé",
                    "Kayıp eşya teslimi veya alımı",
                    "تسليم أو استلام غرض مفقود",
                    "Здати або забрати знахідку",
                ),
            )],
        ),
    ]
}

/// Creates the demo offices, services, counters, staff and terminal on an empty database.
/// Returns `false` when demo data was already there.
pub async fn seed(db: &Db, terminal_fingerprint: &str) -> Result<bool, StoreError> {
    if db.office(OFFICE).await?.is_some() {
        return Ok(false);
    }
    let berlin =
        jiff::tz::TimeZone::get("Europe/Berlin").map_err(|e| StoreError::Corrupt(e.to_string()))?;
    for (id, name, address) in [
        (
            OFFICE,
            "Bürgeramt Saarbrücken-Mitte",
            "Gerberstraße 4, 66111 Saarbrücken",
        ),
        (
            OTHER_OFFICE,
            "Bürgeramt Dudweiler",
            "Rathausstraße 1, 66125 Saarbrücken",
        ),
    ] {
        db.insert_office(&Office {
            id: id.into(),
            name: name.into(),
            address: address.into(),
            timezone: berlin.clone(),
            rules: rules(),
            appointment_prefix: 'T',
            offline_prefix: 'Z',
        })
        .await?;
    }
    for (office, scope) in [(OFFICE, ""), (OTHER_OFFICE, "dw-")] {
        for (gi, (prefix, gid, names, area, services)) in catalogue().into_iter().enumerate() {
            let group_id = format!("{scope}{gid}");
            db.insert_group(
                &ServiceGroup {
                    id: group_id.clone(),
                    office_id: office.into(),
                    prefix,
                    names,
                    first_number: 1,
                    last_number: 999,
                },
                gi as i64,
            )
            .await?;
            for (si, (sid, minutes, rules, names)) in services.into_iter().enumerate() {
                let service = Service {
                    id: format!("{scope}{sid}"),
                    office_id: office.into(),
                    group_id: group_id.clone(),
                    names,
                    waiting_area: area.clone(),
                    average_minutes: minutes,
                    rules,
                };
                db.insert_service(&service, si as i64).await?;
            }
        }
        for i in 1..=6 {
            db.insert_counter(
                office,
                &Counter {
                    id: format!("{scope}platz-{i}"),
                    name: format!("Platz {i}"),
                },
                i,
            )
            .await?;
        }
    }
    for (username, display, role, password) in STAFF {
        let password_hash =
            hash_password(password).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        db.insert_staff(&StaffMember {
            id: 0,
            username: (*username).into(),
            display_name: (*display).into(),
            role: *role,
            office_id: OFFICE.into(),
            password_hash,
        })
        .await?;
    }
    db.insert_terminal(
        TERMINAL,
        OFFICE,
        "Eingangshalle links",
        terminal_fingerprint,
    )
    .await?;
    Ok(true)
}

/// Today's demo appointments around `now`: every 10 minutes from two hours before to three
/// hours after, plus one at the other office. Booking numbers are stable for a given day.
pub fn appointments_around(now: Timestamp) -> Vec<DemoAppointment> {
    let day = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let base = (i64::from(day.year()) * 400 + i64::from(day.day_of_year())) % 9000 * 100;
    let slot = now.as_second() / 600 * 600;
    let services = [
        "personalausweis",
        "anmeldung",
        "reisepass",
        "meldebescheinigung",
        "fuehrungszeugnis",
    ];
    (0..31)
        .map(|i| {
            let offset = (i - 12) * 10;
            let other = i == 30;
            DemoAppointment {
                booking_number: format!("{}", 100_000 + base + i),
                code: demo_code(base + i),
                starts_at: Timestamp::from_second(slot)
                    .unwrap_or(now)
                    .checked_add((if other { 10 } else { offset }).minutes())
                    .unwrap_or(now),
                office_id: if other { OTHER_OFFICE } else { OFFICE },
                service_id: if other {
                    "dw-anmeldung"
                } else {
                    services[i as usize % services.len()]
                },
            }
        })
        .collect()
}

fn demo_code(n: i64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
    (0..5)
        .map(|_| {
            let c = ALPHABET[(x % 32) as usize] as char;
            x /= 32;
            c
        })
        .collect()
}

/// Stores today's demo appointments unless they exist. Returns them.
pub async fn ensure_appointments(
    db: &Db,
    now: Timestamp,
) -> Result<Vec<DemoAppointment>, StoreError> {
    let list = appointments_around(now);
    for a in &list {
        if db.appointment(&a.booking_number).await?.is_none() {
            db.insert_appointment(&Appointment {
                id: 0,
                booking_number: a.booking_number.clone(),
                code_hash: code_hash(&a.booking_number, &a.code),
                office_id: a.office_id.into(),
                service_id: a.service_id.into(),
                starts_at: a.starts_at.as_millisecond(),
                display_name: "Demo-Termin".into(),
                failed_attempts: 0,
                locked_until: 0,
                ticket_id: None,
            })
            .await?;
        }
    }
    Ok(list)
}
