//! The page's static files, embedded in the binary so the server needs no
//! files and no network at run time (plain HTML, CSS and JavaScript from
//! `assets/serve/`, no CDN).

/// `(path, content type, body)` of every static file.
pub const FILES: &[(&str, &str, &str)] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("../../assets/serve/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/serve/app.js"),
    ),
    (
        "/charts.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/serve/charts.js"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/serve/style.css"),
    ),
];

/// `(path, content type, body)` of the role-play's pages (`serve --class`,
/// from `assets/class/`).
pub const CLASS_FILES: &[(&str, &str, &str)] = &[
    (
        "/class",
        "text/html; charset=utf-8",
        include_str!("../../assets/class/student.html"),
    ),
    (
        "/class/teacher",
        "text/html; charset=utf-8",
        include_str!("../../assets/class/teacher.html"),
    ),
    (
        "/class/class.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/class/class.js"),
    ),
    (
        "/class/class.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/class/class.css"),
    ),
];

/// The file served at `path`.
pub fn get(path: &str) -> Option<(&'static str, &'static str)> {
    find(FILES, path)
}

/// The file of `files` at `path`: its content type and body.
pub fn find(
    files: &[(&str, &'static str, &'static str)],
    path: &str,
) -> Option<(&'static str, &'static str)> {
    files.iter().find(|f| f.0 == path).map(|f| (f.1, f.2))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_loads_its_scripts_and_no_remote_resources() {
        let (_, html) = super::get("/").unwrap();
        for f in ["/app.js", "/charts.js", "/style.css"] {
            assert!(html.contains(&format!("\"{f}\"")), "{f} not referenced");
        }
        // The only URL allowed is the SVG namespace name, which is never fetched.
        for (path, _, body) in super::FILES {
            let urls = body.matches("http://").count() + body.matches("https://").count();
            let ns = body.matches("\"http://www.w3.org/2000/svg\"").count();
            assert_eq!(urls, ns, "{path} refers to a remote resource");
        }
    }
}
