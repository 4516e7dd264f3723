// IDX reader. Layout: magic 00 00 <type> <ndims>, then ndims big-endian uint32 sizes, then the
// elements, big-endian, row-major. Files may be gzip-compressed; zlib's gzread reads both kinds.
#include "myelin/data/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

#include "myelin/error.hpp"

namespace myelin::data {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw IoError(path + ": " + what); }

std::string hex(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

// ---- element types ----

template <class T>
T load_big_endian(const unsigned char* p) {
  if constexpr (sizeof(T) == 1) {
    return static_cast<T>(p[0]);
  } else {
    using U = std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>;
    U u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) u = static_cast<U>((u << 8) | p[i]);
    return std::bit_cast<T>(u);
  }
}

// out[i] = element i of `in` (n elements of type T).
template <class T>
void convert(const unsigned char* in, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(load_big_endian<T>(in + i * sizeof(T)));
}

struct ElementType {
  unsigned code;
  int64_t bytes;
  const char* name;
  void (*convert)(const unsigned char*, float*, int64_t);
};

constexpr ElementType kTypes[] = {
    {0x08, 1, "ubyte", convert<uint8_t>}, {0x09, 1, "sbyte", convert<int8_t>},
    {0x0B, 2, "short", convert<int16_t>}, {0x0C, 4, "int", convert<int32_t>},
    {0x0D, 4, "float", convert<float>},   {0x0E, 8, "double", convert<double>},
};

const ElementType* find_type(unsigned code) {
  for (const ElementType& t : kTypes)
    if (t.code == code) return &t;
  return nullptr;
}

// ---- the file ----

// Deflate expands at most about 1032:1, so a gzip file of L bytes holds at most this much.
constexpr uint64_t kMaxGzipRatio = 1032;

struct FileFacts {
  uint64_t length = 0;
  bool gzip = false;
};

FileFacts inspect(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) fail(path, std::string("cannot open: ") + std::strerror(errno));
  unsigned char magic[2] = {0, 0};
  const size_t got = std::fread(magic, 1, 2, f);
  FileFacts facts;
  facts.gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  const bool seek_ok = std::fseek(f, 0, SEEK_END) == 0;
  const long length = std::ftell(f);
  std::fclose(f);
  if (!seek_ok || length < 0) fail(path, "cannot determine the file's length");
  facts.length = static_cast<uint64_t>(length);
  return facts;
}

// Reads a raw or gzip file sequentially, tracking the (decompressed) byte offset for messages.
class Reader {
 public:
  Reader(const std::string& path, bool gzip) : path_(path), gzip_(gzip), file_(gzopen(path.c_str(), "rb")) {
    if (!file_) fail(path, std::string("cannot open: ") + std::strerror(errno));
    gzbuffer(file_, 1 << 17);
  }
  ~Reader() { gzclose(file_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  uint64_t offset() const { return offset_; }

  // Fills `buf` with the next n bytes of `what`; throws IoError if the file ends first.
  void read_exact(void* buf, uint64_t n, const char* what) {
    const uint64_t start = offset_;
    const uint64_t got = read_some(buf, n);
    if (got < n) {
      int code = Z_OK;
      const char* zlib_message = gzerror(file_, &code);
      fail(path_, std::string("truncated: the ") + (gzip_ ? "decompressed data ends" : "file ends") +
                      " at byte offset " + std::to_string(start + got) + " while reading " + what + " (expected " +
                      std::to_string(n) + " bytes from byte offset " + std::to_string(start) + ")" +
                      (code == Z_OK ? "" : std::string("; zlib: ") + zlib_message));
    }
  }

  // True when no bytes are left.
  bool at_end() {
    unsigned char byte;
    return read_some(&byte, 1) == 0;
  }

 private:
  uint64_t read_some(void* buf, uint64_t n) {
    auto* p = static_cast<unsigned char*>(buf);
    uint64_t total = 0;
    while (total < n) {
      const unsigned chunk = static_cast<unsigned>(std::min<uint64_t>(n - total, INT_MAX));
      const int got = gzread(file_, p + total, chunk);
      if (got < 0) {
        int code = 0;
        fail(path_, "corrupt data near byte offset " + std::to_string(offset_ + total) + ": " +
                        gzerror(file_, &code));
      }
      if (got == 0) break;
      total += static_cast<uint64_t>(got);
    }
    offset_ += total;
    return total;
  }

  std::string path_;
  bool gzip_;
  gzFile file_;
  uint64_t offset_ = 0;
};

}  // namespace

Tensor read_idx(const std::string& path) {
  const FileFacts facts = inspect(path);
  Reader in(path, facts.gzip);

  unsigned char magic[4];
  in.read_exact(magic, 4, "the IDX magic number");
  if (magic[0] != 0 || magic[1] != 0)
    fail(path, "not an IDX file: the magic number at byte offset 0 starts with " + hex(magic[0]) + " " +
                   hex(magic[1]) + ", expected 0x00 0x00");
  const ElementType* type = find_type(magic[2]);
  if (!type)
    fail(path, "unknown IDX element type " + hex(magic[2]) +
                   " at byte offset 2 (expected 0x08 ubyte, 0x09 sbyte, 0x0b short, 0x0c int, 0x0d float "
                   "or 0x0e double)");
  const int ndims = magic[3];
  if (ndims == 0) fail(path, "the IDX header at byte offset 3 declares 0 dimensions");

  std::vector<unsigned char> dims_raw(static_cast<size_t>(ndims) * 4);
  in.read_exact(dims_raw.data(), dims_raw.size(), "the IDX dimensions");
  Shape shape(static_cast<size_t>(ndims));
  for (int d = 0; d < ndims; ++d) shape[d] = load_big_endian<uint32_t>(&dims_raw[static_cast<size_t>(d) * 4]);
  // Overflow-safe element count: no file holds 2^62 bytes, so larger claims stop here.
  const uint64_t limit = (uint64_t{1} << 62) / static_cast<uint64_t>(type->bytes);
  const bool empty = std::find(shape.begin(), shape.end(), 0) != shape.end();
  uint64_t count = empty ? 0 : 1;
  for (int64_t s : shape) {
    if (empty) break;
    if (count > limit / static_cast<uint64_t>(s))
      fail(path, "the IDX header claims shape " + to_string(shape) + ", more data than any file holds");
    count *= static_cast<uint64_t>(s);
  }

  const uint64_t header_bytes = in.offset();
  const uint64_t data_bytes = count * static_cast<uint64_t>(type->bytes);
  const std::string claim = "the IDX header claims shape " + to_string(shape) + " of " + type->name + " (" +
                            std::to_string(data_bytes) + " bytes of data from byte offset " +
                            std::to_string(header_bytes) + ")";
  if (!facts.gzip && header_bytes + data_bytes > facts.length)
    fail(path, "truncated: " + claim + " but the file ends at byte offset " + std::to_string(facts.length));
  if (facts.gzip && header_bytes + data_bytes > facts.length * kMaxGzipRatio)
    fail(path, claim + ", more than a gzip file of " + std::to_string(facts.length) + " bytes can hold");

  Tensor out;
  try {
    out = Tensor::empty(shape);
  } catch (const std::bad_alloc&) {
    fail(path, claim + ", which does not fit in memory as float32");
  }

  // Read and convert in chunks, so the raw bytes never need a second full-size buffer.
  const int64_t chunk_elems = (int64_t{1} << 20) / type->bytes;
  std::vector<unsigned char> buf(static_cast<size_t>(chunk_elems * type->bytes));
  float* dst = out.data();
  for (int64_t done = 0, n = static_cast<int64_t>(count); done < n; done += chunk_elems) {
    const int64_t k = std::min(chunk_elems, n - done);
    in.read_exact(buf.data(), static_cast<uint64_t>(k * type->bytes), "the IDX data");
    type->convert(buf.data(), dst + done, k);
  }
  const uint64_t end = in.offset();
  if (!in.at_end())
    fail(path, "unexpected bytes after the IDX data at byte offset " + std::to_string(end) + " (" + claim + ")");
  return out;
}

}  // namespace myelin::data
