//! `.nianbao` project files (RON, atomic save). STUB: being written (issue 2).
