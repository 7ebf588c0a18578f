//! Server-rendered SVG charts with a text alternative: no client chart library, no CDN. The
//! markup holds only numbers and escaped text, so pages may place it as trusted HTML.

use std::fmt::Write;

/// One point: its label (a date) and value.
pub type Point = (String, i64);

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 180.0;
const PAD: f64 = 28.0;

/// A line chart of `points` (oldest first) titled `title`: an `<svg role="img">` with a
/// `<title>` and a `<desc>` that says where the line starts, ends and peaks, then a
/// `<details>` table of the values for screen readers and anyone who prefers numbers.
pub fn line_chart(id: &str, title: &str, points: &[Point]) -> String {
    let mut out = String::new();
    let Some(((first_label, first), (last_label, last))) = points.first().zip(points.last()) else {
        return out;
    };
    let (min, max) = points
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), (_, v)| {
            (lo.min(*v), hi.max(*v))
        });
    let span = (max - min).max(1) as f64;
    let n = points.len().max(2) - 1;
    let x = |i: usize| PAD + (WIDTH - 2.0 * PAD) * i as f64 / n as f64;
    let y = |v: i64| HEIGHT - PAD - (HEIGHT - 2.0 * PAD) * (v - min) as f64 / span;
    let line: Vec<String> = if points.len() == 1 {
        vec![
            format!("{:.1},{:.1}", x(0), y(*first)),
            format!("{:.1},{:.1}", x(1), y(*first)),
        ]
    } else {
        points
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect()
    };
    let desc = format!(
        "From {} on {} to {} on {}; highest {}, lowest {}.",
        first, first_label, last, last_label, max, min
    );
    let _ = write!(
        out,
        r#"<figure class="chart" id="{id}"><svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="none"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><line class="chart-axis" x1="{PAD}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}"/><polyline class="chart-line" fill="none" points="{}"/><text class="chart-label" x="{PAD}" y="{ty:.1}">{}</text><text class="chart-label" x="{PAD}" y="{by:.1}">{}</text></svg>"#,
        escape(title),
        escape(&desc),
        line.join(" "),
        max,
        min,
        b = HEIGHT - PAD,
        r = WIDTH - PAD,
        ty = PAD - 8.0,
        by = HEIGHT - 8.0,
    );
    let _ = write!(
        out,
        r#"<figcaption class="visually-hidden">{}</figcaption><details class="chart-table"><summary>The numbers</summary><table><thead><tr><th scope="col">Date</th><th scope="col">{}</th></tr></thead><tbody>"#,
        escape(&desc),
        escape(title)
    );
    // The last 60 points keep the table readable; the description covers the whole range.
    for (label, v) in points.iter().skip(points.len().saturating_sub(60)) {
        let _ = write!(out, "<tr><td>{}</td><td>{v}</td></tr>", escape(label));
    }
    out.push_str("</tbody></table></details></figure>");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_a_line_and_a_text_alternative() {
        let points = vec![
            ("2026-11-01".to_string(), 1),
            ("2026-11-05".to_string(), 11),
            ("2026-11-09".to_string(), 6),
        ];
        let svg = line_chart("rep", "Reputation <over> time", &points);
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("From 1 on 2026-11-01 to 6 on 2026-11-09; highest 11, lowest 1."));
        assert!(svg.contains("Reputation &lt;over&gt; time"));
        assert_eq!(svg.matches("<tr><td>").count(), 3);
        let line = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(line.split(' ').count(), 3);
        assert!(line_chart("x", "t", &[]).is_empty());
        assert!(line_chart("x", "t", &points[..1]).contains("polyline"));
    }
}
