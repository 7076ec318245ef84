//! An animated GIF of the decision boundary as it forms, one frame per snapshot of the model.

use std::path::{Path, PathBuf};

use super::FIGURE_SIZE;
use super::boundary::{Classifier, boundary_frame};
use crate::atomic;
use crate::data::LabeledData;
use crate::error::{Error, Result};

/// Frames collected during training, written as one looping GIF at the end.
pub struct Animation {
    path: PathBuf,
    frames: Vec<Vec<u8>>,
}

/// Hundredths of a second each frame is shown; the last frame is held longer.
const FRAME_DELAY: u16 = 12;
const LAST_FRAME_DELAY: u16 = 200;

impl Animation {
    /// Starts an animation that [`Animation::save`] will write to `path`.
    pub fn new(path: &Path) -> Animation {
        Animation {
            path: path.to_path_buf(),
            frames: Vec::new(),
        }
    }

    /// Renders the decision boundary of `classify` over `data` as the next frame, the rows in
    /// `held_out` drawn as squares.
    pub fn add_frame(
        &mut self,
        data: &LabeledData,
        classify: Classifier,
        title: &str,
        held_out: &[usize],
    ) -> Result<()> {
        let frame = boundary_frame(&self.path, data, classify, title, held_out)?;
        self.frames.push(frame);
        Ok(())
    }

    /// Encodes the frames as a looping GIF and writes it atomically.
    pub fn save(&self) -> Result<()> {
        let plot_error = |error: gif::EncodingError| Error::Plot {
            path: self.path.clone(),
            reason: error.to_string(),
        };
        let (width, height) = (FIGURE_SIZE.0 as u16, FIGURE_SIZE.1 as u16);
        let mut bytes = Vec::new();
        {
            let mut encoder =
                gif::Encoder::new(&mut bytes, width, height, &[]).map_err(plot_error)?;
            encoder
                .set_repeat(gif::Repeat::Infinite)
                .map_err(plot_error)?;
            for (index, pixels) in self.frames.iter().enumerate() {
                let mut frame = gif::Frame::from_rgb_speed(width, height, pixels, 10);
                frame.delay = if index + 1 == self.frames.len() {
                    LAST_FRAME_DELAY
                } else {
                    FRAME_DELAY
                };
                encoder.write_frame(&frame).map_err(plot_error)?;
            }
        }
        atomic::write_bytes(&self.path, &bytes)
    }
}
