// The hiredis event-library hooks implemented with Asio (ARCHITECTURE §6, "hiredis 0.14 on
// Asio"): one stream_descriptor per context, at most one pending wait per direction.
#include "hiredis_asio_adapter.h"

#include <memory>
#include <utility>

#include "boost/asio/error.hpp"
#include "boost/asio/posix/stream_descriptor.hpp"

namespace tollgate::storage {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

enum Direction { kRead = 0, kWrite = 1 };

class HiredisAsioAdapter : public std::enable_shared_from_this<HiredisAsioAdapter> {
 public:
  HiredisAsioAdapter(redisAsyncContext* context, const asio::any_io_executor& executor)
      : context_(context), descriptor_(executor) {}

  bool Attach() {
    error_code ec;
    descriptor_.assign(context_->c.fd, ec);
    if (ec) return false;
    // hiredis holds only a raw pointer in ev.data, so the adapter keeps itself alive until
    // the cleanup hook; each pending wait holds it too, so a wait that completes after
    // cleanup still finds the object (and then does nothing).
    self_ = shared_from_this();
    context_->ev.data = this;
    context_->ev.addRead = [](void* data) { Self(data).Want(kRead, true); };
    context_->ev.delRead = [](void* data) { Self(data).Want(kRead, false); };
    context_->ev.addWrite = [](void* data) { Self(data).Want(kWrite, true); };
    context_->ev.delWrite = [](void* data) { Self(data).Want(kWrite, false); };
    context_->ev.cleanup = [](void* data) { Self(data).Cleanup(); };
    return true;
  }

 private:
  // One direction: whether hiredis wants to hear about it, and whether a wait is pending.
  struct Interest {
    bool wanted = false;
    bool waiting = false;
  };

  static HiredisAsioAdapter& Self(void* data) { return *static_cast<HiredisAsioAdapter*>(data); }

  void Want(Direction direction, bool wanted) {
    interest_[direction].wanted = wanted;
    Arm(direction);
  }

  // hiredis's hooks are level-triggered ("keep telling me until delRead"), so a wait is
  // re-armed after every readiness for as long as the direction is wanted.
  void Arm(Direction direction) {
    Interest& interest = interest_[direction];
    if (context_ == nullptr || !interest.wanted || interest.waiting) return;
    interest.waiting = true;
    descriptor_.async_wait(
        direction == kRead ? asio::posix::descriptor_base::wait_read
                           : asio::posix::descriptor_base::wait_write,
        [self = shared_from_this(), direction](error_code ec) { self->OnReady(direction, ec); });
  }

  void OnReady(Direction direction, error_code ec) {
    interest_[direction].waiting = false;
    // After cleanup the context is being freed or gone: touch nothing of hiredis.
    if (context_ == nullptr || ec == asio::error::operation_aborted) return;
    if (!interest_[direction].wanted) return;
    // Other wait errors are left for hiredis to find: its read or write then fails and it
    // disconnects, which ends in Cleanup.
    if (direction == kRead) {
      redisAsyncHandleRead(context_);
    } else {
      redisAsyncHandleWrite(context_);
    }
    Arm(direction);
  }

  void Cleanup() {
    // hiredis may call cleanup twice (on an error disconnect and again while freeing) and
    // must not reach this object once it is released: unhook it from the context first.
    context_->ev = {};
    context_ = nullptr;
    interest_[kRead] = {};
    interest_[kWrite] = {};
    // hiredis closes the fd right after this hook returns and frees the context after the
    // disconnect callback, so the descriptor lets go of the fd now, synchronously.
    error_code ignored;  // cancel fails only on a descriptor that is not open
    descriptor_.cancel(ignored);
    descriptor_.release();
    // The last statement: dropping the self-reference may destroy *this.
    std::shared_ptr<HiredisAsioAdapter> last = std::move(self_);
  }

  redisAsyncContext* context_;  // null once hiredis has called cleanup
  asio::posix::stream_descriptor descriptor_;
  Interest interest_[2];
  std::shared_ptr<HiredisAsioAdapter> self_;  // set while attached
};

}  // namespace

bool AttachHiredisToAsio(redisAsyncContext* context, const asio::any_io_executor& executor) {
  if (context->ev.data != nullptr) return false;
  return std::make_shared<HiredisAsioAdapter>(context, executor)->Attach();
}

}  // namespace tollgate::storage
