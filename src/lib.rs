//! tiaokuai: a simulator and assessment tool for tiao-kuai (条块) collaboration
//! in regional digital government.
//!
//! The data path reads left to right: [`scenario`] (TOML → validated
//! parameters) → [`world`] (the government graph, built with petgraph) →
//! [`engine`] (the graph compiled into flat arrays and stepped quarter by
//! quarter, one module per mechanism in [`mechanisms`]) → [`metrics`] →
//! [`experiment`] (replicates × strategies in parallel) → [`output`].
//! The command-line interface in the binary is a thin front end over these.

pub mod catalog;
pub mod compare;
pub mod design;
pub mod error;
pub mod metrics;
pub mod outdir;
pub mod sensitivity;
pub mod stats;
pub mod sweep;

pub use error::{Error, InputError, Result};

/// Version of the tool, written into every manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
