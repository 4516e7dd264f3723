// safetensors files: writing (F32, atomic) and validated reading (F32 and conversions).
#include "myelin/io/safetensors.hpp"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "io/atomic_file.hpp"
#include "io/dtypes.hpp"
#include "myelin/autograd.hpp"
#include "myelin/io/checksum.hpp"
#include "myelin/error.hpp"

namespace myelin::io {
namespace {

// ordered_json keeps the header's entries in file order, so tensors come back in the order
// they were written even where offsets tie (empty tensors).
using json = nlohmann::ordered_json;

constexpr const char* kMetadataKey = "__metadata__";
// The reference implementation refuses larger headers, and so do we: a corrupt length field
// must not make the reader load gigabytes of "header".
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr uint64_t kLengthBytes = 8;
// A valid header nests 3 deep (header, entry, shape). The parser would follow any depth, and
// deep values are costly to build and overflow the stack when printed, so stop well before.
constexpr int kMaxHeaderDepth = 8;

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw IoError(path + ": " + what); }

std::string range(uint64_t begin, uint64_t end) {
  return std::string("[") + std::to_string(begin) + ", " + std::to_string(end) + ")";
}

// A JSON value for an error message, cut short.
std::string brief(const json& v) {
  const std::string s = v.dump();
  return s.size() <= 60 ? s : s.substr(0, 57) + "...";
}

// ---------------------------------------------------------------- writing

void check_tensors(const std::string& path, const NamedTensors& tensors) {
  std::set<std::string> names;
  for (const auto& [name, t] : tensors) {
    if (name == kMetadataKey) fail(path, "'__metadata__' is reserved and cannot name a tensor");
    if (!t.defined()) fail(path, "tensor '" + name + "' is undefined");
    if (!names.insert(name).second) fail(path, "tensor '" + name + "' is given twice");
  }
}

// The header of `tensors` (checked) with `metadata` and the content's checksums.
std::string encode_header(const std::string& path, const NamedTensors& tensors,
                          const std::map<std::string, std::string>& metadata) {
  check_tensors(path, tensors);
  json header = json::object();
  header[kMetadataKey] = with_checksum(tensors, metadata);
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const uint64_t bytes = static_cast<uint64_t>(t.numel()) * sizeof(float);
    header[name] = {{"dtype", "F32"}, {"shape", t.shape()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {
    fail(path, std::string("tensor names and metadata must be valid UTF-8: ") + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');  // so the data section starts 8-byte aligned
  return text;
}

// ---------------------------------------------------------------- reading

// One tensor's header entry, validated.
struct Entry {
  std::string name;
  const DType* dtype = nullptr;
  Shape shape;
  uint64_t begin = 0, end = 0;  // within the data section
};

json parse_header(const std::string& path, const std::string& text) {
  if (text.empty() || text[0] != '{') fail(path, "header does not start with '{' (not a safetensors file?)");
  // nlohmann keeps the last of duplicate keys silently; the format forbids them, so look.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  auto watch_keys = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > kMaxHeaderDepth) fail(path, "header nests deeper than a safetensors header can");
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.back().insert(parsed.get<std::string>()).second &&
        duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  json header;
  try {
    header = json::parse(text, watch_keys);
  } catch (const json::parse_error& e) {
    fail(path, std::string("header is not valid JSON: ") + e.what());
  }
  if (!duplicate.empty()) fail(path, "header has the key '" + duplicate + "' twice");
  return header;
}

uint64_t get_count(const std::string& path, const std::string& what, const json& v) {
  if (!v.is_number_unsigned()) fail(path, what + " must be a non-negative integer, got " + brief(v));
  return v.get<uint64_t>();
}

Entry parse_entry(const std::string& path, const std::string& name, const json& v, uint64_t data_size) {
  const std::string where = "tensor '" + name + "'";
  if (!v.is_object()) fail(path, where + ": expected {dtype, shape, data_offsets}, got " + brief(v));
  auto field = [&](const char* key) -> const json& {
    auto it = v.find(key);
    if (it == v.end()) fail(path, where + ": missing '" + key + "'");
    return *it;
  };
  Entry e;
  e.name = name;

  const json& dtype = field("dtype");
  e.dtype = dtype.is_string() ? find_dtype(dtype.get<std::string>()) : nullptr;
  if (!e.dtype) fail(path, where + ": dtype " + brief(dtype) + " is not supported (readable: " + readable_dtypes() + ")");

  const json& shape = field("shape");
  if (!shape.is_array()) fail(path, where + ": 'shape' must be an array, got " + brief(shape));
  // `extent` multiplies the non-zero sizes: bounding it keeps element counts and strides in
  // int64 even for shapes with a zero dimension.
  uint64_t elements = 1, extent = 1;
  for (const json& d : shape) {
    const uint64_t n = get_count(path, where + ": shape entry", d);
    if (__builtin_mul_overflow(extent, std::max<uint64_t>(n, 1), &extent) || extent > INT64_MAX)
      fail(path, where + ": shape " + brief(shape) + " has more than 2^63 elements");
    elements *= n;
    e.shape.push_back(static_cast<int64_t>(n));
  }

  const json& offsets = field("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2)
    fail(path, where + ": 'data_offsets' must be [begin, end], got " + brief(offsets));
  e.begin = get_count(path, where + ": data_offsets begin", offsets[0]);
  e.end = get_count(path, where + ": data_offsets end", offsets[1]);
  if (e.begin > e.end) fail(path, where + ": data_offsets " + range(e.begin, e.end) + " end before they begin");
  if (e.end > data_size)
    fail(path, where + ": data_offsets " + range(e.begin, e.end) + " run past the end of the data section (" +
                   std::to_string(data_size) + " bytes)");
  uint64_t bytes = 0;
  const bool overflow = __builtin_mul_overflow(elements, static_cast<uint64_t>(e.dtype->size), &bytes);
  if (overflow || bytes != e.end - e.begin)
    fail(path, where + ": shape " + to_string(e.shape) + " of " + e.dtype->name + " claims " +
                   (overflow ? "more than 2^64" : std::to_string(bytes)) + " bytes but its data_offsets " +
                   range(e.begin, e.end) + " span " + std::to_string(e.end - e.begin));
  return e;
}

std::map<std::string, std::string> parse_metadata(const std::string& path, const json& v) {
  std::map<std::string, std::string> out;
  if (v.is_null()) return out;
  if (!v.is_object()) fail(path, "'__metadata__' must be an object of strings, got " + brief(v));
  for (const auto& [key, value] : v.items()) {
    if (!value.is_string()) fail(path, "'__metadata__' entry '" + key + "' must be a string, got " + brief(value));
    out[key] = value.get<std::string>();
  }
  return out;
}

// Sorts `entries` by offset and checks that they tile the data section exactly, as the format
// requires (no overlaps, no gaps, no trailing bytes).
void check_layout(const std::string& path, std::vector<Entry>& entries, uint64_t data_size) {
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t covered = 0;
  const Entry* owner = nullptr;  // the last non-empty tensor, which ends at `covered`
  for (const Entry& e : entries) {
    if (e.begin < covered)
      fail(path, "tensor '" + e.name + "' data_offsets " + range(e.begin, e.end) + " overlap tensor '" +
                     owner->name + "' " + range(owner->begin, owner->end));
    if (e.begin > covered)
      fail(path, "data bytes " + range(covered, e.begin) + " belong to no tensor (the format allows no gaps)");
    if (e.end > e.begin) owner = &e;
    covered = e.end;
  }
  if (covered != data_size)
    fail(path, "data bytes " + range(covered, data_size) + " belong to no tensor (the format allows no gaps)");
}

void read_at(std::ifstream& in, const std::string& path, uint64_t at, void* dst, uint64_t bytes,
             const std::string& what) {
  in.seekg(static_cast<std::streamoff>(at));
  in.read(static_cast<char*>(dst), static_cast<std::streamsize>(bytes));
  if (!in || static_cast<uint64_t>(in.gcount()) != bytes) fail(path, "could not read " + what + " (file changed?)");
}

Tensor read_tensor(std::ifstream& in, const std::string& path, const Entry& e, uint64_t data_start) {
  Tensor t = Tensor::empty(e.shape);
  const uint64_t bytes = e.end - e.begin;
  const std::string what = "tensor '" + e.name + "'";
  if (bytes == 0) return t;
  if (!e.dtype->to_float) {  // F32: straight into the tensor
    read_at(in, path, data_start + e.begin, t.data(), bytes, what);
    return t;
  }
  std::vector<unsigned char> raw(bytes);
  read_at(in, path, data_start + e.begin, raw.data(), bytes, what);
  e.dtype->to_float(raw.data(), t.numel(), t.data());
  return t;
}

}  // namespace

void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  const std::string header = encode_header(path, tensors, metadata);
  unsigned char length[kLengthBytes];
  for (uint64_t i = 0; i < kLengthBytes; ++i) length[i] = static_cast<unsigned char>(header.size() >> (8 * i));

  AtomicFile file(path);
  file.write(length, kLengthBytes);
  file.write(header.data(), header.size());
  NoGradGuard no_grad;
  for (const auto& [name, t] : tensors) {
    const Tensor dense = t.contiguous();
    file.write(dense.data(), static_cast<size_t>(dense.numel()) * sizeof(float));
  }
  file.commit();
}

TensorFile load_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open: " + std::error_code(errno, std::generic_category()).message());
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) fail(path, "is a directory, not a safetensors file");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) fail(path, "cannot read (not a regular file?)");
  const uint64_t file_size = static_cast<uint64_t>(size);
  if (file_size < kLengthBytes)
    fail(path, "has " + std::to_string(file_size) + " bytes, too few for a safetensors file (the header length takes 8)");

  unsigned char length[kLengthBytes];
  read_at(in, path, 0, length, kLengthBytes, "the header length");
  uint64_t header_size = 0;
  for (uint64_t i = 0; i < kLengthBytes; ++i) header_size |= static_cast<uint64_t>(length[i]) << (8 * i);
  if (header_size > file_size - kLengthBytes)
    fail(path, "header length field says " + std::to_string(header_size) + " bytes but only " +
                   std::to_string(file_size - kLengthBytes) + " follow it (truncated, or not a safetensors file)");
  if (header_size > kMaxHeaderBytes)
    fail(path, "header of " + std::to_string(header_size) + " bytes is larger than the format allows (" +
                   std::to_string(kMaxHeaderBytes) + ")");
  std::string text(header_size, '\0');
  read_at(in, path, kLengthBytes, text.data(), header_size, "the header");

  const json header = parse_header(path, text);
  const uint64_t data_start = kLengthBytes + header_size;
  const uint64_t data_size = file_size - data_start;
  TensorFile out;
  std::vector<Entry> entries;
  for (const auto& [key, value] : header.items()) {
    if (key == kMetadataKey) out.metadata = parse_metadata(path, value);
    else entries.push_back(parse_entry(path, key, value, data_size));
  }
  check_layout(path, entries, data_size);

  for (const Entry& e : entries) out.tensors.emplace_back(e.name, read_tensor(in, path, e, data_start));
  verify_checksum(path, out, data_start);
  return out;
}

}  // namespace myelin::io
