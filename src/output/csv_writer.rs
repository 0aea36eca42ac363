//! CSV writers for every CSV the tool writes: plain UTF-8 by default (what
//! pandas and R expect), or UTF-8 with a byte-order mark (`--excel-csv`) so
//! that Excel on Windows shows Chinese names instead of mojibake.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::{Error, Result};

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer on `path`, starting with a BOM when `bom` is true.
pub fn csv_writer(path: &Path, bom: bool) -> Result<csv::Writer<BufWriter<File>>> {
    let file =
        File::create(path).map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
    let mut buf = BufWriter::new(file);
    if bom {
        buf.write_all(UTF8_BOM)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    Ok(csv::Writer::from_writer(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(bom: bool) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let mut w = csv_writer(&path, bom).unwrap();
        w.write_record(["scope_name_zh", "value"]).unwrap();
        w.write_record(["浙江省", "1.5"]).unwrap();
        w.flush().unwrap();
        drop(w);
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn bom_only_when_asked() {
        let plain = write(false);
        let excel = write(true);
        assert!(plain.starts_with(b"scope_name_zh,value\n"));
        assert!(excel.starts_with(UTF8_BOM));
        assert_eq!(&excel[3..], &plain[..]);
        assert!(String::from_utf8(plain).unwrap().contains("浙江省"));
    }
}
