//! QR codes for the receipt's reference: the modules of the symbol, with the quiet zone the
//! standard asks for (four modules), for the layout to draw as filled squares.

use qrcodegen::{QrCode, QrCodeEcc};

/// The symbol's modules, row by row, true for dark, quiet zone included.
pub fn modules(text: &str) -> Result<Vec<Vec<bool>>, String> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|e| e.to_string())?;
    let quiet = 4;
    let n = code.size();
    Ok((-quiet..n + quiet)
        .map(|y| (-quiet..n + quiet).map(|x| code.get_module(x, y)).collect())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_fits_the_smallest_symbols() {
        let modules = modules("BP-K7Q-M93X").expect("encodes");
        // Version 1 (21 modules) plus a quiet zone of 4 on each side.
        assert_eq!(modules.len(), 29);
        assert!(modules.iter().all(|row| row.len() == 29));
        assert!(!modules[0][0], "the quiet zone is light");
        assert!(modules[4][4], "the finder pattern's corner is dark");
    }
}
