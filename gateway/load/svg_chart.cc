// Coordinates are computed here and written with one decimal; text is escaped.
#include "load/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tollgate/base/concat.h"
#include "tollgate/base/markup.h"

namespace tollgate::gateway::load {
namespace {

constexpr double kWidth = 900;
constexpr double kHeight = 320;
constexpr double kLeft = 70;
constexpr double kRight = 40;  // room for the last x label
constexpr double kTop = 36;
constexpr double kBottom = 50;

std::string Num(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// A number for a tick label: no trailing zeros.
std::string Label(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// A round step (1, 2 or 5 times a power of ten) that splits [0, max] into about five parts.
double NiceStep(double max) {
  if (max <= 0) return 1;
  const double raw = max / 5;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

}  // namespace

std::string LineChart(const LineChartSpec& spec) {
  double x_min = 0, x_max = 1, y_max = 0;
  bool any = false;
  for (const ChartSeries& s : spec.series) {
    for (const auto& [x, y] : s.points) {
      x_min = any ? std::min(x_min, x) : x;
      x_max = any ? std::max(x_max, x) : x;
      y_max = std::max(y_max, y);
      any = true;
    }
  }
  for (const auto& tick : spec.x_ticks) x_max = std::max(x_max, tick.first);
  if (x_max <= x_min) x_max = x_min + 1;
  const double y_step = NiceStep(y_max);
  const double y_top = y_max <= 0 ? 1 : std::ceil(y_max / y_step) * y_step;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const auto px = [&](double x) { return kLeft + (x - x_min) / (x_max - x_min) * plot_w; };
  const auto py = [&](double y) { return kTop + plot_h - y / y_top * plot_h; };

  std::string svg =
      Concat("<svg id=\"", HtmlEscaped(spec.id), "\" class=\"chart\" viewBox=\"0 0 ", Num(kWidth),
             " ", Num(kHeight), "\" role=\"img\" aria-label=\"", HtmlEscaped(spec.title), "\">\n");
  AppendTo(svg, "<title>", HtmlEscaped(spec.title), "</title>\n");
  AppendTo(svg, "<text x=\"", Num(kLeft), "\" y=\"20\" class=\"chart-title\">",
           HtmlEscaped(spec.title), "</text>\n");
  // Horizontal grid lines with y labels.
  for (double y = 0; y <= y_top + y_step / 2; y += y_step) {
    AppendTo(svg, "<line x1=\"", Num(kLeft), "\" y1=\"", Num(py(y)), "\" x2=\"",
             Num(kWidth - kRight), "\" y2=\"", Num(py(y)), "\" class=\"grid\"/>\n");
    AppendTo(svg, "<text x=\"", Num(kLeft - 6), "\" y=\"", Num(py(y) + 4),
             "\" class=\"tick\" text-anchor=\"end\">", Label(y), "</text>\n");
  }
  std::vector<std::pair<double, std::string>> x_ticks = spec.x_ticks;
  if (x_ticks.empty()) {
    const double step = NiceStep(x_max - x_min);
    for (double x = std::ceil(x_min / step) * step; x <= x_max + step / 1000; x += step) {
      x_ticks.emplace_back(x, Label(x));
    }
  }
  for (const auto& [x, label] : x_ticks) {
    AppendTo(svg, "<line x1=\"", Num(px(x)), "\" y1=\"", Num(kTop + plot_h), "\" x2=\"", Num(px(x)),
             "\" y2=\"", Num(kTop + plot_h + 5), "\" class=\"axis\"/>\n");
    AppendTo(svg, "<text x=\"", Num(px(x)), "\" y=\"", Num(kTop + plot_h + 18),
             "\" class=\"tick\" text-anchor=\"middle\">", HtmlEscaped(label), "</text>\n");
  }
  AppendTo(svg, "<line x1=\"", Num(kLeft), "\" y1=\"", Num(kTop + plot_h), "\" x2=\"",
           Num(kWidth - kRight), "\" y2=\"", Num(kTop + plot_h), "\" class=\"axis\"/>\n");
  AppendTo(svg, "<line x1=\"", Num(kLeft), "\" y1=\"", Num(kTop), "\" x2=\"", Num(kLeft),
           "\" y2=\"", Num(kTop + plot_h), "\" class=\"axis\"/>\n");
  AppendTo(svg, "<text x=\"", Num(kLeft + plot_w / 2), "\" y=\"", Num(kHeight - 8),
           "\" class=\"axis-label\" text-anchor=\"middle\">", HtmlEscaped(spec.x_label),
           "</text>\n");
  AppendTo(svg, "<text x=\"14\" y=\"", Num(kTop + plot_h / 2),
           "\" class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 ",
           Num(kTop + plot_h / 2), ")\">", HtmlEscaped(spec.y_label), "</text>\n");
  double legend_x = kWidth - kRight;
  for (auto s = spec.series.rbegin(); s != spec.series.rend(); ++s) {
    legend_x -= 14 + 8 * static_cast<double>(s->name.size()) + 16;
    AppendTo(svg, "<rect x=\"", Num(legend_x), "\" y=\"11\" width=\"12\" height=\"4\" fill=\"",
             HtmlEscaped(s->color), "\"/><text x=\"", Num(legend_x + 16),
             "\" y=\"17\" class=\"tick\">", HtmlEscaped(s->name), "</text>\n");
  }
  for (const ChartSeries& s : spec.series) {
    if (s.points.empty()) continue;
    AppendTo(svg, "<polyline class=\"series\" fill=\"none\" stroke=\"", HtmlEscaped(s.color),
             "\" stroke-width=\"2\" points=\"");
    for (const auto& [x, y] : s.points) AppendTo(svg, Num(px(x)), ",", Num(py(y)), " ");
    svg += "\"/>\n";
  }
  svg += "</svg>\n";
  return svg;
}

std::string BarChart(std::string_view id, std::string_view title,
                     const std::vector<ChartBar>& bars) {
  constexpr double kRow = 26;
  constexpr double kLabelWidth = 230;
  const double height = kTop + kRow * static_cast<double>(std::max<size_t>(bars.size(), 1)) + 12;
  uint64_t largest = 1;
  for (const ChartBar& bar : bars) largest = std::max(largest, bar.value);
  const double bar_space = kWidth - kLabelWidth - 110;
  std::string svg =
      Concat("<svg id=\"", HtmlEscaped(id), "\" class=\"chart\" viewBox=\"0 0 ", Num(kWidth), " ",
             Num(height), "\" role=\"img\" aria-label=\"", HtmlEscaped(title), "\">\n");
  AppendTo(svg, "<title>", HtmlEscaped(title), "</title>\n");
  AppendTo(svg, "<text x=\"10\" y=\"20\" class=\"chart-title\">", HtmlEscaped(title), "</text>\n");
  if (bars.empty()) {
    AppendTo(svg, "<text x=\"10\" y=\"", Num(kTop + 16),
             "\" class=\"tick\">nothing counted</text>\n");
  }
  double y = kTop;
  for (const ChartBar& bar : bars) {
    const double w =
        std::max(1.0, static_cast<double>(bar.value) / static_cast<double>(largest) * bar_space);
    AppendTo(svg, "<text x=\"", Num(kLabelWidth - 8), "\" y=\"", Num(y + 16),
             "\" class=\"tick\" text-anchor=\"end\">", HtmlEscaped(bar.label), "</text>\n");
    AppendTo(svg, "<rect class=\"bar\" x=\"", Num(kLabelWidth), "\" y=\"", Num(y + 3),
             "\" width=\"", Num(w), "\" height=\"", Num(kRow - 8), "\" fill=\"",
             HtmlEscaped(bar.color), "\"/>\n");
    AppendTo(svg, "<text x=\"", Num(kLabelWidth + w + 6), "\" y=\"", Num(y + 16),
             "\" class=\"tick\">", bar.value, "</text>\n");
    y += kRow;
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace tollgate::gateway::load
