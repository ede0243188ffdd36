// The Program file: a compact, versioned, little-endian binary form (docs/cosim.md, "Program
// file"). Layout, version 1:
//
//   magic        8 bytes  "TANDEMPG"
//   version      u32      1
//   name         str      (u32 length + bytes)
//   accelerator  str      normalized YAML (accelerator_to_yaml), parsed back on reading
//   instructions u32 n, then n x (u64 bits 63..0, u64 bits 127..64)
//   memory       u32 n, then n x (str name, u32 address, u32 length, bytes)
//   outputs      u32 n, then n x (str name, u32 address, u32 bytes)
//   dram_bytes   u32
//   end magic    4 bytes  "TEND"
//
// Version 2, a mesh (MeshProgram): magic, version 2, name, the mesh's accelerator, u32 cores,
// then per core the version 1 fields from its name to its dram_bytes; then the end magic.
#include "core/program.h"

#include "core/input_error.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/accelerator_yaml.h"
#include "core/files.h"

namespace tandem {

namespace {

constexpr char kMagic[8] = {'T', 'A', 'N', 'D', 'E', 'M', 'P', 'G'};
constexpr char kEndMagic[4] = {'T', 'E', 'N', 'D'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kMeshVersion = 2;

// Raw 32-bit slices of the instruction word, to rebuild an Instruction from its bits.
constexpr isa::Field kSlices[4] = {{"BITS0", 0, 32}, {"BITS1", 32, 32}, {"BITS2", 64, 32}, {"BITS3", 96, 32}};

class Writer {
 public:
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void u64(std::uint64_t v) {
    u32(static_cast<std::uint32_t>(v));
    u32(static_cast<std::uint32_t>(v >> 32));
  }
  void bytes(const void* data, std::size_t n) {
    out_.append(static_cast<const char*>(data), n);
  }
  void str(const std::string& s) {
    u32(checked_size(s.size(), "string"));
    bytes(s.data(), s.size());
  }
  static std::uint32_t checked_size(std::size_t n, const char* what) {
    if (n > 0xffffffffu) throw std::runtime_error(std::string(what) + " too large for a program file");
    return static_cast<std::uint32_t>(n);
  }
  const std::string& data() const { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(const std::string& data, const std::string& path) : data_(data), path_(path) {}

  [[noreturn]] void fail(const std::string& what) const { throw InputError({path_, 0, 0}, "", what); }
  void need(std::size_t n, const char* what) const {
    if (data_.size() - pos_ < n) {
      fail(std::string("truncated program file (") + what + " at byte " + std::to_string(pos_) +
           " needs " + std::to_string(n) + " bytes, " + std::to_string(data_.size() - pos_) +
           " left)");
    }
  }
  std::uint32_t u32(const char* what) {
    need(4, what);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(data_[pos_ + i])} << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64(const char* what) {
    const std::uint64_t lo = u32(what);
    return lo | (std::uint64_t{u32(what)} << 32);
  }
  std::string str(const char* what) {
    const std::uint32_t n = u32(what);
    need(n, what);
    std::string s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::vector<std::uint8_t> bytes(std::size_t n, const char* what) {
    need(n, what);
    std::vector<std::uint8_t> v(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return v;
  }
  bool match(const char* magic, std::size_t n) {
    if (data_.size() - pos_ < n || std::memcmp(data_.data() + pos_, magic, n) != 0) return false;
    pos_ += n;
    return true;
  }
  // A count of records of at least `min_record` bytes each: refuse counts the file cannot hold
  // before allocating for them.
  std::uint32_t count(const char* what, std::size_t min_record) {
    const std::uint32_t n = u32(what);
    if (std::uint64_t{n} * min_record > data_.size() - pos_) {
      fail(std::string("corrupt program file: ") + std::to_string(n) + " " + what +
           " cannot fit in the remaining " + std::to_string(data_.size() - pos_) + " bytes");
    }
    return n;
  }
  std::size_t left() const { return data_.size() - pos_; }

 private:
  const std::string& data_;
  const std::string& path_;
  std::size_t pos_ = 0;
};

void write_body(Writer& w, const Program& program) {
  w.str(program.name);
  w.str(accelerator_to_yaml(program.config));
  w.u32(Writer::checked_size(program.instructions.size(), "instruction count"));
  for (const auto& insn : program.instructions) {
    w.u64(insn.words()[0]);
    w.u64(insn.words()[1]);
  }
  w.u32(Writer::checked_size(program.memory.size(), "memory segment count"));
  for (const auto& segment : program.memory) {
    w.str(segment.name);
    w.u32(segment.address);
    w.u32(Writer::checked_size(segment.bytes.size(), "memory segment"));
    w.bytes(segment.bytes.data(), segment.bytes.size());
  }
  w.u32(Writer::checked_size(program.outputs.size(), "output region count"));
  for (const auto& region : program.outputs) {
    w.str(region.name);
    w.u32(region.address);
    w.u32(region.bytes);
  }
  w.u32(program.dram_bytes);
}

AcceleratorConfig read_accelerator(Reader& r, const std::string& path) {
  const std::string yaml = r.str("accelerator");
  try {
    const YAML::Node root = YAML::Load(yaml);
    if (!root["accelerator"]) r.fail("embedded accelerator configuration has no 'accelerator' key");
    return parse_accelerator(root["accelerator"], path + " (embedded accelerator)");
  } catch (const YAML::Exception& e) {
    r.fail(std::string("embedded accelerator configuration is not valid YAML: ") + e.what());
  }
}

Program read_body(Reader& r, const std::string& path) {
  Program program;
  program.name = r.str("name");
  program.config = read_accelerator(r, path);
  const std::uint32_t n_insn = r.count("instructions", 16);
  program.instructions.resize(n_insn);
  for (auto& insn : program.instructions) {
    const std::uint64_t lo = r.u64("instruction");
    const std::uint64_t hi = r.u64("instruction");
    insn.set(kSlices[0], static_cast<std::int64_t>(lo & 0xffffffffu));
    insn.set(kSlices[1], static_cast<std::int64_t>(lo >> 32));
    insn.set(kSlices[2], static_cast<std::int64_t>(hi & 0xffffffffu));
    insn.set(kSlices[3], static_cast<std::int64_t>(hi >> 32));
  }
  const std::uint32_t n_mem = r.count("memory segments", 12);
  program.memory.resize(n_mem);
  for (auto& segment : program.memory) {
    segment.name = r.str("memory segment name");
    segment.address = r.u32("memory segment address");
    const std::uint32_t n = r.u32("memory segment length");
    segment.bytes = r.bytes(n, "memory segment bytes");
  }
  const std::uint32_t n_out = r.count("output regions", 12);
  program.outputs.resize(n_out);
  for (auto& region : program.outputs) {
    region.name = r.str("output region name");
    region.address = r.u32("output region address");
    region.bytes = r.u32("output region size");
  }
  program.dram_bytes = r.u32("dram_bytes");
  // Every segment and output must lie inside the DRAM the program declares.
  auto check_range = [&](const std::string& what, const std::string& name, std::uint64_t address,
                         std::uint64_t size) {
    if (address + size > program.dram_bytes) {
      r.fail(what + " '" + name + "' [" + std::to_string(address) + ", " +
             std::to_string(address + size) + ") exceeds dram_bytes " +
             std::to_string(program.dram_bytes));
    }
  };
  for (const auto& s : program.memory) check_range("memory segment", s.name, s.address, s.bytes.size());
  for (const auto& o : program.outputs) check_range("output region", o.name, o.address, o.bytes);
  return program;
}

void read_end(Reader& r) {
  if (!r.match(kEndMagic, sizeof kEndMagic)) r.fail("corrupt program file (missing end marker)");
  if (r.left() != 0) {
    r.fail("corrupt program file (" + std::to_string(r.left()) + " bytes after the end marker)");
  }
}

// Checks the magic and returns the version (one this tandem reads).
std::uint32_t read_header(Reader& r) {
  if (!r.match(kMagic, sizeof kMagic)) {
    r.fail("not a tandem program file (bad magic; expected \"TANDEMPG\")");
  }
  const std::uint32_t version = r.u32("version");
  if (version != kVersion && version != kMeshVersion) {
    r.fail("unsupported program file version " + std::to_string(version) + " (this tandem reads " +
           std::to_string(kVersion) + " and " + std::to_string(kMeshVersion) + ")");
  }
  return version;
}

std::string read_program_bytes(const std::string& path) {
  try {
    return read_file(path);
  } catch (const FileError& e) {
    throw InputError({path, 0, 0}, "", "cannot open program file: " + e.reason());
  }
}

}  // namespace

std::uint32_t MeshProgram::dram_bytes() const {
  std::uint32_t bytes = 0;
  for (const auto& core : cores) bytes = std::max(bytes, core.dram_bytes);
  return bytes;
}

MeshProgram single_core(Program program) {
  MeshProgram mesh;
  mesh.name = program.name;
  mesh.config = program.config;
  mesh.cores.push_back(std::move(program));
  return mesh;
}

Program relocated(Program program, std::uint32_t offset) {
  auto moved = [&](std::uint64_t address) {
    const std::uint64_t to = address + offset;
    if (to > 0xffffffffu) {
      throw std::invalid_argument("program '" + program.name + "' moved by " +
                                  std::to_string(offset) + " bytes does not fit 4 GiB of DRAM");
    }
    return static_cast<std::uint32_t>(to);
  };
  for (auto& insn : program.instructions) {
    if (insn.opcode() == isa::Opcode::load || insn.opcode() == isa::Opcode::store) {
      insn.set(isa::field::dram_addr, moved(static_cast<std::uint64_t>(insn.get(isa::field::dram_addr))));
    }
  }
  for (auto& segment : program.memory) segment.address = moved(segment.address);
  for (auto& region : program.outputs) region.address = moved(region.address);
  program.dram_bytes = moved(program.dram_bytes);
  return program;
}

void write_program_file(const Program& program, const std::string& path) {
  Writer w;
  w.bytes(kMagic, sizeof kMagic);
  w.u32(kVersion);
  write_body(w, program);
  w.bytes(kEndMagic, sizeof kEndMagic);
  // A reader (the simulator, another process) never sees half a file.
  write_file_atomically(path, w.data());
}

void write_program_file(const MeshProgram& program, const std::string& path) {
  Writer w;
  w.bytes(kMagic, sizeof kMagic);
  w.u32(kMeshVersion);
  w.str(program.name);
  w.str(accelerator_to_yaml(program.config));
  w.u32(Writer::checked_size(program.cores.size(), "core count"));
  for (const auto& core : program.cores) write_body(w, core);
  w.bytes(kEndMagic, sizeof kEndMagic);
  write_file_atomically(path, w.data());
}

Program read_program_file(const std::string& path) {
  const std::string data = read_program_bytes(path);
  Reader r(data, path);
  if (read_header(r) != kVersion) {
    r.fail("a mesh program file (version " + std::to_string(kMeshVersion) +
           ") where one core's program (version " + std::to_string(kVersion) + ") was expected");
  }
  Program program = read_body(r, path);
  read_end(r);
  return program;
}

MeshProgram read_mesh_program_file(const std::string& path) {
  const std::string data = read_program_bytes(path);
  Reader r(data, path);
  if (read_header(r) == kVersion) {
    MeshProgram mesh = single_core(read_body(r, path));
    read_end(r);
    return mesh;
  }
  MeshProgram mesh;
  mesh.name = r.str("name");
  mesh.config = read_accelerator(r, path);
  const std::uint32_t n = r.count("cores", 32);
  if (n != static_cast<std::uint32_t>(mesh_cores(mesh.config))) {
    r.fail("the file holds " + std::to_string(n) + " core programs for a mesh of " +
           std::to_string(mesh.config.mesh.x) + "x" + std::to_string(mesh.config.mesh.y) + " cores");
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    mesh.cores.push_back(read_body(r, path));
    if (mesh.cores.back().config != core_config(mesh.config)) {
      r.fail("core " + std::to_string(i) + "'s program is compiled for another accelerator than "
             "the mesh's core");
    }
  }
  read_end(r);
  return mesh;
}

}  // namespace tandem
