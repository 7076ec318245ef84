//! Rendering a drawing function into an RGB buffer with the embedded font, and encoding it as PNG.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::atomic;
use crate::error::{Error, Result};

/// The font every figure's text is drawn with, shipped inside the binary (licence beside the file).
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The family name figures ask for; plotters' default text style uses it too.
pub const FONT_FAMILY: &str = "sans-serif";

/// The drawing area a figure draws on.
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// What a drawing function returns; any plotters error, boxed.
pub type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Registers the embedded font with plotters, once per process.
fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        if plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT).is_err() {
            panic!("register_font: the embedded DejaVuSans.ttf failed to parse");
        }
    });
}

/// Draws with `draw` onto a white `size` canvas and returns the RGB pixels, row by row.
pub fn render_rgb(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Result<Vec<u8>> {
    register_font();
    let mut pixels = vec![255u8; size.0 as usize * size.1 as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        let result = area
            .fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| draw(&area));
        result
            .and_then(|()| area.present().map_err(Into::into))
            .map_err(|error| Error::Plot {
                path: path.to_path_buf(),
                reason: error.to_string(),
            })?;
    }
    Ok(pixels)
}

/// Draws a figure and writes it to `path` as a PNG, replacing an old file only when complete.
pub fn render_png(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Result<()> {
    let pixels = render_rgb(path, size, draw)?;
    let png = encode_png(&pixels, size).map_err(|error| Error::Plot {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    atomic::write_bytes(path, &png)
}

fn encode_png(
    pixels: &[u8],
    (width, height): (u32, u32),
) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
    }
    Ok(bytes)
}
