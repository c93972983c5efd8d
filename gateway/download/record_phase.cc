// Record: usage of a token request that needed no reservation, and the request as an event of
// the token's usage listing. Never waits: the ledger batches both.
#include "absl/time/clock.h"
#include "download/phases.h"

namespace tollgate::gateway {

void RecordUsage(DownloadContext& context, const DownloadServices& services) {
  if (context.entitlement == nullptr) return;
  storage::UsageLedger& ledger = *services.stores.usage;
  if (context.counts && !context.enforce_limits && context.delivered) {
    // Unlimited tokens' downloads count with the bytes really sent.
    context.usage.bytes = context.body_bytes;
    ledger.Record(context.usage);
  } else if (context.counts && context.enforce_limits && context.origin_body != nullptr &&
             !context.head.content_length() && context.sent_bytes > 0) {
    // An origin body without a length was reserved at 0 bytes; its bytes follow, also when
    // the client or the origin gave up midway, so a broken download cannot dodge the limit.
    context.usage.bytes = context.sent_bytes;
    context.usage.bytes_only = true;
    ledger.Record(context.usage);
  }
  // An event's bytes are artifact bytes; a denial's JSON body is not counted.
  ledger.AddEvent(context.entitlement->identifier,
                  storage::UsageEvent{absl::Now(), context.client, context.path,
                                      context.denial ? 0 : context.body_bytes,
                                      static_cast<int>(context.head.status_int())});
}

}  // namespace tollgate::gateway
