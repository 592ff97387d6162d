//! The letterhead's logo: a PNG (decoded to RGB with its alpha channel) or a JPEG (embedded as
//! it is, only its size read).

use std::path::Path;

use super::pdf::Picture;

/// Reads a logo file; the error says what is wrong with it.
pub fn load(path: &Path) -> Result<Picture, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if bytes.starts_with(b"\x89PNG") {
        png_picture(&bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_picture(bytes)
    } else {
        Err("not a PNG or JPEG image".into())
    }
}

fn png_picture(bytes: &[u8]) -> Result<Picture, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "image too large".to_string())?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let pixels = &buf[..info.buffer_size()];
    let (rgb, alpha): (Vec<u8>, Option<Vec<u8>>) = match info.color_type {
        png::ColorType::Rgb => (pixels.to_vec(), None),
        png::ColorType::Rgba => (
            pixels.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
            Some(pixels.chunks(4).map(|p| p[3]).collect()),
        ),
        png::ColorType::Grayscale => (pixels.iter().flat_map(|g| [*g, *g, *g]).collect(), None),
        png::ColorType::GrayscaleAlpha => (
            pixels.chunks(2).flat_map(|p| [p[0], p[0], p[0]]).collect(),
            Some(pixels.chunks(2).map(|p| p[1]).collect()),
        ),
        png::ColorType::Indexed => return Err("palette PNG not expanded".into()),
    };
    Ok(Picture::Rgb {
        width: info.width,
        height: info.height,
        rgb,
        alpha,
    })
}

/// Width, height and components from the JPEG's start-of-frame marker.
fn jpeg_picture(bytes: Vec<u8>) -> Result<Picture, String> {
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = bytes[i + 1];
        let length = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let height = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
            let width = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
            let components = bytes[i + 9];
            if components != 1 && components != 3 {
                return Err("only greyscale or RGB JPEG images".into());
            }
            return Ok(Picture::Jpeg {
                width,
                height,
                gray: components == 1,
                data: bytes,
            });
        }
        i += 2 + length;
    }
    Err("JPEG without a frame header".into())
}
