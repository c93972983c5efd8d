// A log-linear latency histogram in the manner of HdrHistogram: fixed memory, a bounded
// relative error on every reported value, and mergeable, so each load thread keeps its own and
// the run adds them up at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tollgate::gateway::load {

// Values are unsigned integers (the load generator records nanoseconds). Values below
// 2 * kSubBuckets are kept exactly; above, each power of two is split into kSubBuckets equal
// buckets, so a bucket is at most 1/kSubBuckets of its lowest value wide and a reported value
// (the bucket's midpoint) is within 1/(2 * kSubBuckets) ≈ 0.2 % of any value in the bucket.
// Values from 2^(kSubBucketBits + 1 + kMaxShift) on (≈ 2.4 hours in nanoseconds) share the last
// bucket; max() stays exact.
class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 8;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  static constexpr int kMaxShift = 34;
  static constexpr size_t kBucketCount = (kMaxShift + 2) * kSubBuckets;

  // Allocates the buckets once (kBucketCount counters, 72 KiB); Record never allocates.
  LatencyHistogram();

  void Record(uint64_t value);
  // Adds every count of `other` to this one.
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double Mean() const;

  // The value at `percentile` (0 < percentile ≤ 100): the value of rank
  // ceil(percentile / 100 * count()) in sorted order, as its bucket's midpoint clamped to
  // [min(), max()]; exactly max() at 100. 0 when the histogram is empty; `percentile` outside
  // (0, 100] is clamped into it.
  uint64_t ValueAtPercentile(double percentile) const;

  // The bucket of `value`, and a bucket's lowest value and width (exposed for tests).
  static size_t IndexOf(uint64_t value);
  static uint64_t LowestOf(size_t index);
  static uint64_t WidthOf(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  // A sum in long double so the mean of a long run stays exact enough.
  long double sum_ = 0;
};

}  // namespace tollgate::gateway::load
