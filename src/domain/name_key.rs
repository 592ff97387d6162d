//! Name keys: one spelling-tolerant form of a resident's name (nama) for search and duplicate
//! detection, plus the stored display form. Pure string functions: never I/O, never used to
//! change what is shown to the clerk (the display name keeps the KTP's spelling).
//!
//! A key is built word by word, in this order (DOMAIN.md, "Who and where": clerks type names
//! from KTPs printed over decades, in old and new spelling):
//! 1. lowercase;
//! 2. punctuation becomes a space (so "Moch." and "MOCH" are the same word), except apostrophes,
//!    which are dropped (so "Ma'ruf" = "Maruf"); runs of whitespace collapse; ends are trimmed;
//! 3. non-ASCII letters are folded to ASCII where obvious (é -> e), otherwise dropped;
//! 4. moch, moh, muh, mochamad, mochammad, mohamad, mohammad, muhamad, muhammad, mhd (and
//!    muchamad, muchammad, mohd) become "muhammad"; so does "m" when it is the first word and
//!    another word follows ("M. Rizky");
//! 5. old spelling (ejaan lama) becomes new, in one left-to-right pass: oe -> u, dj -> j,
//!    tj -> c, ch -> kh, sj -> sy, nj -> ny;
//! 6. y -> i everywhere (Rizky = Rizki). Everywhere, not only at the end, because search matches
//!    typed prefixes: "wahy" must stay a prefix of the key of "Wahyu";
//! 7. doubled letters collapse (Muhammad -> muhamad, Pratamma -> pratama). Digits are kept.

/// Spellings of Muhammad found on KTPs.
const MUHAMMAD: &[&str] = &[
    "moch",
    "moh",
    "muh",
    "mochamad",
    "mochammad",
    "mohamad",
    "mohammad",
    "muhamad",
    "muhammad",
    "mhd",
    "muchamad",
    "muchammad",
    "mohd",
];

/// Old spelling pairs and their replacement (Ejaan Soewandi / pre-1972 habits).
const OLD_SPELLING: &[(&str, &str)] = &[
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("ch", "kh"),
    ("sj", "sy"),
    ("nj", "ny"),
];

/// Search and duplicate-detection key of a name: see the module documentation for the rules.
/// Empty or punctuation-only input gives "".
pub fn name_key(name: &str) -> String {
    // One output string and one scratch word for the whole name: the import computes 3 million
    // of these, and a string per step and word cost it 1.3 s.
    let cleaned = clean(name);
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut key = String::with_capacity(cleaned.len() + 8);
    let mut spelled = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        let is_muhammad = MUHAMMAD.contains(w) || (*w == "m" && i == 0 && words.len() > 1);
        let w = if is_muhammad { "muhammad" } else { w };
        spelled.clear();
        new_spelling(w, &mut spelled);
        push_collapsed(&mut key, &spelled);
    }
    key
}

/// [`name_key`] split into its words.
pub fn name_key_words(name: &str) -> Vec<String> {
    name_key(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The display form of a name as on the KTP: single spaces, uppercase.
pub fn normalize_display_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_uppercase));
    }
    out
}

/// Two name keys that a clerk could have typed for one person (the duplicate warning of
/// issue 3): equal, one a word-prefix of the other (`siti` / `siti nurhalimah`), or at most two
/// letters apart (`rina` / `rini`).
pub fn similar_names(a: &str, b: &str) -> bool {
    let word_prefix = |short: &str, long: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest.starts_with(' '))
    };
    a == b || word_prefix(a, b) || word_prefix(b, a) || edit_distance(a, b) <= 2
}

/// Levenshtein distance in characters: the fewest insertions, deletions and substitutions
/// that turn `a` into `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Steps 1-3: lowercase ASCII letters and digits separated by single spaces.
fn clean(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ') {
            // dropped: Ma'ruf = Maruf
        } else if let Some(folded) = fold(c) {
            out.push_str(folded);
        } else if c.is_alphabetic() {
            // a letter with no obvious ASCII form: dropped
        } else {
            out.push(' ');
        }
    }
    out
}

/// ASCII form of the accented Latin letters that turn up in names.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Step 5, one left-to-right pass so that a replacement never feeds another
/// ("Handjojo" -> "hanjojo", not "hanyojo"), appended to `out`.
fn new_spelling(word: &str, out: &mut String) {
    let mut rest = word;
    'outer: while !rest.is_empty() {
        for (old, new) in OLD_SPELLING {
            if let Some(after) = rest.strip_prefix(old) {
                out.push_str(new);
                rest = after;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
}

/// Steps 6 and 7, appended to `out`: y -> i, then doubled letters collapse ("pratamma" ->
/// "pratama"); digits are left alone ("11" stays).
fn push_collapsed(out: &mut String, word: &str) {
    let mut prev = None;
    for c in word.chars() {
        let c = if c == 'y' { 'i' } else { c };
        if !(c.is_ascii_alphabetic() && prev == Some(c)) {
            out.push(c);
        }
        prev = Some(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_join_to_the_key_and_display_names_are_tidied() {
        for name in [
            "  Moch.  Rizky ",
            "M. Yusuf",
            "Siti Nur'aini",
            "Ébé  Djoko",
            "M",
            "..",
            "",
        ] {
            assert_eq!(name_key_words(name).join(" "), name_key(name), "{name:?}");
            assert!(name_key_words(name).iter().all(|w| !w.is_empty()));
        }
        assert_eq!(name_key_words("M. Rizky"), ["muhamad", "rizki"]);
        assert_eq!(
            normalize_display_name("  siti \t nur  aini "),
            "SITI NUR AINI"
        );
        assert_eq!(normalize_display_name("   "), "");
    }

    #[test]
    fn same_key() {
        let groups: &[&[&str]] = &[
            &[
                "Moch. Rizky",
                "MUHAMMAD RIZKI",
                "Mohammad Rizki",
                "moch rizky",
                "M. Rizki",
                "Muh Rizky",
                "Mhd. Rizki",
                "Mochamad  Rizkky",
                "Mochammad Rizki",
                "Mohamad Rizki",
                "Muhamad Rizki",
                "Moh Rizki",
            ],
            &["Soekarno", "Sukarno", "SOEKARNO"],
            &["Djoko", "Joko"],
            &["Tjahjo", "Cahjo"],
            &["Achmad", "Akhmad"],
            &["Sjamsul", "Syamsul"],
            &["Njoman", "Nyoman"],
            &["Pratamma", "Pratama"],
            &["Ma'ruf", "Maruf", "MA’RUF"],
            &["José", "Jose"],
            &["Siti  Nur-Aisyah ", "siti nur aisyah"],
        ];
        for group in groups {
            let first = name_key(group[0]);
            for name in group.iter().skip(1) {
                assert_eq!(name_key(name), first, "{name:?} vs {:?}", group[0]);
            }
        }
    }

    #[test]
    fn exact_keys() {
        let cases: &[(&str, &str)] = &[
            ("Moch. Rizky", "muhamad rizki"),
            ("Soekarno", "sukarno"),
            ("Achmad", "akhmad"),
            ("Wahyu Saputra", "wahiu saputra"),
            ("M", "m"),
            ("Rizky M", "rizki m"),
            ("Handjojo", "hanjojo"),
            ("Budi 2", "budi 2"),
            ("Budi 11", "budi 11"),
            ("Ahmad 李 Yusuf", "ahmad iusuf"),
            ("", ""),
            ("   ", ""),
            (".,-/()", ""),
            ("'", ""),
        ];
        for (input, want) in cases {
            assert_eq!(name_key(input), *want, "{input:?}");
        }
    }

    #[test]
    fn typed_prefixes_stay_prefixes() {
        let cases: &[(&str, &str)] = &[
            ("wahy", "Wahyu Saputra"),
            ("wahyu sap", "Wahyu Saputra"),
            ("m rizk", "Moch. Rizky"),
            ("moch riz", "Muhammad Rizki"),
            ("soek", "Sukarno"),
        ];
        for (typed, name) in cases {
            assert!(
                name_key(name).starts_with(&name_key(typed)),
                "{typed:?} should prefix {name:?}"
            );
        }
    }

    #[test]
    fn names_close_enough_to_be_one_person() {
        let cases: &[(&str, &str, bool)] = &[
            ("siti", "siti nurhalimah", true),
            ("siti nurhalimah", "siti", true),
            ("dewi rahaiu", "dewi rahaiu", true),
            ("rina", "rini", true),
            ("muhamad rizki", "muhamad riski", true),
            ("ani", "anisa", true),
            ("budi", "siti", false),
            ("siti", "sitinurhalimah", false),
            ("siti aminah", "siti nurhalimah", false),
            ("", "abc", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(similar_names(a, b), *want, "{a:?} / {b:?}");
        }
    }

    #[test]
    fn edit_distances() {
        let cases: &[(&str, &str, usize)] = &[
            ("kitten", "sitting", 3),
            ("", "", 0),
            ("", "abc", 3),
            ("abc", "", 3),
            ("rina", "rini", 1),
            ("flaw", "lawn", 2),
            ("é", "e", 1),
        ];
        for (a, b, want) in cases {
            assert_eq!(edit_distance(a, b), *want, "{a:?} / {b:?}");
            assert_eq!(edit_distance(b, a), *want, "{b:?} / {a:?}");
        }
    }

    #[test]
    fn words_and_display() {
        assert_eq!(
            name_key_words("Moch. Rizky  Pratama"),
            vec!["muhamad", "rizki", "pratama"]
        );
        assert!(name_key_words("  ...  ").is_empty());
        let cases: &[(&str, &str)] = &[
            ("  siti   nurhaliza ", "SITI NURHALIZA"),
            ("Moch. Rizky", "MOCH. RIZKY"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_display_name(input), *want, "{input:?}");
        }
    }
}
