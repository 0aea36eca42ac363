//! Writing output files: whole files replaced atomically, and CSV writers
//! that can add the byte-order mark Excel needs to read UTF-8 (Chinese
//! names) correctly.
//!
//! Rules: nothing here decides *what* is written; an existing output is
//! never replaced unless the caller passes `force`; a file is written to a
//! temporary sibling and renamed into place, so readers never see half a
//! file.

mod csv_writer;
mod file;

pub use csv_writer::{UTF8_BOM, csv_writer};
pub use file::write_file;
