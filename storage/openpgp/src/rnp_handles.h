// Owning wrappers for RNP's handles and buffers, and the few memory-only conversions every
// operation needs. Nothing here reaches a file, a home folder or an agent.
#pragma once

#include <rnp/rnp.h>
#include <rnp/rnp_err.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace tollgate::storage::rnp {

template <typename Handle, rnp_result_t (*Destroy)(Handle)>
struct HandleDeleter {
  void operator()(Handle handle) const { Destroy(handle); }
};
template <typename Handle, rnp_result_t (*Destroy)(Handle)>
using Owned = std::unique_ptr<std::remove_pointer_t<Handle>, HandleDeleter<Handle, Destroy>>;

using Ffi = Owned<rnp_ffi_t, rnp_ffi_destroy>;
using Input = Owned<rnp_input_t, rnp_input_destroy>;
using Output = Owned<rnp_output_t, rnp_output_destroy>;
using Key = Owned<rnp_key_handle_t, rnp_key_handle_destroy>;
using GenerateOp = Owned<rnp_op_generate_t, rnp_op_generate_destroy>;
using SignOp = Owned<rnp_op_sign_t, rnp_op_sign_destroy>;
using IdentifierIterator = Owned<rnp_identifier_iterator_t, rnp_identifier_iterator_destroy>;

// A string RNP allocated (fingerprints, algorithm names), freed with rnp_buffer_destroy.
struct BufferDeleter {
  void operator()(char* buffer) const { rnp_buffer_destroy(buffer); }
};
using Text = std::unique_ptr<char, BufferDeleter>;

// Internal "`doing`: RNP's name of `result`" when `result` is not RNP_SUCCESS. RNP's names
// are fixed words ("Bad format"), never data.
absl::Status Check(rnp_result_t result, std::string_view doing);

// One call into RNP and what it does, for Run.
struct Step {
  absl::FunctionRef<rnp_result_t()> call;
  std::string_view doing;
};
// Makes the calls in order and stops at the first that fails, with its error as Check's.
absl::Status Run(std::initializer_list<Step> steps);

// A new FFI object with keyrings in memory only. Each operation makes its own, so calls on
// different threads share nothing.
absl::StatusOr<Ffi> NewFfi();
// Reads `bytes`, which must outlive the input (no copy is made).
absl::StatusOr<Input> MemoryInput(std::string_view bytes);
// Writes to memory, at most `limit` bytes.
absl::StatusOr<Output> MemoryOutput(size_t limit);
// The armored text a memory output holds, with RNP's CRLF line ends made LF: apt and most
// tools expect LF, and OpenPGP ignores the difference both in armor and in the canonical
// form of a cleartext-signed text.
absl::StatusOr<std::string> ArmoredText(rnp_output_t output);

// The key's 40-digit uppercase hex fingerprint.
absl::StatusOr<std::string> Fingerprint(rnp_key_handle_t key);

}  // namespace tollgate::storage::rnp
