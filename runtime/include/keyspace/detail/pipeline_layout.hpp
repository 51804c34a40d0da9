#pragma once
// The commands of a pipeline bound for a Redis Cluster: where each one ends in the protocol
// text and the slot of its key, so that the client can send each to the node serving it. A
// standalone client needs none of it: the layout stays empty.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace keyspace::detail {

struct PipelineLayout {
  std::vector<std::size_t> ends;      // offset just past each command
  std::vector<std::uint16_t> slots;   // of each command's first key

  void add(std::size_t end, std::uint16_t slot) {
    ends.push_back(end);
    slots.push_back(slot);
  }
  void clear() noexcept {
    ends.clear();
    slots.clear();
  }
};

}  // namespace keyspace::detail
