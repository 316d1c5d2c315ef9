//! `benchmarks.svg`: per backend, each case's median time of every contender relative to
//! hand-written sqlx, on a log scale (a bar up is slower than the floor, down is faster).

use plotters::prelude::*;

use crate::contenders::{FLOOR, NAMES};
use crate::results::BackendRun;

const COLORS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(127, 127, 127),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
];
const LOW: f64 = 0.1;
const HIGH: f64 = 20.0;

/// Draws the chart into `path`.
pub fn draw(path: &std::path::Path, runs: &[BackendRun]) -> Result<(), Box<dyn std::error::Error>> {
    let height = 420 * runs.len().max(1) as u32;
    let root = SVGBackend::new(path, (1100, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((runs.len().max(1), 1));
    for (run, area) in runs.iter().zip(panels.iter()) {
        panel(area, run)?;
    }
    root.present()?;
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    run: &BackendRun,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let cases = run.cases.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "{}: median time / hand-written sqlx (log scale, lower is faster)",
                run.backend
            ),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(70)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..cases, (LOW..HIGH).log_scale())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc("× sqlx")
        .y_label_formatter(&|v| format!("{v}"))
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(0.0, 1.0), (cases, 1.0)],
        BLACK.stroke_width(1),
    ))?;
    let width = 0.8 / NAMES.len() as f64;
    for (index, name) in NAMES.into_iter().enumerate() {
        let color = COLORS[index % COLORS.len()];
        let bars = run.cases.iter().enumerate().filter_map(|(i, case)| {
            let ratio = case.ratio(name, FLOOR)?.clamp(LOW, HIGH);
            let x0 = i as f64 + 0.1 + width * index as f64;
            Some(Rectangle::new(
                [(x0, 1.0), (x0 + width * 0.9, ratio)],
                color.filled(),
            ))
        });
        chart
            .draw_series(bars)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    let labels = run.cases.iter().enumerate().map(|(i, case)| {
        Text::new(
            case.case.label(),
            (i as f64 + 0.1, LOW * 1.15),
            ("sans-serif", 13).into_font(),
        )
    });
    chart.draw_series(labels)?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}
