//! Settling a frame's input in extra passes instead of extra painted frames.
//!
//! egui answers every frame that carried input (a key press, a key release, a mouse move) with an immediate
//! repaint request, and every immediate request with two frames "to let things settle" (`Context::begin_pass`,
//! `request_repaint_after` in egui 0.37). So one key press draws three frames and its release up to three more.
//! Under software OpenGL a painted frame of this window costs 10–20 ms of CPU and an egui pass about 0.5 ms:
//! settling the same input in two extra passes of the same frame (`Context::request_discard`) gives the same
//! picture as the extra frames would, with one paint. The repaint requests made in the discarded passes belong to
//! passes that were never shown, and eframe drops them as outdated; a request made in the last pass (an
//! animation, a blinking caret, a tooltip's delay) is kept as usual.

use std::num::NonZeroUsize;

/// Passes run for a frame that carried input: the one that reads it and the two egui would otherwise paint as
/// separate frames.
pub const PASSES: NonZeroUsize = NonZeroUsize::new(3).expect("3 is not zero");

/// Counts the passes a frame still has to settle.
#[derive(Debug, Default)]
pub struct Settle {
    left: usize,
}

impl Settle {
    /// Called with a frame's input before its first pass: input asks for settling passes.
    pub fn begin_frame(&mut self, input: &egui::RawInput) {
        let has_input = !input.events.is_empty() || !input.dropped_files.is_empty() || !input.hovered_files.is_empty();
        self.left = if has_input { PASSES.get() - 1 } else { 0 };
    }

    /// Called at the end of each pass: whether to run the frame once more before painting it.
    pub fn another_pass(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_settles_in_two_more_passes_and_quiet_frames_in_none() {
        let mut s = Settle::default();
        let mut key = egui::RawInput::default();
        key.events.push(egui::Event::Text("政".into()));
        s.begin_frame(&key);
        assert!(s.another_pass());
        assert!(s.another_pass());
        assert!(!s.another_pass());
        s.begin_frame(&egui::RawInput::default());
        assert!(!s.another_pass());
    }
}
