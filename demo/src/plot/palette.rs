//! Class colours: a saturated colour per class for points and a lighter tint of it for regions.

use plotters::style::RGBColor;

const CLASS_COLOURS: [RGBColor; 8] = [
    RGBColor(200, 40, 64),
    RGBColor(54, 104, 176),
    RGBColor(58, 150, 74),
    RGBColor(232, 142, 32),
    RGBColor(128, 82, 164),
    RGBColor(140, 86, 60),
    RGBColor(220, 100, 180),
    RGBColor(110, 110, 110),
];

/// The colour of class `class`'s points (classes beyond the palette reuse it in turn).
pub fn point_colour(class: usize) -> RGBColor {
    CLASS_COLOURS[class % CLASS_COLOURS.len()]
}

/// The colour of the region where the model predicts `class`: the point colour mixed with white.
pub fn region_colour(class: usize) -> RGBColor {
    let RGBColor(red, green, blue) = point_colour(class);
    let tint = |channel: u8| (channel as f64 * 0.55 + 255.0 * 0.45).round() as u8;
    RGBColor(tint(red), tint(green), tint(blue))
}
