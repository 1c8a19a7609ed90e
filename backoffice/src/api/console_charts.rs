//! Bar charts as SVG, rendered here so the console needs no chart library and no script to
//! draw them. The SVG carries no script and no external reference.

use std::fmt::Write;

/// Escapes text for SVG content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A vertical bar chart: one bar per label, values in `unit`, the title on top.
pub fn bar_chart(title: &str, labels: &[String], values: &[f64], unit: &str) -> String {
    let (width, height, left, bottom, top) = (640.0_f64, 280.0_f64, 44.0, 56.0, 34.0);
    // Round the scale up to a multiple of 4 so the five grid lines get whole numbers.
    let max = (values.iter().copied().fold(0.0_f64, f64::max) / 4.0)
        .ceil()
        .max(1.0)
        * 4.0;
    let n = labels.len().max(1) as f64;
    let slot = (width - left - 10.0) / n;
    let plot = height - bottom - top;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{t}"><rect width="100%" height="100%" fill="#ffffff"/><text x="{left}" y="20" font-family="sans-serif" font-size="15" font-weight="bold" fill="#1d2733">{t}</text>"##,
        t = escape(title)
    );
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = top + plot - plot * f64::from(i) / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="#dde3ea"/><text x="{lx}" y="{ty:.1}" font-family="sans-serif" font-size="10" text-anchor="end" fill="#4a5563">{v:.0}</text>"##,
            x2 = width - 10.0,
            lx = left - 4.0,
            ty = y + 3.0
        );
    }
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        let h = plot * value / max;
        let x = left + slot * i as f64 + slot * 0.15;
        let y = top + plot - h;
        let cx = x + slot * 0.35;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="#1f5fa8"><title>{l}: {value:.1} {u}</title></rect>"##,
            w = slot * 0.7,
            l = escape(label),
            u = escape(unit)
        );
        if *value > 0.0 {
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{vy:.1}" font-family="sans-serif" font-size="9" text-anchor="middle" fill="#1d2733">{value:.0}</text>"##,
                vy = y - 3.0
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{cx:.1}" y="{ly:.1}" font-family="sans-serif" font-size="10" text-anchor="end" transform="rotate(-40 {cx:.1} {ly:.1})" fill="#1d2733">{l}</text>"##,
            ly = top + plot + 14.0,
            l = escape(label)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{x}" y="{y}" font-family="sans-serif" font-size="10" text-anchor="end" fill="#4a5563">{u}</text></svg>"##,
        x = width - 10.0,
        y = top - 4.0,
        u = escape(unit)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_bar_per_value_and_escapes_labels() {
        let svg = bar_chart(
            "Wartezeit <heute>",
            &["a&b".into(), "c".into()],
            &[3.0, 0.0],
            "Min.",
        );
        assert_eq!(svg.matches("<rect x=").count(), 2);
        assert!(svg.contains("Wartezeit &lt;heute&gt;"));
        assert!(svg.contains("a&amp;b"));
        assert!(!svg.contains("<script"));
    }
}
