//! Rendering a drawing function into an antialiased RGB buffer with the embedded font, and
//! encoding it as PNG.

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

/// Figures are drawn at this many times their size in each direction and then averaged down
/// (each output pixel the mean of a `SUPERSAMPLE × SUPERSAMPLE` block, a box filter), so that
/// lines, discs and the edges of regions come out antialiased.
pub const SUPERSAMPLE: u32 = 2;

/// A length in the figure's pixels (a font size, a margin, a stroke) as drawn on the
/// supersampled canvas.
pub const fn px(pixels: u32) -> u32 {
    pixels * SUPERSAMPLE
}

/// The drawing area a figure draws on (supersampled: give every length through [`px`]).
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
    let large = (px(size.0), px(size.1));
    let mut pixels = vec![255u8; large.0 as usize * large.1 as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, large).into_drawing_area();
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
    Ok(downsample(&pixels, size))
}

/// The RGB image of `size` whose every pixel is the rounded mean of its `SUPERSAMPLE ×
/// SUPERSAMPLE` block in `large` (an image `SUPERSAMPLE` times as wide and as high).
fn downsample(large: &[u8], (width, height): (u32, u32)) -> Vec<u8> {
    let (width, height, factor) = (width as usize, height as usize, SUPERSAMPLE as usize);
    let large_row = width * factor * 3;
    let block = (factor * factor) as u32;
    let mut small = Vec::with_capacity(width * height * 3);
    for row in 0..height {
        for column in 0..width {
            for channel in 0..3 {
                let mut sum = 0u32;
                for dy in 0..factor {
                    for dx in 0..factor {
                        let offset =
                            (row * factor + dy) * large_row + (column * factor + dx) * 3 + channel;
                        sum += u32::from(large[offset]);
                    }
                }
                small.push(((sum + block / 2) / block) as u8);
            }
        }
    }
    small
}

/// Draws a figure and writes it to `path` as a PNG, replacing an old file only when complete.
pub fn render_png(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Result<()> {
    let png = render_png_bytes(path, size, draw)?;
    atomic::write_bytes(path, &png)
}

/// Draws a figure and returns it encoded as PNG; `path` only names it in errors.
pub fn render_png_bytes(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Result<Vec<u8>> {
    let pixels = render_rgb(path, size, draw)?;
    encode_png(&pixels, size).map_err(|error| Error::Plot {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })
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
