// The latency histogram: percentiles within 1 % of the exact sorted-sample percentiles on
// known distributions, exact small values, merging, and the bucket layout's error bound.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "load/latency_histogram.h"

namespace tollgate::gateway::load {
namespace {

constexpr double kPercentiles[] = {1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100};

// The value of rank ceil(p/100 * n) in `sorted`, the definition the histogram follows.
uint64_t Exact(const std::vector<uint64_t>& sorted, double percentile) {
  const auto n = static_cast<long double>(sorted.size());
  auto rank =
      static_cast<size_t>(std::ceil(static_cast<long double>(percentile) / 100.0L * n - 1e-9L));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void ExpectWithinOnePercent(std::vector<uint64_t> values) {
  LatencyHistogram histogram;
  for (uint64_t v : values) histogram.Record(v);
  std::sort(values.begin(), values.end());
  for (double p : kPercentiles) {
    const double exact = static_cast<double>(Exact(values, p));
    const double got = static_cast<double>(histogram.ValueAtPercentile(p));
    EXPECT_NEAR(got, exact, exact * 0.01) << "percentile " << p;
  }
  EXPECT_EQ(histogram.count(), values.size());
  EXPECT_EQ(histogram.max(), values.back());
  EXPECT_EQ(histogram.min(), values.front());
}

// Uniform latencies between 50 µs and 20 ms (in nanoseconds).
TEST(LatencyHistogramTest, UniformWithinOnePercent) {
  std::mt19937_64 random(1);
  std::uniform_int_distribution<uint64_t> uniform(50'000, 20'000'000);
  std::vector<uint64_t> values(200000);
  for (uint64_t& v : values) v = uniform(random);
  ExpectWithinOnePercent(values);
}

// Exponential latencies with a 2 ms mean: a long tail.
TEST(LatencyHistogramTest, ExponentialWithinOnePercent) {
  std::mt19937_64 random(2);
  std::exponential_distribution<double> exponential(1.0 / 2e6);
  std::vector<uint64_t> values(200000);
  for (uint64_t& v : values) v = 1 + static_cast<uint64_t>(exponential(random));
  ExpectWithinOnePercent(values);
}

// Bimodal: 90 % fast around 300 µs, 10 % slow around 80 ms (a cache miss, a stalled disk).
TEST(LatencyHistogramTest, BimodalWithinOnePercent) {
  std::mt19937_64 random(3);
  std::normal_distribution<double> fast(300e3, 30e3);
  std::normal_distribution<double> slow(80e6, 5e6);
  std::bernoulli_distribution is_slow(0.1);
  std::vector<uint64_t> values(200000);
  for (uint64_t& v : values) {
    v = static_cast<uint64_t>(std::max(1000.0, is_slow(random) ? slow(random) : fast(random)));
  }
  ExpectWithinOnePercent(values);
}

// Values below 2 * kSubBuckets are kept exactly.
TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (uint64_t v = 1; v <= 100; ++v) histogram.Record(v);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 50u);
  EXPECT_EQ(histogram.ValueAtPercentile(99), 99u);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 100u);
  EXPECT_EQ(histogram.ValueAtPercentile(1), 1u);
}

// Every bucket is at most 1/kSubBuckets of its lowest value wide, and buckets tile the line.
TEST(LatencyHistogramTest, BucketsTileWithBoundedWidth) {
  for (size_t i = 1; i < LatencyHistogram::kBucketCount; ++i) {
    EXPECT_EQ(LatencyHistogram::LowestOf(i - 1) + LatencyHistogram::WidthOf(i - 1),
              LatencyHistogram::LowestOf(i))
        << i;
    if (LatencyHistogram::LowestOf(i) >= LatencyHistogram::kSubBuckets) {
      EXPECT_LE(LatencyHistogram::WidthOf(i) * LatencyHistogram::kSubBuckets,
                LatencyHistogram::LowestOf(i));
    }
  }
  for (uint64_t v : {uint64_t{0}, uint64_t{255}, uint64_t{256}, uint64_t{511}, uint64_t{512},
                     uint64_t{123456789}, uint64_t{1} << 40}) {
    const size_t index = LatencyHistogram::IndexOf(v);
    EXPECT_LE(LatencyHistogram::LowestOf(index), v);
    EXPECT_LT(v, LatencyHistogram::LowestOf(index) + LatencyHistogram::WidthOf(index));
  }
  // Beyond the range: the last bucket, never out of bounds.
  EXPECT_EQ(LatencyHistogram::IndexOf(UINT64_MAX), LatencyHistogram::kBucketCount - 1);
}

// Two histograms merged answer as one that recorded everything.
TEST(LatencyHistogramTest, MergeEqualsRecordingTogether) {
  std::mt19937_64 random(4);
  std::exponential_distribution<double> exponential(1.0 / 1e6);
  LatencyHistogram a, b, both;
  for (int i = 0; i < 50000; ++i) {
    const auto v = static_cast<uint64_t>(exponential(random));
    (i % 3 == 0 ? a : b).Record(v);
    both.Record(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.max(), both.max());
  EXPECT_EQ(a.min(), both.min());
  for (double p : kPercentiles) EXPECT_EQ(a.ValueAtPercentile(p), both.ValueAtPercentile(p)) << p;
}

// An empty histogram answers 0.
TEST(LatencyHistogramTest, EmptyAnswersZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.ValueAtPercentile(50), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.min(), 0u);
  EXPECT_EQ(histogram.Mean(), 0.0);
}

}  // namespace
}  // namespace tollgate::gateway::load
