// The outputs of a load run: the JSON with its fixed field names, the HTML report
// self-contained with its three charts, the text summary and the progress line, none of
// them leaking a URL's path or credentials; and the open-loop schedule.
#include "load/load_report.h"

#include <string>
#include <vector>

#include "boost/json/parse.hpp"
#include "gtest/gtest.h"
#include "load/html_report.h"
#include "load/json_report.h"
#include "load/load_schedule.h"
#include "load/load_tally.h"
#include "load/progress_line.h"

namespace tollgate::gateway::load {
namespace {

// A report as a 3-second run would give: 200s, 403s with reasons, one timeout.
LoadReport SampleReport() {
  LoadTally tally;
  for (int i = 0; i < 3000; ++i) {
    const int64_t at = int64_t{i} * 1'000'000;  // 1 ms apart
    if (i % 4 == 0) {
      tally.RecordResponse(at, 900'000 + static_cast<uint64_t>(i) * 10, 403,
                           i % 8 == 0 ? "download_limit_reached" : "client_limit_reached", 120);
    } else {
      tally.RecordResponse(at, 400'000 + static_cast<uint64_t>(i) * 100, 200, "", 4300);
    }
  }
  tally.RecordError(ErrorKind::kTimeout, 2'500'000'000);
  LoadReport report = Summarize(tally, 3.0);
  report.origin = "https://dl.example.com:443";
  report.url_count = 2;
  report.connections = 64;
  report.threads = 1;
  return report;
}

// The SPEC's JSON fields with their values, and the extra ones.
TEST(LoadReportTest, JsonHasTheFields) {
  LoadReport report = SampleReport();
  report.reasons["odd\"reason\\"] = 1;
  const boost::json::value parsed = boost::json::parse(FormatJson(report));
  const boost::json::object& o = parsed.as_object();
  EXPECT_EQ(o.at("requests").to_number<uint64_t>(), 3000u);
  EXPECT_DOUBLE_EQ(o.at("duration_s").to_number<double>(), 3.0);
  EXPECT_DOUBLE_EQ(o.at("requests_per_s").to_number<double>(), 1000.0);
  EXPECT_EQ(o.at("bytes").to_number<uint64_t>(), report.bytes);
  EXPECT_EQ(o.at("errors").to_number<uint64_t>(), 1u);
  const boost::json::object& latency = o.at("latency_ms").as_object();
  for (const char* field : {"p50", "p90", "p99", "p999", "max"}) {
    EXPECT_GT(latency.at(field).to_number<double>(), 0.0) << field;
  }
  EXPECT_LE(latency.at("p50").to_number<double>(), latency.at("p99").to_number<double>());
  EXPECT_EQ(o.at("status").as_object().at("200").to_number<uint64_t>(), 2250u);
  EXPECT_EQ(o.at("status").as_object().at("403").to_number<uint64_t>(), 750u);
  EXPECT_EQ(o.at("reasons").as_object().at("download_limit_reached").to_number<uint64_t>(), 375u);
  EXPECT_EQ(o.at("reasons").as_object().at("client_limit_reached").to_number<uint64_t>(), 375u);
  EXPECT_EQ(o.at("reasons").as_object().at("odd\"reason\\").to_number<uint64_t>(), 1u);
  EXPECT_EQ(o.at("error_kinds").as_object().at("timeout").to_number<uint64_t>(), 1u);
  EXPECT_EQ(o.at("timeline").as_array().size(), 3u);
  EXPECT_EQ(o.at("mode").as_string(), "closed");
  EXPECT_TRUE(o.contains("mb_per_s"));
}

// Whether every element opened is closed in order (void and self-closed elements aside).
bool BalancedTags(const std::string& html) {
  std::vector<std::string> open;
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const size_t end = html.find('>', at);
    if (end == std::string::npos) return false;
    const std::string tag = html.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '!' || tag.back() == '/') continue;
    const bool closing = tag[0] == '/';
    const std::string name =
        tag.substr(closing ? 1 : 0, tag.find_first_of(" \n", closing ? 1 : 0) - (closing ? 1 : 0));
    if (name == "meta") continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return false;
    } else {
      open.pop_back();
    }
  }
  return open.empty();
}

// The HTML page is whole, holds the three charts and needs nothing from the network.
TEST(LoadReportTest, HtmlIsSelfContainedWithThreeCharts) {
  LoadReport report = SampleReport();
  report.reasons["<script>alert(1)</script>"] = 1;
  const std::string html = FormatHtml(report);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_TRUE(BalancedTags(html));
  for (const char* id : {"throughput-chart", "latency-chart", "status-chart"}) {
    EXPECT_NE(html.find(std::string("<svg id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("<polyline"), std::string::npos);
  EXPECT_NE(html.find("<rect class=\"bar\""), std::string::npos);
  for (const char* external :
       {"http://", "https://", "src=", "<link", "<script", "url(", "@import", "href="}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

// The text summary names every figure; no output holds a path or a credential.
TEST(LoadReportTest, SummaryAndNoSecrets) {
  LoadReport report = SampleReport();
  const std::string text = FormatSummary(report);
  for (const char* part : {"requests/s", "MB/s", "p50", "p90", "p99 ", "p99.9", "max", "200: 2250",
                           "403: 750", "download_limit_reached: 375", "timeout 1"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  for (const std::string& out : {text, FormatJson(report), FormatHtml(report)}) {
    EXPECT_NE(out.find("dl.example.com:443"), std::string::npos) << out;
    EXPECT_EQ(out.find("dl.example.com:443/"), std::string::npos);
  }
}

// The progress line: totals and the last second's rates.
TEST(LoadReportTest, ProgressLine) {
  LoadProgress before{std::chrono::seconds(2), 1000, 1, 4'000'000};
  LoadProgress now{std::chrono::seconds(3), 51000, 3, 209'000'000};
  EXPECT_EQ(ProgressLine::Format(now, before),
            "[   3s] 51000 requests  50000 requests/s  205.00 MB/s  3 errors");
}

// Open loop: tickets are due at start + n / rate however late the connection asks, dealt
// round-robin over the threads; the duration and --requests end them.
TEST(ScheduleTest, OpenLoopDueTimesIgnoreLateness) {
  LoadPlan plan;
  plan.rate = 1000;
  plan.threads = 2;
  plan.requests = 7;
  std::atomic<uint64_t> issued{0};
  const Clock::time_point start{};
  Schedule second_thread(plan, start, 1, issued);
  Schedule::Ticket ticket;
  std::vector<uint64_t> numbers;
  // Asking an hour late changes nothing: the due times stay on the schedule.
  while (second_thread.Next(start + std::chrono::hours(1), ticket)) {
    EXPECT_EQ(ticket.due - start, std::chrono::milliseconds(ticket.number));
    numbers.push_back(ticket.number);
  }
  EXPECT_EQ(numbers, (std::vector<uint64_t>{1, 3, 5}));
  EXPECT_EQ(issued.load(), 0u);
}

// Open loop with a duration: due requests never taken are reported unsent.
TEST(ScheduleTest, OpenLoopCountsUnsent) {
  LoadPlan plan;
  plan.rate = 100;
  plan.threads = 1;
  plan.duration = std::chrono::seconds(1);
  std::atomic<uint64_t> issued{0};
  Schedule schedule(plan, Clock::time_point{}, 0, issued);
  Schedule::Ticket ticket;
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(schedule.Next(Clock::time_point{}, ticket));
  EXPECT_EQ(schedule.Unsent(), 70u);
  while (schedule.Next(Clock::time_point{}, ticket)) {
  }
  EXPECT_EQ(schedule.Unsent(), 0u);
  EXPECT_EQ(ticket.number, 99u);
}

// Closed loop: tickets come from the shared counter and end at --requests.
TEST(ScheduleTest, ClosedLoopSharesTheCount) {
  LoadPlan plan;
  plan.threads = 2;
  plan.requests = 5;
  std::atomic<uint64_t> issued{0};
  Schedule a(plan, Clock::now(), 0, issued);
  Schedule b(plan, Clock::now(), 1, issued);
  Schedule::Ticket ticket;
  int taken = 0;
  while (a.Next(Clock::now(), ticket) && b.Next(Clock::now(), ticket)) taken += 2;
  EXPECT_EQ(taken, 4);
  EXPECT_FALSE(b.Next(Clock::now(), ticket));
}

}  // namespace
}  // namespace tollgate::gateway::load
