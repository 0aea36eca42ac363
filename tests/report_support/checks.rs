//! Checks of a rendered HTML report shared by the report tests.

/// Parse as XML: fails on any unbalanced or malformed markup.
pub fn assert_well_formed(html: &str) {
    let mut reader = quick_xml::Reader::from_str(html);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(e) => panic!(
                "HTML is not well-formed at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
}

/// The SVG of one figure (from its opening tag to its `</svg>`).
pub fn figure<'a>(html: &'a str, id: &str) -> &'a str {
    let key = format!("data-figure=\"{id}\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("figure {id} missing"));
    let end = html[at..].find("</svg>").unwrap() + at;
    &html[at..end]
}

pub fn assert_each_strategy(svg: &str, strategies: &[&str], id: &str) {
    for s in strategies {
        assert_eq!(
            svg.matches(&format!("class=\"series\" data-strategy=\"{s}\""))
                .count(),
            1,
            "figure {id} should draw strategy {s} once"
        );
    }
}

pub fn assert_no_external_refs(html: &str) {
    let stripped = html.replace("http://www.w3.org/", "");
    for bad in [
        "http://", "https://", "<script", "@import", "url(", "<link", "<img",
    ] {
        assert!(!stripped.contains(bad), "report contains `{bad}`");
    }
}

/// Every headline cell of the comparison table shows the `summary.csv`
/// mean at the horizon exactly; returns how many cells were checked.
pub fn assert_table_matches_summary(html: &str, dir: &std::path::Path, years: usize) -> usize {
    let headline = tiaokuai::metrics::registry::headline_ids();
    let mut checked = 0;
    for (s, m, mean) in super::summary_means(dir, years) {
        if !headline.contains(&m.as_str()) {
            continue;
        }
        let key = format!("data-strategy=\"{s}\" data-metric=\"{m}\" data-value=\"");
        let at = html
            .find(&key)
            .unwrap_or_else(|| panic!("no cell for {s}/{m}"))
            + key.len();
        let shown: f64 = html[at..html[at..].find('"').unwrap() + at]
            .parse()
            .unwrap();
        assert!(
            shown == mean || (shown.is_nan() && mean.is_nan()),
            "{s}/{m}: {shown} vs {mean}"
        );
        checked += 1;
    }
    checked
}
