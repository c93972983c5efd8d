// The log-linear bucket layout: index = shift * kSubBuckets + (value >> shift), where shift
// keeps the value's top kSubBucketBits + 1 bits.
#include "load/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tollgate::gateway::load {

LatencyHistogram::LatencyHistogram() : counts_(kBucketCount, 0) {}

size_t LatencyHistogram::IndexOf(uint64_t value) {
  if (value < kSubBuckets) return static_cast<size_t>(value);
  int shift = std::bit_width(value) - (kSubBucketBits + 1);
  if (shift > kMaxShift) return kBucketCount - 1;
  return static_cast<size_t>(static_cast<uint64_t>(shift) * kSubBuckets + (value >> shift));
}

uint64_t LatencyHistogram::LowestOf(size_t index) {
  if (index < 2 * kSubBuckets) return index;
  const uint64_t shift = index / kSubBuckets - 1;
  const uint64_t sub = index - shift * kSubBuckets;
  return sub << shift;
}

uint64_t LatencyHistogram::WidthOf(size_t index) {
  if (index < 2 * kSubBuckets) return 1;
  return uint64_t{1} << (index / kSubBuckets - 1);
}

void LatencyHistogram::Record(uint64_t value) {
  ++counts_[IndexOf(value)];
  ++count_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  sum_ += static_cast<long double>(value);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::Mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

uint64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  percentile = std::clamp(percentile, 0.0, 100.0);
  if (percentile >= 100.0) return max_;
  // The rank in long double, less a hair, so that 99.9 % of 1000 is rank 999 and not 1000 when
  // 99.9 / 100 is not exact in binary.
  const long double exact =
      static_cast<long double>(percentile) / 100.0L * static_cast<long double>(count_);
  uint64_t rank = static_cast<uint64_t>(std::ceil(exact - 1e-9L));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const uint64_t middle = LowestOf(i) + (WidthOf(i) - 1) / 2;
      return std::clamp(middle, min_, max_);
    }
  }
  return max_;
}

}  // namespace tollgate::gateway::load
