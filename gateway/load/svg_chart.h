// Small SVG charts drawn as text (no script, no external resource) for the HTML report: a line
// chart with axes and ticks, and a horizontal bar chart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tollgate::gateway::load {

struct ChartSeries {
  std::string name;
  std::string color;                              // a CSS colour such as #1f77b4
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending
};

struct LineChartSpec {
  std::string id;  // the svg element's id
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  // Ticks on the x axis (position, label); evenly spaced round numbers when empty.
  std::vector<std::pair<double, std::string>> x_ticks;
};

struct ChartBar {
  std::string label;
  uint64_t value = 0;
  std::string color;
};

// An <svg> line chart; the y axis starts at 0. An empty series list draws empty axes.
std::string LineChart(const LineChartSpec& spec);
// An <svg> of one bar per item, longest = largest value, each labelled with its count.
std::string BarChart(std::string_view id, std::string_view title,
                     const std::vector<ChartBar>& bars);

}  // namespace tollgate::gateway::load
