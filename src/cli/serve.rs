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
//! tiaokuai serve --class --host 0.0.0.0              # role-play on class-province
//! tiaokuai serve --class scenarios/class-china.toml --class-save china.json
//! ```
//!
//! With `--class` a role-play session (docs/classroom.md, "Role-play")
//! runs beside the page at /class (students) and /class/teacher (the
//! teacher, with the token printed at start). The session is saved to
//! `--class-save` after every change and resumed from it on restart.

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
    /// Open a role-play session on a scenario with [[role]] sections
    /// (`class-province` when no value is given; `class-china`; or a file).
    #[arg(long, value_name = "SCENARIO", num_args = 0..=1, default_missing_value = "class-province")]
    pub class: Option<String>,
    /// File the role-play session is saved to after every change, and resumed from.
    #[arg(long, value_name = "FILE", default_value = "tiaokuai-class.json")]
    pub class_save: PathBuf,
    /// Address students open, shown with its QR code (default: this machine's address).
    #[arg(long, value_name = "URL")]
    pub class_url: Option<String>,
}

/// The role-play session: resumed from `--class-save` when it exists.
fn open_class(args: &Args) -> Result<Option<tiaokuai::class::Class>> {
    use tiaokuai::class::{self, Class};
    let Some(spec) = &args.class else {
        return Ok(None);
    };
    let (text, origin) = class::scenario_text(spec)?;
    if args.class_save.exists() {
        let c = Class::load(&args.class_save)?;
        if c.saved.scenario_sha256 != tiaokuai::scenario::sha256_hex(text.as_bytes()) {
            return Err(tiaokuai::InputError::new(format!(
                "{} holds a session on another scenario (`{}`)",
                args.class_save.display(),
                c.saved.scenario_name
            ))
            .key("--class-save")
            .suggest("name another file with --class-save, or move the old one away")
            .into());
        }
        println!(
            "tiaokuai role-play: resumed {} at year {} of {}",
            args.class_save.display(),
            c.year(),
            c.years()
        );
        return Ok(Some(c));
    }
    let mut c = Class::new(&text, origin.as_deref(), Some(args.class_save.clone()))?;
    c.save()?;
    Ok(Some(c))
}

/// This machine's address on the network (no packet is sent), else loopback.
fn lan_address() -> IpAddr {
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| {
            s.connect("10.255.255.255:9")?;
            s.local_addr()
        })
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

pub fn run(args: Args) -> Result<()> {
    let presets = Presets::load(args.scenario.as_deref())?;
    let class = open_class(&args)?;
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
        let Some(class) = class else {
            return serve::serve(listener, state).await;
        };
        let host = if addr.ip().is_unspecified() {
            lan_address()
        } else {
            addr.ip()
        };
        let join = args
            .class_url
            .clone()
            .unwrap_or_else(|| format!("http://{}/class", SocketAddr::new(host, addr.port())));
        let local = if addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        } else {
            addr
        };
        println!(
            "tiaokuai role-play: students open {join} (code {}); teacher: http://{local}/class/teacher#{}",
            class.saved.code, class.saved.teacher_token
        );
        serve::serve_with_class(listener, state, serve::class::ClassApp::new(class, join)).await
    })
}
