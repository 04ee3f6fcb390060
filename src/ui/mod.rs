//! The panels of the window, one file each. STUB: being written (issue 3).
