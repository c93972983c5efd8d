// The rule every usage ledger applies to one reservation (SPEC §4.2), as a pure function so
// the embedded ledger and tests share it; the Redis ledger's Lua script mirrors it.
#pragma once

#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

// Decides `reservation` against the period's usage so far. `client_known`: the client has
// downloaded with this token in this period; `is_repeat`: the same client fetched the same
// path inside the dedupe window. Checks download, then client, then bandwidth; a repeat
// passes the download check, and bandwidth always counts.
ReservationResult DecideReservation(const Reservation& reservation, const UsageSnapshot& usage,
                                    bool client_known, bool is_repeat);

}  // namespace tollgate::storage
