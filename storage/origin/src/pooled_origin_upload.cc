// Streamed PUT: header on the first write, body as it comes, the final byte and the answer
// in Finish. Closing before Finish leaves the origin an incomplete request, which it drops.
#include "pooled_origin_upload.h"

#include "boost/asio/this_coro.hpp"
#include "origin_exchange.h"
#include "pooled_origin_response.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace asio = boost::asio;

namespace {
// The body of an answer to a PUT is read (and dropped) up to this much so the connection
// can be reused; a longer one closes it instead.
constexpr size_t kMaxDrainedAnswer = 64 * 1024;
}  // namespace

PooledOriginUpload::PooledOriginUpload(std::shared_ptr<OriginPools> pools, HttpOriginConfig origin,
                                       std::string header, uint64_t body_length)
    : pools_(std::move(pools)),
      origin_(std::move(origin)),
      header_(std::move(header)),
      body_length_(body_length) {}

PooledOriginUpload::~PooledOriginUpload() {
  if (connection_ != nullptr) pool_->Release(std::move(connection_), false, 0);
}

asio::awaitable<absl::Status> PooledOriginUpload::Start() {
  pool_ = pools_->For(co_await asio::this_coro::executor);
  absl::StatusOr<std::unique_ptr<OriginConnection>> connection =
      co_await pool_->Acquire(origin_, /*allow_reuse=*/false);
  if (!connection.ok()) co_return connection.status();
  connection_ = *std::move(connection);
  co_return co_await WriteToOrigin(*connection_, header_, origin_.read_timeout);
}

asio::awaitable<absl::Status> PooledOriginUpload::Write(std::string_view bytes) {
  if (!failed_.ok()) co_return failed_;
  if (bytes.size() > body_length_ - received_) {
    failed_ = absl::FailedPreconditionError(
        Concat("the body is longer than its announced ", body_length_, " bytes"));
    co_return failed_;
  }
  if (connection_ == nullptr) {
    if (failed_ = co_await Start(); !failed_.ok()) co_return failed_;
  }
  received_ += bytes.size();
  if (received_ == body_length_ && !bytes.empty()) {
    held_back_.assign(1, bytes.back());
    bytes.remove_suffix(1);
  }
  if (!bytes.empty()) failed_ = co_await WriteToOrigin(*connection_, bytes, origin_.read_timeout);
  co_return failed_;
}

asio::awaitable<absl::StatusOr<OriginResponseHead>> PooledOriginUpload::Finish() {
  if (!failed_.ok()) co_return failed_;
  if (received_ != body_length_) {
    co_return absl::FailedPreconditionError(
        Concat("the body has ", received_, " of its announced ", body_length_, " bytes"));
  }
  if (connection_ == nullptr) {
    if (absl::Status s = co_await Start(); !s.ok()) co_return s;
  }
  if (!held_back_.empty()) {
    if (absl::Status s = co_await WriteToOrigin(*connection_, held_back_, origin_.read_timeout);
        !s.ok()) {
      co_return s;
    }
  }
  bool nothing_received = false;
  absl::StatusOr<std::unique_ptr<OriginParser>> parser = co_await ReadOriginAnswerHeader(
      *connection_, /*is_head=*/false, origin_.read_timeout, nothing_received);
  if (!parser.ok()) co_return parser.status();
  PooledOriginResponse answer(pool_, std::move(connection_), *std::move(parser), origin_);
  co_await answer.Discard(kMaxDrainedAnswer);  // the status is what matters, not the body
  co_return answer.head();
}

}  // namespace tollgate::storage
