// RNP's memory inputs and outputs, fingerprints and result codes.
#include "rnp_handles.h"

#include "tollgate/base/concat.h"

namespace tollgate::storage::rnp {

absl::Status Check(rnp_result_t result, std::string_view doing) {
  if (result == RNP_SUCCESS) return absl::OkStatus();
  return absl::InternalError(Concat(doing, ": ", rnp_result_to_string(result)));
}

absl::Status Run(std::initializer_list<Step> steps) {
  for (const Step& step : steps) {
    if (absl::Status s = Check(step.call(), step.doing); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Ffi> NewFfi() {
  rnp_ffi_t ffi = nullptr;
  if (absl::Status s = Check(rnp_ffi_create(&ffi, RNP_KEYSTORE_GPG, RNP_KEYSTORE_GPG),
                             "creating an RNP context");
      !s.ok()) {
    return s;
  }
  return Ffi(ffi);
}

absl::StatusOr<Input> MemoryInput(std::string_view bytes) {
  rnp_input_t input = nullptr;
  if (absl::Status s =
          Check(rnp_input_from_memory(&input, reinterpret_cast<const uint8_t*>(bytes.data()),
                                      bytes.size(), /*do_copy=*/false),
                "reading from memory");
      !s.ok()) {
    return s;
  }
  return Input(input);
}

absl::StatusOr<Output> MemoryOutput(size_t limit) {
  rnp_output_t output = nullptr;
  if (absl::Status s = Check(rnp_output_to_memory(&output, limit), "writing to memory"); !s.ok()) {
    return s;
  }
  return Output(output);
}

absl::StatusOr<std::string> ArmoredText(rnp_output_t output) {
  uint8_t* bytes = nullptr;
  size_t length = 0;
  if (absl::Status s = Check(rnp_output_memory_get_buf(output, &bytes, &length, /*do_copy=*/false),
                             "reading the output");
      !s.ok()) {
    return s;
  }
  const std::string_view crlf_text(reinterpret_cast<const char*>(bytes), length);
  std::string text;
  text.reserve(crlf_text.size());
  for (size_t i = 0; i < crlf_text.size(); ++i) {
    if (crlf_text[i] == '\r' && i + 1 < crlf_text.size() && crlf_text[i + 1] == '\n') continue;
    text.push_back(crlf_text[i]);
  }
  return text;
}

absl::StatusOr<std::string> Fingerprint(rnp_key_handle_t key) {
  char* raw = nullptr;
  if (absl::Status s = Check(rnp_key_get_fprint(key, &raw), "reading a fingerprint"); !s.ok()) {
    return s;
  }
  return std::string(Text(raw).get());
}

}  // namespace tollgate::storage::rnp
