//! The short reference code printed on a registration receipt (nomor bukti pendaftaran), e.g.
//! `BP-K7Q-M93X`: what a resident reads out or shows (also as a QR code) at the counter, and what
//! the desk search finds. Derived from the enrollment's id, so nothing extra is stored and every
//! enrollment, old or new, has one. Pure: no I/O.
//!
//! The id is scrambled by a bijection of 30-bit numbers (multiplication by an odd constant), so
//! codes of neighbouring enrollments do not look alike; it is written in Crockford's base 32
//! (no I, L, O, U: nothing to mistake for 1 or 0) and closed by a check character that catches
//! any one mistyped character and any swap of two neighbouring ones.

/// Crockford's base-32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Data characters: 6 x 5 bits = 30 bits, about a billion enrollments.
const DATA_CHARS: usize = 6;
const BITS: u32 = 30;
const MASK: u64 = (1 << BITS) - 1;
/// Odd, so multiplication modulo 2^30 is a bijection; INVERSE undoes it.
const FACTOR: u64 = 0x2E5B_F271;
const INVERSE: u64 = inverse(FACTOR);
/// What every code starts with (Bukti Pendaftaran).
pub const PREFIX: &str = "BP";

/// The multiplicative inverse of an odd number modulo 2^30 (Newton's iteration).
const fn inverse(a: u64) -> u64 {
    let mut x = a; // correct to 3 bits for any odd a
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x & MASK
}

fn value(c: u8) -> Option<u64> {
    let c = match c.to_ascii_uppercase() {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        c => c,
    };
    ALPHABET.iter().position(|a| *a == c).map(|p| p as u64)
}

/// Weighted sum modulo 31: weights 1..=6 are all non-zero modulo the prime 31, so one changed
/// character or two swapped neighbours change the check (unless they differ by exactly 31).
fn check(digits: &[u64]) -> u64 {
    digits
        .iter()
        .enumerate()
        .map(|(i, d)| (i as u64 + 1) * d)
        .sum::<u64>()
        % 31
}

/// The code of an enrollment id (1 ..= 2^30 - 1), `BP-XXX-XXXX`; `None` outside that range.
pub fn encode(enrollment_id: i64) -> Option<String> {
    let id = u64::try_from(enrollment_id)
        .ok()
        .filter(|&n| n > 0 && n <= MASK)?;
    let mut scrambled = (id * FACTOR) & MASK;
    let mut digits = [0u64; DATA_CHARS];
    for d in digits.iter_mut().rev() {
        *d = scrambled & 31;
        scrambled >>= 5;
    }
    let chars: Vec<char> = digits
        .iter()
        .chain(std::iter::once(&check(&digits)))
        .map(|d| ALPHABET[*d as usize] as char)
        .collect();
    let text: String = chars.iter().collect();
    Some(format!("{PREFIX}-{}-{}", &text[..3], &text[3..]))
}

/// The enrollment id a typed code names: case, spaces and dashes do not matter, O reads as 0
/// and I/L as 1. `None` when the text is not a code or its check character is wrong.
pub fn decode(text: &str) -> Option<i64> {
    let compact: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' ' | b'.'))
        .collect();
    let rest = compact
        .strip_prefix(b"BP")
        .or_else(|| compact.strip_prefix(b"bp"))
        .or_else(|| compact.strip_prefix(b"Bp"))
        .or_else(|| compact.strip_prefix(b"bP"))?;
    if rest.len() != DATA_CHARS + 1 {
        return None;
    }
    let values: Vec<u64> = rest.iter().map(|c| value(*c)).collect::<Option<_>>()?;
    let (data, sum) = values.split_at(DATA_CHARS);
    if check(data) != sum[0] {
        return None;
    }
    let scrambled = data.iter().fold(0u64, |acc, d| (acc << 5) | d);
    let id = (scrambled * INVERSE) & MASK;
    (id > 0).then_some(id as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for id in [1, 2, 3, 41, 1000, 123_456, 999_999_999, (1 << 30) - 1] {
            let code = encode(id).expect("in range");
            assert_eq!(code.len(), 11, "{code}");
            assert!(code.starts_with("BP-"), "{code}");
            assert_eq!(decode(&code), Some(id), "{code}");
        }
    }

    #[test]
    fn out_of_range_ids_have_no_code() {
        assert_eq!(encode(0), None);
        assert_eq!(encode(-5), None);
        assert_eq!(encode(1 << 30), None);
    }

    #[test]
    fn typed_variants_read_the_same() {
        let code = encode(4242).expect("code");
        let lower = code.to_lowercase();
        let spaced = code.replace('-', " ");
        let bare = code.replace('-', "");
        for typed in [lower.as_str(), spaced.as_str(), bare.as_str()] {
            assert_eq!(decode(typed), Some(4242), "{typed}");
        }
    }

    #[test]
    fn neighbours_look_different() {
        let a = encode(100).expect("code");
        let b = encode(101).expect("code");
        let same = a.chars().zip(b.chars()).filter(|(x, y)| x == y).count();
        assert!(same < 8, "{a} {b}");
    }

    #[test]
    fn one_wrong_character_or_a_swap_is_caught() {
        let code = encode(777_777).expect("code");
        let chars: Vec<char> = code.chars().collect();
        let positions: Vec<usize> = (0..chars.len())
            .filter(|&i| chars[i] != '-')
            .skip(2)
            .collect();
        for &i in &positions {
            for replacement in ALPHABET.iter().map(|b| *b as char) {
                if replacement == chars[i] {
                    continue;
                }
                let mut typo = chars.clone();
                typo[i] = replacement;
                let typo: String = typo.into_iter().collect();
                let diff = value(replacement as u8).unwrap_or(0) as i64
                    - value(chars[i] as u8).unwrap_or(0) as i64;
                if diff.abs() != 31 {
                    assert_eq!(decode(&typo), None, "{typo}");
                }
            }
        }
        for pair in positions.windows(2) {
            let (i, j) = (pair[0], pair[1]);
            if chars[i] == chars[j] {
                continue;
            }
            let mut swapped = chars.clone();
            swapped.swap(i, j);
            let swapped: String = swapped.into_iter().collect();
            assert_eq!(decode(&swapped), None, "{swapped}");
        }
    }

    #[test]
    fn names_and_numbers_are_not_codes() {
        for text in ["", "BP", "BUDI", "bpk ahmad", "3603321234560001", "BP-123"] {
            assert_eq!(decode(text), None, "{text}");
        }
    }
}
