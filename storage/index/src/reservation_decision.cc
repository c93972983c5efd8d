// The reservation rule shared by the ledgers.
#include "tollgate/storage/index/reservation_decision.h"

namespace tollgate::storage {

ReservationResult DecideReservation(const Reservation& reservation, const UsageSnapshot& usage,
                                    bool client_known, bool is_repeat) {
  if (!is_repeat && reservation.max_downloads && usage.downloads >= *reservation.max_downloads) {
    return ReservationResult::kDownloadLimitReached;
  }
  if (!client_known && reservation.max_clients && usage.clients >= *reservation.max_clients) {
    return ReservationResult::kClientLimitReached;
  }
  // Written as a subtraction so that huge limits cannot overflow the sum.
  if (reservation.max_bytes && (reservation.bytes > *reservation.max_bytes ||
                                usage.bandwidth > *reservation.max_bytes - reservation.bytes)) {
    return ReservationResult::kBandwidthLimitReached;
  }
  return ReservationResult::kGranted;
}

}  // namespace tollgate::storage
