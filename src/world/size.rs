//! The size of a world and of the work and output of its run, computed from
//! the scenario's keys (and, for the csv preset, a count of the rows of its
//! files) before anything is built, so an oversized scenario is refused in
//! milliseconds and a few kilobytes of memory.
//!
//! Rules: nothing here allocates in proportion to the world; counts are
//! kept in `f64` so no product of keys can overflow; every refusal names the
//! estimate and the key that sets the limit.

use std::io::{BufRead, BufReader};
use std::path::Path;

use super::params::Preset;
use crate::catalog::Level;
use crate::error::{InputError, Result};
use crate::scenario::Scenario;

/// Bytes of `timeseries.csv` per row, a generous mean measured on the
/// shipped scenarios (about 90) plus the strategy name.
const ROW_BYTES: f64 = 100.0;

/// Units per level (national, province, city, county, township); for the
/// synthetic province with drawn sub-unit counts, their expectation.
pub fn units_per_level(sc: &Scenario) -> Result<[f64; 5]> {
    let p = &sc.world;
    let mut n = [0.0; 5];
    match p.preset {
        Preset::Province => {
            let cities = f64::from(p.cities);
            let counties = cities * f64::from(p.counties_per_city);
            n = [
                1.0,
                1.0,
                cities,
                counties,
                counties * f64::from(p.townships_per_county),
            ];
        }
        Preset::China => {
            for s in super::china::specs(p, &sc.base_dir())? {
                n[s.level as usize] += 1.0;
            }
        }
        Preset::Csv => {
            let base = sc.base_dir();
            let dir = if p.csv.dir.is_empty() {
                base
            } else {
                base.join(&p.csv.dir)
            };
            n[0] = 1.0;
            let files = [
                &p.csv.provinces,
                &p.csv.cities,
                &p.csv.areas,
                &p.csv.streets,
            ];
            for (level, file) in files.into_iter().enumerate() {
                if Level::ALL[level + 1] > p.depth {
                    break;
                }
                n[level + 1] = count_rows(&dir.join(file))?;
            }
        }
    }
    for (l, v) in n.iter_mut().enumerate() {
        if Level::ALL[l] > p.depth {
            *v = 0.0;
        }
    }
    Ok(n)
}

/// Data rows of a CSV file (lines after the header), read in a stream.
fn count_rows(path: &Path) -> Result<f64> {
    // A file that cannot be read is the builder's to report, with its line.
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(0.0);
    };
    if !meta.is_file() || meta.len() > crate::input::MAX_INPUT_BYTES {
        // The reader refuses it with the full explanation.
        crate::input::read(path)?;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return Ok(0.0);
    };
    let mut lines = 0.0;
    let mut r = BufReader::new(f);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match r.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) if buf.iter().any(|b| !b.is_ascii_whitespace()) => lines += 1.0,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(f64::max(lines - 1.0, 0.0))
}

/// Departments the world would hold.
pub fn departments(sc: &Scenario, units: &[f64; 5]) -> f64 {
    Level::ALL
        .iter()
        .map(|l| {
            let per = sc
                .departments
                .iter()
                .filter(|d| *l <= d.lowest_level)
                .count() as f64;
            per * units[*l as usize]
        })
        .sum()
}

/// Department-quarters of the whole run: departments × quarters × strategies × replicates.
pub fn work(sc: &Scenario, departments: f64) -> f64 {
    departments
        * f64::from(sc.run.years)
        * 4.0
        * sc.strategies.len() as f64
        * f64::from(sc.run.replicates)
}

/// Check the world's departments and the run's work against their limits.
pub fn check(sc: &Scenario) -> Result<()> {
    limits(sc).map_err(|e| match (e, &sc.source.path) {
        (crate::Error::Input(ie), Some(p)) if ie.location.file.is_none() => ie.file(p).into(),
        (e, _) => e,
    })
}

fn limits(sc: &Scenario) -> Result<()> {
    let units = units_per_level(sc)?;
    let depts = departments(sc, &units);
    if depts > sc.world.max_departments as f64 {
        return Err(InputError::new(format!(
            "the world would hold {} units and {} departments, more than world.max_departments = {} (about {} MiB of state per replicate)",
            big(units.iter().sum()),
            big(depts),
            sc.world.max_departments,
            big(depts * 200.0 / f64::from(1 << 20))
        ))
        .key("world.max_departments")
        .suggest("use fewer cities, counties_per_city or townships_per_county, world.depth = \"county\" or \"city\", fewer provinces, or raise world.max_departments if the machine has the memory")
        .into());
    }
    let w = work(sc, depts);
    if w > sc.run.max_work {
        return Err(InputError::new(format!(
            "the run would simulate {} department-quarters ({} departments × {} quarters × {} strategies × {} replicates), more than run.max_work = {}",
            big(w),
            big(depts),
            sc.run.years * 4,
            sc.strategies.len(),
            sc.run.replicates,
            big(sc.run.max_work)
        ))
        .key("run.max_work")
        .suggest("use fewer replicates, years, strategies or a smaller world, or raise run.max_work (the engine does about 15 million department-quarters per second per core)")
        .into());
    }
    Ok(())
}

/// Projected bytes of a run folder, dominated by `timeseries.csv`.
pub fn output_bytes(sc: &Scenario, scopes: usize, metrics: usize) -> f64 {
    let name = sc
        .strategies
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0) as f64;
    sc.strategies.len() as f64
        * f64::from(sc.run.replicates)
        * f64::from(sc.run.years * 4 + 1)
        * scopes as f64
        * metrics as f64
        * (ROW_BYTES + name)
}

/// Check a run's projected output against `run.max_output_mb`.
pub fn check_output(sc: &Scenario, scopes: usize, metrics: usize) -> Result<f64> {
    let bytes = output_bytes(sc, scopes, metrics);
    let mb = bytes / 1e6;
    if mb > sc.run.max_output_mb {
        return Err(InputError::new(format!(
            "the run would write about {} MB of results, more than run.max_output_mb = {}",
            big(mb),
            sc.run.max_output_mb
        ))
        .key("run.max_output_mb")
        .suggest("use fewer replicates, years or strategies, or raise run.max_output_mb if you want files this large")
        .into());
    }
    Ok(bytes)
}

/// A count for messages: integers in full, huge ones in scientific notation.
fn big(x: f64) -> String {
    if x < 1e15 {
        format!("{:.0}", x)
    } else {
        format!("{x:.2e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(extra: &str) -> Scenario {
        crate::scenario::from_str(&format!("name = \"t\"\n{extra}"), None).unwrap()
    }

    #[test]
    fn a_billion_townships_is_refused_before_building() {
        let s =
            sc("[world]\ncities = 1000\ncounties_per_city = 1000\ntownships_per_county = 1000\n");
        let t = std::time::Instant::now();
        let e = check(&s).unwrap_err();
        assert!(t.elapsed().as_secs_f64() < 1.0);
        let text = e.to_string();
        assert!(text.contains("world.max_departments"), "{text}");
        assert!(text.contains("1001001002 units"), "{text}");
        // Negative control: the default world passes.
        check(&sc("")).unwrap();
    }

    #[test]
    fn counts_match_the_built_world() {
        // Exact counts: with a sub-unit dispersion the counts are expectations.
        for extra in [
            "[world]\ncounties_dispersion = 0\ntownships_dispersion = 0\n",
            "[world]\ndepth = \"county\"\ncounties_dispersion = 0\n",
            "[world]\npreset = \"china\"\ndepth = \"city\"\n",
        ] {
            let s = sc(extra);
            let n = units_per_level(&s).unwrap();
            let w = super::super::World::build(&s).unwrap();
            let built = w.units_by_level();
            for l in 0..5 {
                assert_eq!(n[l], built[l] as f64, "{extra} level {l}");
            }
        }
    }

    #[test]
    fn work_and_output_limits_name_their_keys() {
        let s = sc("[run]\nreplicates = 100000\nmax_work = 1e9\n");
        assert!(check(&s).unwrap_err().to_string().contains("run.max_work"));
        let s = sc("[run]\nreplicates = 100000\n");
        let e = check_output(&s, 30, 40).unwrap_err();
        assert!(e.to_string().contains("run.max_output_mb"), "{e}");
        let s = sc("");
        assert!(check_output(&s, 30, 40).is_ok());
    }
}
