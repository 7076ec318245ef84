//! Drawing a small image as a block of square cells on a figure.

use plotters::prelude::*;

use super::super::canvas::{Area, DrawResult};

/// Draws `values` (`height` rows of `width`) as squares of `cell` pixels with their top left at
/// `origin`, each coloured by `colour`, and a one-pixel `frame` around them.
pub fn draw_cells(
    area: &Area,
    origin: (i32, i32),
    (height, width): (usize, usize),
    cell: i32,
    colour: impl Fn(usize) -> RGBColor,
    frame: ShapeStyle,
) -> DrawResult {
    for row in 0..height {
        for column in 0..width {
            let x = origin.0 + column as i32 * cell;
            let y = origin.1 + row as i32 * cell;
            let fill = colour(row * width + column).filled();
            area.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], fill))?;
        }
    }
    let end = (
        origin.0 + width as i32 * cell,
        origin.1 + height as i32 * cell,
    );
    area.draw(&Rectangle::new(
        [(origin.0 - 1, origin.1 - 1), (end.0, end.1)],
        frame,
    ))?;
    Ok(())
}

/// Ink on paper: 0 (or below `low`) is white, `high` and above is black.
pub fn grey(value: f64, low: f64, high: f64) -> RGBColor {
    let share = if high > low {
        ((value - low) / (high - low)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let level = (255.0 * (1.0 - share)).round() as u8;
    RGBColor(level, level, level)
}

/// A diverging scale for signed values: negative blue, zero white, positive red, `±limit` full.
pub fn diverging(value: f64, limit: f64) -> RGBColor {
    let share = if limit > 0.0 {
        (value / limit).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let (full, toward) = if share >= 0.0 {
        ((178.0, 24.0, 43.0), share)
    } else {
        ((33.0, 102.0, 172.0), -share)
    };
    let mix = |channel: f64| (255.0 + (channel - 255.0) * toward).round() as u8;
    RGBColor(mix(full.0), mix(full.1), mix(full.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_runs_from_white_to_black() {
        assert_eq!(grey(0.0, 0.0, 1.0), RGBColor(255, 255, 255));
        assert_eq!(grey(1.0, 0.0, 1.0), RGBColor(0, 0, 0));
        assert_eq!(grey(2.0, 0.0, 1.0), RGBColor(0, 0, 0));
        assert_eq!(grey(0.5, 0.0, 1.0), RGBColor(128, 128, 128));
        assert_eq!(grey(3.0, 3.0, 3.0), RGBColor(255, 255, 255));
    }

    #[test]
    fn diverging_is_white_at_zero_and_saturates_at_the_limit() {
        assert_eq!(diverging(0.0, 2.0), RGBColor(255, 255, 255));
        assert_eq!(diverging(2.0, 2.0), RGBColor(178, 24, 43));
        assert_eq!(diverging(-5.0, 2.0), RGBColor(33, 102, 172));
        assert_eq!(diverging(1.0, 0.0), RGBColor(255, 255, 255));
    }
}
