//! Synthetic resident lists for the benchmarks: a CSV as a Dukcapil export of one kabupaten
//! would look (families sharing a KK and a desa, valid NIKs of the kecamatan they were first
//! registered in, Sundanese/Betawi/Javanese names in several spellings), with one bad row in a
//! thousand so the reject path is measured too. Deterministic for a seed. Never used outside
//! `loket bench` and its tests.

use std::collections::HashSet;
use std::io::Write;

use chrono::{Datelike, NaiveDate};

pub use crate::db::sample::SplitMix64 as Rng;

pub const MALE: &[&str] = &[
    "MUHAMMAD", "MOCHAMAD", "MOCH", "M", "AHMAD", "ACHMAD", "RIZKI", "RIZKY", "WAHYU", "BUDI",
    "AGUS", "DEDI", "DEDE", "ADI", "FAJAR", "HENDRA", "IRFAN", "JOKO", "RUDI", "SUHENDRA", "UJANG",
    "ASEP", "DIMAS", "EKO", "ANDI", "YUSUF", "ILHAM", "BAYU", "DANANG", "RAHMAT", "SOLEH",
    "TAUFIK", "ARIF", "HERI", "ENDANG", "MAMAT", "ABDUL", "ADE", "AHMAD", "ALDI", "ANDRI", "ARDI",
    "BAMBANG", "CECEP", "DADANG", "DENI", "DODI", "EDI", "FIRMAN", "GILANG", "HADI", "HARIS",
    "IMAM", "IWAN", "JAJANG", "KOMAR", "LUKMAN", "MAMAN", "NANANG", "OMAN", "PURNOMO", "RAHMAN",
    "SAEPUL", "SLAMET", "SUPRIADI", "SUTRISNO", "TATANG", "UDIN", "WAWAN", "YAYAN", "YOGI",
    "ZAENAL", "SOEKARDI", "DJOKO", "TJEPI", "CHAERUL", "NURDIN", "HAMDAN", "ROHIM",
];
pub const FEMALE: &[&str] = &[
    "SITI",
    "NUR",
    "NURUL",
    "DEWI",
    "SRI",
    "RINA",
    "AYU",
    "FITRI",
    "LESTARI",
    "WULAN",
    "YULIA",
    "NENG",
    "ENENG",
    "RATNA",
    "INDAH",
    "PUTRI",
    "ANISA",
    "ANNISA",
    "MAYA",
    "NOVI",
    "EUIS",
    "IMAS",
    "KARTIKA",
    "LILIS",
    "MEGA",
    "NINA",
    "RIZKY",
    "TITIN",
    "YANTI",
    "ELIS",
    "HANA",
    "DINA",
    "AAS",
    "AI",
    "AMELIA",
    "ANI",
    "CUCU",
    "DIAN",
    "EKA",
    "ENDAH",
    "FARIDA",
    "HERLINA",
    "IKA",
    "INTAN",
    "JUJU",
    "KOKOM",
    "LINA",
    "MAESAROH",
    "NANI",
    "NENENG",
    "NIA",
    "OKTAVIANI",
    "POPON",
    "RATIH",
    "ROSITA",
    "SARI",
    "SUSI",
    "TUTI",
    "UMI",
    "WIDIA",
    "YENI",
    "YUYUN",
    "ZAHRA",
    "SOEMARNI",
    "DJUBAEDAH",
    "TJITJIH",
    "CHOIRIAH",
];
pub const FAMILY: &[&str] = &[
    "SAPUTRA",
    "SAPUTRI",
    "HIDAYAT",
    "KURNIAWAN",
    "SETIAWAN",
    "RAHAYU",
    "PERMATASARI",
    "NURHALIMAH",
    "FIRMANSYAH",
    "RAMADHAN",
    "HASANAH",
    "SUSANTI",
    "PRATAMA",
    "WIJAYA",
    "MAULANA",
    "SOPIAN",
    "SUPRIATNA",
    "HERMAWAN",
    "AMELIA",
    "FAUZIAH",
    "ROHMAN",
    "SULAEMAN",
    "NURJANAH",
    "HAERUDIN",
    "RIZKI",
    "WAHYUDI",
    "SURYANA",
    "KOMARUDIN",
    "MULYANA",
    "SARI",
    "ABIDIN",
    "ANWAR",
    "APRILIANI",
    "ARDIANSYAH",
    "BUDIMAN",
    "DAMAYANTI",
    "FAUZI",
    "GUNAWAN",
    "HAMDANI",
    "HANDAYANI",
    "HASAN",
    "HERLAMBANG",
    "IRAWAN",
    "ISKANDAR",
    "JUNAEDI",
    "KARTINI",
    "KUSNADI",
    "LESMANA",
    "MARLINA",
    "MUSTOFA",
    "NUGRAHA",
    "NURHAYATI",
    "PURNAMA",
    "PURWANTI",
    "RAHMAWATI",
    "RAMDANI",
    "ROSADI",
    "SAEPUDIN",
    "SETIADI",
    "SOLIHIN",
    "SUDRAJAT",
    "SUHERMAN",
    "SUKMANA",
    "SUMARNI",
    "SUNARYA",
    "SUPARMAN",
    "SURYADI",
    "SUSILAWATI",
    "SYAHRIAL",
    "TRIANA",
    "WARDANI",
    "WIBOWO",
    "YULIANTI",
    "ZULKARNAEN",
    "SOETRISNO",
    "DJUANDA",
    "TJAHJADI",
    "CHOLIL",
    "HIDAJAT",
    "JUSUF",
];
const PLACES: &[&str] = &[
    "TANGERANG",
    "JAKARTA",
    "SERANG",
    "BOGOR",
    "LEBAK",
    "PANDEGLANG",
    "BANDUNG",
    "BREBES",
    "CIREBON",
    "LAMPUNG",
    "GARUT",
    "TASIKMALAYA",
    "KUNINGAN",
    "INDRAMAYU",
    "CIANJUR",
];

/// The CSV's header: the Dukcapil-style names the importer knows.
pub const HEADER: &str = "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT,RT,RW,KODE_DESA,NO_HP,DESIL,PEKERJAAN";

/// A resident written to the file, kept as a sample for the search queries.
#[derive(Debug, Clone)]
pub struct Sample {
    pub nik: String,
    pub name: String,
    pub birth: NaiveDate,
    /// Dotted desa code.
    pub village: String,
}

/// What was written.
pub struct Generated {
    pub rows: u64,
    /// Rows made bad on purpose (one in a thousand), each with a unique NIK string.
    pub bad_rows: u64,
    /// About `samples_wanted` good residents spread over the file.
    pub samples: Vec<Sample>,
}

/// Writes `n` residents of the desa in `villages` (dotted code, kecamatan code) to `out`.
/// `other_districts` are NIK prefixes of kecamatan elsewhere (people move).
pub fn write_csv(
    out: &mut dyn Write,
    n: u64,
    seed: u64,
    today: NaiveDate,
    villages: &[(String, String)],
    other_districts: &[String],
    samples_wanted: usize,
) -> std::io::Result<Generated> {
    let mut rng = Rng(seed);
    let mut used: HashSet<u64> = HashSet::with_capacity(n as usize);
    let sample_every = (n / samples_wanted.max(1) as u64).max(1);
    let mut samples = Vec::with_capacity(samples_wanted + 1);
    let mut bad_rows = 0;
    writeln!(out, "{HEADER}")?;
    let mut family_left = 0;
    let mut family = (
        String::new(),
        String::new(),
        0usize,
        0usize,
        String::new(),
        "",
    );
    let mut row = 0u64;
    while row < n {
        if family_left == 0 {
            let (village, district) = rng.pick(villages).clone();
            let prefix = district.replace('.', "");
            let kk = format!("{prefix}{:010}", rng.next_u64() % 10_000_000_000);
            let surname = *rng.pick(FAMILY);
            family = (
                kk,
                village,
                1 + rng.below(15),
                1 + rng.below(9),
                format!("KP. {} NO. {}", rng.pick(FAMILY), 1 + rng.below(150)),
                surname,
            );
            family_left = 1 + rng.below(5);
        }
        family_left -= 1;
        let (kk, village, rt, rw, address, surname) = &family;
        let female = rng.per_mille(500);
        let year = today.year() - 1 - rng.below(70) as i32;
        let birth =
            NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                .unwrap_or(NaiveDate::MIN);
        let registered_in = if rng.per_mille(850) {
            village[..8].replace('.', "")
        } else {
            rng.pick(other_districts).clone()
        };
        let day = birth.day() + if female { 40 } else { 0 };
        let stem = format!(
            "{registered_in}{day:02}{:02}{:02}",
            birth.month(),
            birth.year() % 100
        );
        let stem_number: u64 = stem.parse().unwrap_or(0);
        let mut serial = 1 + rng.below(9998) as u64;
        while !used.insert(stem_number * 10_000 + serial) {
            serial = serial % 9999 + 1;
        }
        let mut nik = format!("{stem}{serial:04}");
        let first = if female {
            rng.pick(FEMALE)
        } else {
            rng.pick(MALE)
        };
        let mut name = match rng.below(10) {
            0 => first.to_string(),
            1..=3 => format!(
                "{first} {} {surname}",
                if female {
                    rng.pick(FEMALE)
                } else {
                    rng.pick(MALE)
                }
            ),
            _ => format!("{first} {surname}"),
        };
        let mut sex = if female { "P" } else { "L" };
        let mut date = birth
            .format(if rng.per_mille(500) {
                "%d-%m-%Y"
            } else {
                "%Y-%m-%d"
            })
            .to_string();
        let mut village_code = if rng.per_mille(500) {
            village.clone()
        } else {
            village.replace('.', "")
        };
        let bad = rng.per_mille(1);
        if bad {
            bad_rows += 1;
            match rng.below(5) {
                0 => nik.truncate(15),
                1 => date = format!("31-02-{}", birth.year()),
                2 => name.clear(),
                3 => village_code = "9999999999".into(),
                _ => sex = if female { "L" } else { "P" },
            }
        } else if row.is_multiple_of(sample_every) {
            samples.push(Sample {
                nik: nik.clone(),
                name: name.clone(),
                birth,
                village: village.clone(),
            });
        }
        let desil = if rng.per_mille(350) {
            (1 + rng.below(10)).to_string()
        } else {
            String::new()
        };
        let job = ["", "1", "2", "3", "19", "88", "89"][rng.below(7)];
        writeln!(
            out,
            "{nik},{kk},{name},{sex},{},{date},{address},{rt:03},{rw:03},{village_code},08{:010},{desil},{job}",
            rng.pick(PLACES),
            rng.next_u64() % 10_000_000_000,
        )?;
        row += 1;
    }
    Ok(Generated {
        rows: n,
        bad_rows,
        samples,
    })
}
