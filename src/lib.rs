//! tiaokuai: a simulator and assessment tool for tiao-kuai (条块) collaboration
//! in regional digital government.
//!
//! The data path reads left to right: [`scenario`] (TOML → validated
//! parameters) → [`world`] (the government graph, built with petgraph) →
//! [`engine`] (the graph compiled into flat arrays and stepped quarter by
//! quarter, one module per mechanism in [`mechanisms`]) → [`metrics`];
//! [`sim`] sits above both and plays one run ([`sim::Context`],
//! [`sim::Runner`]) → [`experiment`] (replicates × strategies in parallel) → [`output`].
//! The command-line interface in the binary is a thin front end over these.

// Input errors carry file, key, line and suggestions; they are cold-path
// values, so their size is not worth boxing at every call site.
#![allow(clippy::result_large_err)]

pub mod assess;
pub mod bench;
pub mod calibrate;
pub mod catalog;
pub mod class;
pub mod compare;
pub mod design;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod input;
pub mod maturity_score;
pub mod mechanisms;
pub mod metrics;
pub mod output;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod serve;
pub mod sim;
pub mod stats;
pub mod sweep;
pub mod world;

pub use error::{Error, InputError, Result};

/// Version of the tool, written into every manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
