//! Text of the desk search's reading and paging (issue 15): how each filter word was read, the
//! count and the rows shown, and what `loket search --place/--born` refuses. The rest of the
//! search screen's words are in `desk`.

use super::{Lang, Msg, pick};
use crate::domain::search_query::{Place, PlaceKind, Read, Reading, born_text};

pub const UNDO_READING: Msg = Msg::new(
    "Baca kata saringan sebagai nama",
    "Read the filter word as a name",
);
pub const COUNTING: Msg = Msg::new("…", "…");
pub const NIK_OR_KK: Msg = Msg::new("NIK / No. KK", "NIK / KK no.");
pub const MANY_HINT: Msg = Msg::new(
    "Banyak yang cocok? Tambahkan tahun lahir atau desa: siti 1990 kemiri",
    "Many matches? Add a birth year or village: siti 1990 kemiri",
);
pub const BORN_FLAG: Msg = Msg::new(
    "--born: tulis tahun (1990) atau tanggal (1990-08-17)",
    "--born: give a year (1990) or a date (1990-08-17)",
);

/// `12345` as the clerk reads it: `12.345` in Indonesian, `12,345` in English.
pub fn number(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = pick(lang, '.', ',');
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// "1–50 dari 1.234 cocok": the rows shown and how many match (`total` already written out).
pub fn shown_of(lang: Lang, from: usize, to: usize, total: &str) -> String {
    pick(
        lang,
        format!("{from}–{to} dari {total} cocok"),
        format!("{from}–{to} of {total} found"),
    )
}

/// "lebih dari 10.000" / "more than 10,000".
pub fn more_than(lang: Lang, n: u64) -> String {
    let n = number(lang, n);
    pick(lang, format!("lebih dari {n}"), format!("more than {n}"))
}

/// "0 cocok" when nothing matches.
pub fn none_found(lang: Lang) -> String {
    pick(lang, "0 cocok", "0 found").to_string()
}

/// The filter line: each reading in the order of the line, "lahir 1990 · kec. Kemiri".
pub fn readings(lang: Lang, readings: &[Reading]) -> String {
    readings
        .iter()
        .map(|r| reading(lang, r))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// How one filter was read.
pub fn reading(lang: Lang, r: &Reading) -> String {
    match &r.read {
        Read::Born(born) => {
            let when = born_text(*born);
            pick(lang, format!("lahir {when}"), format!("born {when}"))
        }
        Read::NoSuchDay => pick(
            lang,
            format!("{} bukan tanggal yang ada", r.typed),
            format!("{} is not a real date", r.typed),
        ),
        Read::Place { places, .. } => places_label(lang, places),
        Read::NoPlace(kind) => {
            let kind = kind_word(lang, *kind);
            pick(
                lang,
                format!("tidak ada {kind} \"{}\" di kabupaten ini", r.typed),
                format!("no {kind} \"{}\" in this regency", r.typed),
            )
        }
    }
}

fn kind_word(lang: Lang, kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::District => pick(lang, "kecamatan", "district"),
        PlaceKind::Village => pick(lang, "desa", "village"),
    }
}

/// "kec. Kemiri", "desa Pasir Gintung", "kec. Sukamulya + desa Sukamulya, Sukanagara": the
/// kecamatan, then the desa outside them; a name in several kecamatan once with its number;
/// past two names, how many more.
pub fn places_label(lang: Lang, places: &[Place]) -> String {
    let districts: Vec<&Place> = places
        .iter()
        .filter(|p| p.kind == PlaceKind::District)
        .collect();
    let villages: Vec<&Place> = places
        .iter()
        .filter(|p| {
            p.kind == PlaceKind::Village && !districts.iter().any(|d| d.code == p.district_code)
        })
        .collect();
    let mut parts = Vec::new();
    if !districts.is_empty() {
        parts.push(format!(
            "{} {}",
            pick(lang, "kec.", "district"),
            names(lang, &districts)
        ));
    }
    if !villages.is_empty() {
        parts.push(format!(
            "{} {}",
            pick(lang, "desa", "village"),
            names(lang, &villages)
        ));
    }
    parts.join(" + ")
}

fn names(lang: Lang, places: &[&Place]) -> String {
    let mut distinct: Vec<(&str, usize)> = Vec::new();
    for p in places {
        match distinct.iter_mut().find(|(n, _)| *n == p.name) {
            Some((_, count)) => *count += 1,
            None => distinct.push((&p.name, 1)),
        }
    }
    let shown: Vec<String> = distinct
        .iter()
        .take(2)
        .map(|(name, count)| {
            if *count > 1 {
                format!("{name} ({count})")
            } else {
                name.to_string()
            }
        })
        .collect();
    let mut text = shown.join(", ");
    if distinct.len() > 2 {
        let more = distinct.len() - 2;
        text.push_str(&pick(
            lang,
            format!(" +{more} lagi"),
            format!(" +{more} more"),
        ));
    }
    text
}

/// The undo key's hint beside the filter line: which words it turns into a name.
pub fn undo_hint(lang: Lang, typed: &str) -> String {
    pick(
        lang,
        format!("Ctrl-Z: \"{typed}\" sebagai nama"),
        format!("Ctrl-Z: \"{typed}\" as a name"),
    )
}

/// `--place` names no place of the office's kabupaten.
pub fn no_such_place(lang: Lang, typed: &str) -> String {
    pick(
        lang,
        format!(
            "--place: tidak ada desa atau kecamatan di kabupaten kantor (office.regency_code) yang namanya diawali \"{typed}\""
        ),
        format!(
            "--place: no village or district of the office's regency (office.regency_code) has a name beginning with \"{typed}\""
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(kind: PlaceKind, code: &str, name: &str, district: &str) -> Place {
        Place {
            kind,
            code: code.into(),
            name: name.into(),
            district_code: district.into(),
            district_name: String::new(),
        }
    }

    #[test]
    fn numbers_are_grouped_by_language() {
        assert_eq!(number(Lang::Id, 0), "0");
        assert_eq!(number(Lang::Id, 999), "999");
        assert_eq!(number(Lang::Id, 10_000), "10.000");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(more_than(Lang::Id, 10_000), "lebih dari 10.000");
    }

    #[test]
    fn places_read_as_the_clerk_says_them() {
        let kemiri = place(PlaceKind::District, "36.03.09", "Kemiri", "36.03.09");
        let kemiri_desa = place(PlaceKind::Village, "36.03.09.2001", "Kemiri", "36.03.09");
        assert_eq!(
            places_label(Lang::Id, &[kemiri.clone(), kemiri_desa.clone()]),
            "kec. Kemiri"
        );
        assert_eq!(places_label(Lang::Id, &[kemiri_desa]), "desa Kemiri");
        let suka = [
            place(PlaceKind::District, "36.03.23", "Sukamulya", "36.03.23"),
            place(PlaceKind::Village, "36.03.23.2001", "Sukamulya", "36.03.23"),
            place(PlaceKind::Village, "36.03.18.2001", "Sukamulya", "36.03.18"),
            place(PlaceKind::Village, "36.03.05.2001", "Sukamulya", "36.03.05"),
            place(
                PlaceKind::Village,
                "36.03.18.2004",
                "Sukanagara",
                "36.03.18",
            ),
            place(PlaceKind::Village, "36.03.18.2005", "Sukasari", "36.03.18"),
        ];
        assert_eq!(
            places_label(Lang::Id, &suka),
            "kec. Sukamulya + desa Sukamulya (2), Sukanagara +1 lagi"
        );
        assert_eq!(
            places_label(Lang::En, &suka),
            "district Sukamulya + village Sukamulya (2), Sukanagara +1 more"
        );
    }
}
