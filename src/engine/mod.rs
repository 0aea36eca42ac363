//! The engine: the world compiled into flat arrays and stepped quarter by
//! quarter for one (strategy, replicate) at a time.
//!
//! Rules: **the engine does no I/O**: it is handed a built world and a
//! framework (the files a scenario names are read by
//! [`crate::sim::Context::new`]), and no module here names a file, a
//! reader or the world builder (tested below); a run's randomness comes only from
//! streams derived from (scenario seed, replicate, stream name), so a
//! replicate is the same whichever thread runs it and every strategy of a
//! replicate sees the same draws; after [`crate::sim::Runner::new`] the step loop
//! allocates nothing.

pub mod compiled;
pub(crate) mod links;
pub mod maturity;
pub mod plan;
pub mod state;
pub(crate) mod step;

use crate::scenario::Scenario;
use compiled::Compiled;

/// What a quarter reads: the validated scenario and its compiled world.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setup<'a> {
    pub scenario: &'a Scenario,
    pub compiled: &'a Compiled,
}

#[cfg(test)]
mod tests {
    /// The engine's code (its tests aside) names no file, reader or world
    /// builder: the files a scenario names are read before the engine is
    /// handed a world.
    #[test]
    fn engine_does_no_io() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/engine");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            // Tests may build worlds; the code they test may not.
            let code = text.split("#[cfg(test)]").next().unwrap();
            files += 1;
            for word in [
                "std::fs",
                "std::io",
                "File::",
                "read_to_string",
                "read_text",
                "input::",
                "World::build",
                "std::env",
                "Framework::load",
                "Framework::for_scenario",
                "println!",
            ] {
                assert!(!code.contains(word), "{} uses `{word}`", path.display());
            }
        }
        assert!(files >= 6, "the engine's sources were not found");
    }

    /// No import cycle: the engine uses neither the metrics nor the
    /// simulation above it.
    #[test]
    fn engine_imports_nothing_above_it() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/engine");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for line in code.lines().map(str::trim) {
                if line.starts_with("//") {
                    continue;
                }
                for above in ["crate::metrics", "crate::sim", "crate::experiment"] {
                    assert!(!line.contains(above), "{}: {line}", path.display());
                }
            }
        }
    }
}
