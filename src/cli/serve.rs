//! `tiaokuai serve [SCENARIO] [--host ADDR] [--port N]`
//!
//! Classroom mode: serves the interactive page and its JSON API
//! (docs/api.md) on http://127.0.0.1:8080 until Ctrl-C. The shipped
//! scenarios are built in; a SCENARIO file given here is added as the
//! first (default) preset. `--host 0.0.0.0` opens it to the classroom LAN.
//!
//! ```text
//! tiaokuai serve
//! tiaokuai serve scenarios/provincial-vs-local.toml --port 9000
//! tiaokuai serve --host 0.0.0.0
//! ```

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use tiaokuai::Result;
use tiaokuai::serve::{self, AppState, ServerConfig, presets::Presets};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file to offer first (the shipped presets are always there).
    pub scenario: Option<PathBuf>,
    /// Address to listen on; 0.0.0.0 lets other machines on the network connect.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

pub fn run(args: Args) -> Result<()> {
    let presets = Presets::load(args.scenario.as_deref())?;
    let state = AppState::new(presets, &ServerConfig::default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| tiaokuai::Error::io("cannot start the web server", e))?;
    runtime.block_on(async {
        let listener = serve::bind(SocketAddr::new(args.host, args.port)).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| tiaokuai::Error::io("cannot read the listening address", e))?;
        let shown = if addr.ip().is_unspecified() {
            format!(
                "http://127.0.0.1:{} (and this machine's network address)",
                addr.port()
            )
        } else {
            format!("http://{addr}")
        };
        println!("tiaokuai classroom: open {shown} — press Ctrl-C to stop");
        serve::serve(listener, state).await
    })
}
